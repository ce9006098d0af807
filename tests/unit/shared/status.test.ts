import { describe, expect, it } from 'vitest';
import { statusFromAge, statusWakeAtMs } from '../../../shared/presence/status.js';

describe('status from age', () => {
  it('is Active up to and including 120 s', () => {
    expect(statusFromAge(0)).toBe('active');
    expect(statusFromAge(120_000)).toBe('active');
  });
  it('is Idle after 120 s up to and including 300 s', () => {
    expect(statusFromAge(120_001)).toBe('idle');
    expect(statusFromAge(300_000)).toBe('idle');
  });
  it('is Stale beyond 300 s', () => {
    expect(statusFromAge(300_001)).toBe('stale');
  });
  it('treats a ts slightly in the future as fresh', () => {
    expect(statusFromAge(-5_000)).toBe('active');
  });
  it('follows thresholds passed in', () => {
    expect(statusFromAge(1_500, { activeMs: 1_000, idleMs: 2_000 })).toBe('idle');
  });
});

describe('when a view redraws for statuses that change with age', () => {
  it('wakes at or after the change, less than a second late', () => {
    for (const at of [1_000_000, 1_000_001, 1_000_999, 1_234_567.5]) {
      const wake = statusWakeAtMs(at);
      expect(wake).toBeGreaterThanOrEqual(at);
      expect(wake - at).toBeLessThan(1000);
    }
  });
  it('gives changes within the same second one wake: a fleet seeded together turns Idle in one redraw', () => {
    // 150 entries beaconed over 800 ms: their changes, 2 minutes on, fall in one second of the page clock.
    const changes = Array.from({ length: 150 }, (_, i) => 1_120_100 + i * 5.3);
    expect(new Set(changes.map(statusWakeAtMs))).toEqual(new Set([1_121_000]));
  });
});
