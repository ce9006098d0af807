import { describe, expect, it } from 'vitest';
import type { ReceivedEntry } from '../../../shared/client/view-state.js';
import { indexRows, sortRows } from '../../../shared/view/rows.js';
import { TextOrder, textOrder } from '../../../shared/view/text-order.js';
import { seededRandom } from '../../helpers/garbage.js';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const sign = (n: number) => Math.sign(n);

/** Names that read alike to the collator in several ways: letter case, accents, numbers by value, spaces, empties. */
function names(random: () => number, count: number): string[] {
  const parts = ['host', 'Host', 'HOST', 'hôst', 'mac', 'Mac-mini', 'vm', 'ui-box', '', ' ', 'zeta', 'Ωmega', 'ä', 'a'];
  return Array.from({ length: count }, () => {
    const part = parts[Math.floor(random() * parts.length)]!;
    const n = Math.floor(random() * 120);
    return random() < 0.2 ? part : `${part}-${n}`;
  });
}

describe('text order', () => {
  it('compares every pair as the collator does, across learning in many small and large batches', () => {
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      const order = new TextOrder();
      const all = names(random, 400);
      // Batches of 1 to 200: small ones are placed one by one, large ones merged in one pass.
      for (let at = 0; at < all.length; ) {
        const size = 1 + Math.floor(random() * (random() < 0.5 ? 5 : 200));
        order.learn(all.slice(at, at + size));
        at += size;
        const known = all.slice(0, at);
        for (let i = 0; i < 300; i += 1) {
          const a = known[Math.floor(random() * known.length)]!;
          const b = all[Math.floor(random() * all.length)]!;
          expect(sign(order.compare(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(sign(collator.compare(a, b)));
        }
      }
      expect([...all].sort(order.compare)).toEqual([...all].sort(collator.compare));
    }
  });

  it('puts numbers in order by value and calls names that differ only in case or accents equal', () => {
    const order = new TextOrder();
    order.learn(['host-10', 'host-2', 'Host-2', 'hôst-2', 'host-1']);
    expect(['host-10', 'host-2', 'host-1'].sort(order.compare)).toEqual(['host-1', 'host-2', 'host-10']);
    expect(order.compare('Host-2', 'hôst-2')).toBe(0);
    expect(order.compare('host-2', 'host-10')).toBe(-1);
  });

  it('ranks the names a sort compared through the collator when they were many, and none after a sort of few', () => {
    const order = new TextOrder();
    const many = Array.from({ length: 100 }, (_, i) => `name-${99 - i}`);
    const few = ['x-2', 'x-10', 'x-1'];
    expect(order.sorting(() => [...few].sort(order.compare))).toEqual(['x-1', 'x-2', 'x-10']);
    expect(order.size).toBe(0);
    expect(order.sorting(() => [...many].sort(order.compare))).toEqual([...many].sort(collator.compare));
    expect(order.size).toBe(100);
    // Sorted again from ranks alone: the same order.
    expect(order.sorting(() => [...many].reverse().sort(order.compare))).toEqual([...many].sort(collator.compare));
  });

  it('forgets its ranks past its bound, and still compares as the collator does', () => {
    const order = new TextOrder(50);
    const random = seededRandom(7);
    const all = names(random, 300);
    for (let at = 0; at < all.length; at += 40) {
      order.learn(all.slice(at, at + 40));
      expect(order.size).toBeLessThanOrEqual(50);
    }
    expect([...all].sort(order.compare)).toEqual([...all].sort(collator.compare));
  });
});

describe('rows sorted by time', () => {
  const rowsAt = (ts: (i: number) => number) =>
    indexRows(
      Array.from({ length: 200 }, (_, i): ReceivedEntry => ({ instanceId: `i-${i}`, host: `time-host-${i}`, text: '', ts: ts(i) })),
      { instanceId: 'x', deviceId: 'y' },
    );
  const byTime = { column: 'updated', direction: 'asc' } as const;

  it('ranks no host while every row has its own time, and the hosts of a fleet stamped in one millisecond once they tie', () => {
    const before = textOrder.size;
    const distinct = sortRows(rowsAt((i) => 1_000_000 - i), byTime);
    expect(distinct.map((r) => r.entry.host).slice(0, 3)).toEqual(['time-host-0', 'time-host-1', 'time-host-2']);
    expect(textOrder.size).toBe(before);
    const tied = sortRows(rowsAt(() => 1_000_000), byTime);
    // Ties go by host, numbers by value.
    expect(tied.map((r) => r.entry.host).slice(0, 3)).toEqual(['time-host-0', 'time-host-1', 'time-host-2']);
    expect(tied.map((r) => r.entry.host)[10]).toBe('time-host-10');
    expect(textOrder.size).toBe(before + 200);
  });
});
