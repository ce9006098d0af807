/**
 * Status of an entry from the age of its `ts`, as the macOS app shows it:
 * Active up to 120 s, Idle up to 300 s, Stale beyond.
 */
export type PresenceStatus = 'active' | 'idle' | 'stale';

export interface StatusThresholds {
  readonly activeMs: number;
  readonly idleMs: number;
}

export const DEFAULT_STATUS_THRESHOLDS: StatusThresholds = { activeMs: 120_000, idleMs: 300_000 };

export function statusFromAge(ageMs: number, thresholds: StatusThresholds = DEFAULT_STATUS_THRESHOLDS): PresenceStatus {
  // A ts slightly ahead of our estimate of the gateway clock is still fresh.
  const age = Math.max(0, ageMs);
  if (age <= thresholds.activeMs) return 'active';
  if (age <= thresholds.idleMs) return 'idle';
  return 'stale';
}

export const STATUS_LABELS: Readonly<Record<PresenceStatus, string>> = {
  active: 'Active',
  idle: 'Idle',
  stale: 'Stale',
};

/** The grid, on the page's clock, that statuses changing with age wake on. */
export const STATUS_WAKE_GRID_MS = 1000;

/**
 * When a view should redraw for a status that changes with age at `pageAtMs`:
 * the next whole second of the page clock at or after it. Entries that beaconed
 * within the same second (a fleet started together, a gateway's list seeded at
 * once) then turn Idle in one redraw rather than one redraw each, a few ms apart;
 * no badge is more than a second late.
 */
export function statusWakeAtMs(pageAtMs: number): number {
  return Math.ceil(pageAtMs / STATUS_WAKE_GRID_MS) * STATUS_WAKE_GRID_MS;
}
