import { describe, expect, it } from 'vitest';
import { statusFromAge } from '../../../shared/presence/status.js';

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
