import { describe, expect, it } from 'vitest';
import { JUST_NOW, formatAge, formatAgeSpaced, formatLiveAge, liveAgeTextStepMs, liveAgeMaxChars, liveAgeWakeAtMs } from '../../../shared/format/age.js';

describe('live ages (the ones that tick on screen)', () => {
  it.each([
    [-2_000, JUST_NOW, JUST_NOW],
    [0, JUST_NOW, JUST_NOW],
    [9_999, JUST_NOW, JUST_NOW],
    [10_000, '10s', '10 s'],
    [19_999, '10s', '10 s'],
    [40_000, '40s', '40 s'],
    [59_999, '50s', '50 s'],
    [60_000, '1m', '1 min'],
    [61_500, '1m', '1 min'],
    [3 * 3_600_000 + 5_000, '3h', '3 h'],
    [72 * 3_600_000, '3d', '3 d'],
  ])('%i ms reads %s / %s: 10 s steps under a minute, floors, never more than has passed', (ms, short, spaced) => {
    expect(formatLiveAge(ms)).toBe(short);
    expect(formatLiveAge(ms, 'spaced')).toBe(spaced);
  });

  it('agrees with the plain ages from a minute on (the CLI and "last input" keep whole seconds)', () => {
    for (const ms of [60_000, 125_000, 3_599_999, 7_200_000, 100 * 3_600_000]) {
      expect(formatLiveAge(ms)).toBe(formatAge(ms));
      expect(formatLiveAge(ms, 'spaced')).toBe(formatAgeSpaced(ms));
    }
    expect(formatAge(42_000)).toBe('42s');
  });

  it('says when its text next changes: each 10 s under a minute, then each minute, hour, day', () => {
    expect(liveAgeTextStepMs(0)).toBe(10_000);
    expect(liveAgeTextStepMs(-300)).toBe(10_300);
    expect(liveAgeTextStepMs(38_500)).toBe(1_500);
    expect(liveAgeTextStepMs(50_000)).toBe(10_000);
    expect(liveAgeTextStepMs(61_000)).toBe(59_000);
    expect(liveAgeTextStepMs(3_600_000)).toBe(3_600_000);
    // The step always reaches a different text.
    for (const ms of [0, 9_999, 38_500, 59_000, 61_000, 3_599_000]) expect(formatLiveAge(ms + liveAgeTextStepMs(ms))).not.toBe(formatLiveAge(ms));
  });

  it('wakes on the page clock\'s 10 s grid, at or after the change, so every age on screen wakes together', () => {
    expect(liveAgeWakeAtMs(1_000_000, 1_500)).toBe(1_010_000);
    expect(liveAgeWakeAtMs(1_000_000, 10_000)).toBe(1_010_000);
    expect(liveAgeWakeAtMs(1_003_000, 7_000)).toBe(1_010_000);
    expect(liveAgeWakeAtMs(1_003_000, 7_001)).toBe(1_020_000);
    // Never more than one step late.
    for (const [now, step] of [[1_234_567, 1], [1_234_567, 59_000], [5, 9_999]] as const) {
      const at = liveAgeWakeAtMs(now, step);
      expect(at).toBeGreaterThanOrEqual(now + step);
      expect(at - (now + step)).toBeLessThan(10_000);
    }
  });

  it('fits every text it writes up to 999 days in the box it is drawn in', () => {
    const cases = [
      ['short', 'updated ', ' ago'],
      ['spaced', 'last seen ', ' ago'],
      ['spaced', '', ' ago'],
      ['short', '', ' ago'],
    ] as const;
    for (const [format, prefix, suffix] of cases) {
      const max = liveAgeMaxChars(format, prefix, suffix);
      let longest = '';
      for (let ms = 0; ms < 1000 * 86_400_000; ms += ms < 3_600_000 ? 1_000 : ms < 48 * 3_600_000 ? 60_000 : 3_600_000) {
        const age = formatLiveAge(ms, format);
        const text = age === JUST_NOW ? `${prefix}${age}` : `${prefix}${age}${suffix}`;
        if (text.length > longest.length) longest = text;
      }
      // The box is no wider than the longest text: no gap after every age.
      expect(longest.length, `${format} ${prefix}…${suffix}: ${longest}`).toBe(max);
    }
  });
});

