import { describe, expect, it } from 'vitest';
import { paced } from '../../../shared/events/paced.js';
import { manualTimers } from '../../helpers/manual-timers.js';

describe('paced pushes', () => {
  it('passes a push after a quiet spell at once, and only the newest of a burst at the end of the interval', () => {
    const t = manualTimers();
    const seen: number[] = [];
    const p = paced((v: number) => seen.push(v), 16, t.timers);
    p.push(1);
    expect(seen).toEqual([1]);
    p.push(2);
    p.push(3);
    p.push(4);
    expect(seen).toEqual([1]);
    t.advance(16);
    expect(seen).toEqual([1, 4]);
    // Still inside the interval of the last call: held again.
    t.advance(5);
    p.push(5);
    expect(seen).toEqual([1, 4]);
    t.advance(11);
    expect(seen).toEqual([1, 4, 5]);
    // Quiet: the next goes at once.
    t.advance(100);
    p.push(6);
    expect(seen).toEqual([1, 4, 5, 6]);
  });

  it('calls nothing after cancel', () => {
    const t = manualTimers();
    const seen: number[] = [];
    const p = paced((v: number) => seen.push(v), 16, t.timers);
    p.push(1);
    p.push(2);
    p.cancel();
    t.advance(50);
    expect(seen).toEqual([1]);
  });
});
