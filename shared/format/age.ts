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

/**
 * Live ages — the ones that keep themselves current on screen ("updated 40s
 * ago", "Disconnected · 40 s ago") — move in steps a user can use, not every
 * second: under 10 s "just now", then 10 s, 20 s … 50 s, then as `formatAge`
 * (minutes, hours, days).
 *
 * Why: a machine beacons about once a minute, so nearly every healthy row's age
 * cycles through the seconds of a minute all day; whether it was 37 or 42 s ago
 * tells the user nothing the status doesn't ("Active"), while redrawing it every
 * second is the window's main idle cost (layout and paint of every row in view,
 * issue 11 item 6). Ten-second steps still tell "just happened" from "a while
 * ago" for a disconnect. The steps are floors: the text never claims more time
 * than has passed.
 */
export const LIVE_AGE_STEP_MS = 10_000;

/** What a live age under `LIVE_AGE_STEP_MS` reads; the caller drops its "ago". */
export const JUST_NOW = 'just now';

/** A live age's text: `short` "40s", `spaced` "40 s", or `JUST_NOW` under 10 s. */
export function formatLiveAge(ageMs: number, format: 'short' | 'spaced' = 'short'): string {
  if (ageMs < LIVE_AGE_STEP_MS) return JUST_NOW;
  const stepped = ageMs < 60_000 ? Math.floor(ageMs / LIVE_AGE_STEP_MS) * LIVE_AGE_STEP_MS : ageMs;
  return format === 'spaced' ? formatAgeSpaced(stepped) : formatAge(stepped);
}

/** How long until a live age's text next changes: 10 s steps under a minute, then as `ageTextStepMs`. */
export function liveAgeTextStepMs(ageMs: number): number {
  if (ageMs >= 60_000) return ageTextStepMs(ageMs);
  // From a negative age (a ts a little ahead of our clock) the text stays "just now" until 10 s.
  return (Math.floor(Math.max(0, ageMs) / LIVE_AGE_STEP_MS) + 1) * LIVE_AGE_STEP_MS - ageMs;
}

/**
 * When (page clock) a live age whose text next changes `stepMs` from `pageNowMs`
 * should be redrawn: at the next multiple of `LIVE_AGE_STEP_MS` of the page clock
 * at or after that. Every age in the window then wakes on the same grid, so the
 * window lays out and paints at most once per 10 s however many rows it shows,
 * whose timestamps all have different phases; a text is at most one step late.
 */
export function liveAgeWakeAtMs(pageNowMs: number, stepMs: number): number {
  return Math.ceil((pageNowMs + stepMs) / LIVE_AGE_STEP_MS) * LIVE_AGE_STEP_MS;
}

/** The longest age token each format writes in practice: "50s" … "999d"; "59 min". */
const LONGEST_TOKEN = { short: '999d', spaced: '59 min' } as const;

/**
 * How many characters a live age's text can take: "just now" with the prefix,
 * or the prefix, the longest token and the suffix. A live age is drawn in a box
 * this wide (in `ch`), so its text changing every 10 s never changes the width
 * of its column or the position of the text after it.
 */
export function liveAgeMaxChars(format: 'short' | 'spaced', prefix: string, suffix: string): number {
  return prefix.length + Math.max(JUST_NOW.length, LONGEST_TOKEN[format].length + suffix.length);
}
