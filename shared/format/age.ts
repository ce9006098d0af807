/**
 * Short relative ages: "now", "12s", "4m", "3h", "2d". The caller adds "ago";
 * `now` is passed in so a table of ages all share one clock.
 */
export function formatAge(ageMs: number): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 1) return '0s';
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/**
 * The same ages with a space and clearer units, for sentences: "40 s", "4 min",
 * "3 h", "2 d" ("Disconnected · 40 s ago").
 */
export function formatAgeSpaced(ageMs: number): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/**
 * How long until an age's text (either format) next changes: under a minute it
 * changes every second, under an hour every minute, under two days every hour,
 * then every day. A view re-draws an age then, and not before.
 */
export function ageTextStepMs(ageMs: number): number {
  const age = Math.max(0, ageMs);
  const unit = age < 60_000 ? 1000 : age < 3_600_000 ? 60_000 : age < 48 * 3_600_000 ? 3_600_000 : 86_400_000;
  // From a negative age (a ts a little ahead of our clock) the text stays "0 s" until age 1 s.
  return (Math.floor(age / unit) + 1) * unit - ageMs;
}
