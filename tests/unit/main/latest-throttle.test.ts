/** The newest of a burst, at most once per interval (issue 14, the storm); clock and timers injected. */
import { describe, expect, it } from 'vitest';
import { LatestThrottle } from '../../../main/client/latest-throttle.js';

function harness(intervalMs = 25) {
  let now = 1000;
  const timers: Array<{ at: number; run: () => void } | undefined> = [];
  const applied: Array<{ value: string; at: number }> = [];
  const throttle = new LatestThrottle<string>({
    intervalMs,
    clock: () => now,
    apply: (value) => applied.push({ value, at: now }),
    setTimer: (run, ms) => timers.push({ at: now + ms, run }) - 1,
    clearTimer: (id) => (timers[id as number] = undefined),
  });
  const advance = (ms: number) => {
    now += ms;
    for (let i = 0; i < timers.length; i += 1) {
      const t = timers[i];
      if (t && t.at <= now) {
        timers[i] = undefined;
        t.run();
      }
    }
  };
  return { throttle, applied, advance, pendingTimers: () => timers.filter(Boolean).length, setNow: (n: number) => (now = n) };
}

describe('LatestThrottle', () => {
  it('applies a value after a quiet interval at once', () => {
    const h = harness();
    h.throttle.push('a');
    expect(h.applied).toEqual([{ value: 'a', at: 1000 }]);
    h.advance(30);
    h.throttle.push('b');
    expect(h.applied.at(-1)).toEqual({ value: 'b', at: 1030 });
  });

  it('in a burst, applies only the newest, once per interval', () => {
    const h = harness();
    h.throttle.push('a');
    for (const [i, v] of ['b', 'c', 'd'].entries()) {
      h.advance(i === 0 ? 5 : 5);
      h.throttle.push(v);
    }
    expect(h.applied.map((a) => a.value)).toEqual(['a']);
    h.advance(10); // 25 ms after 'a'
    expect(h.applied).toEqual([{ value: 'a', at: 1000 }, { value: 'd', at: 1025 }]);
    h.advance(100);
    expect(h.applied).toHaveLength(2);
  });

  it('drops a waiting value when something newer was applied another way, or on cancel', () => {
    const h = harness();
    h.throttle.push('a');
    h.advance(5);
    h.throttle.push('stale');
    h.throttle.supersede();
    h.advance(100);
    expect(h.applied.map((a) => a.value)).toEqual(['a']);
    h.throttle.push('b');
    h.advance(5);
    h.throttle.push('c');
    h.throttle.cancel();
    h.advance(100);
    expect(h.applied.map((a) => a.value)).toEqual(['a', 'b']);
    expect(h.pendingTimers()).toBe(0);
  });

  it('holds a value no longer than one interval when the clock jumps back', () => {
    const h = harness();
    h.throttle.push('a');
    h.setNow(-1_000_000);
    h.throttle.push('b');
    h.advance(25);
    expect(h.applied.map((a) => a.value)).toEqual(['a', 'b']);
  });
});
