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
