/** Reading list after list (issue 14, the storm): only changed entries are checked again, and nothing unchecked gets through. */
import { describe, expect, it } from 'vitest';
import { MAX_TS_DISTANCE_MS, PresenceListReader, parsePresenceList } from '../../../shared/protocol/presence-list.js';
import { seededRandom } from '../../helpers/garbage.js';

const NOW = 1_800_000_000_000;
/** As the wire gives it: a fresh parse each time, so nothing is the same object by accident. */
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const row = (i: number, over: Record<string, unknown> = {}) => ({ instanceId: `i${i}`, host: `h${i}`, mode: 'ui', roles: ['operator'], text: `Node: h${i}`, ts: NOW - i * 1000, ...over });

describe('PresenceListReader', () => {
  it('gives back the same entry objects for items that did not change, new ones for those that did', () => {
    const reader = new PresenceListReader();
    const list = [row(1), row(2), row(3)];
    const first = reader.read(wire(list), NOW)!;
    const second = reader.read(wire([row(2, { ts: NOW, text: 'Node: h2 · reason periodic' }), row(1), row(3)]), NOW)!;
    expect(second.entries[1]).toBe(first.entries[0]);
    expect(second.entries[2]).toBe(first.entries[2]);
    expect(second.entries[0]).not.toBe(first.entries[1]);
    expect(second.entries[0]).toMatchObject({ host: 'h2', ts: NOW, text: 'Node: h2 · reason periodic' });
  });

  it('checks a changed item again: a bad change is dropped, never passed on as the old entry or unchecked', () => {
    const reader = new PresenceListReader();
    reader.read(wire([row(1), row(2)]), NOW);
    // Same hint (ts, ids, host, text), different content: each must go through the schema.
    const bad = [row(1, { lastInputSeconds: -5 }), row(2, { roles: [{ nested: 'x' }] })];
    const parsed = reader.read(wire(bad), NOW)!;
    expect(parsed.entries).toEqual([]);
    expect(parsed.dropped).toBe(2);
    // An extra field added to an unchanged row is a change too, and is bounded like any other.
    const extra = reader.read(wire([row(1, { user: 'x'.repeat(20_000) })]), NOW)!;
    expect(extra.entries).toEqual([]);
  });

  it("checks every reused entry's ts against the gateway's clock as it moves", () => {
    const reader = new PresenceListReader();
    reader.read(wire([row(1)]), NOW);
    const later = NOW + MAX_TS_DISTANCE_MS + 5000;
    const parsed = reader.read(wire([row(1)]), later)!;
    expect(parsed.entries).toEqual([]);
    expect(parsed.firstProblem).toMatch(/more than a day/);
  });

  it('reads exactly what a fresh parse reads, list after list of random changes and garbage', () => {
    const random = seededRandom(14);
    const reader = new PresenceListReader();
    let list: unknown[] = Array.from({ length: 60 }, (_, i) => row(i));
    const garbage = [null, 7, 'text', [row(1)], { host: 5, ts: NOW }, { ts: -1 }, row(99, { ts: 9e15 })];
    for (let round = 0; round < 40; round += 1) {
      list = list.map((item, i) => {
        const r = random();
        if (r < 0.05) return garbage[Math.floor(random() * garbage.length)];
        if (r < 0.15) return row(i, { ts: NOW - Math.floor(random() * 100_000), lastInputSeconds: Math.floor(random() * 100) });
        if (r < 0.18) return row(i % 5); // repeats of one row
        return item;
      });
      const now = NOW + round * 1000;
      expect(reader.read(wire(list), now)).toEqual(parsePresenceList(wire(list), now));
    }
  });

  it('refuses what is not a list, as before', () => {
    const reader = new PresenceListReader();
    expect(reader.read({ presence: [] }, NOW)).toBeUndefined();
    expect(reader.read(new Array(20_001).fill(row(1)), NOW)).toBeUndefined();
  });
});

describe('over-long text', () => {
  it('keeps the machine with its text cut to the bound, ending in …, where it used to drop it', () => {
    const longVersion = `2026.9.6-${'beta.'.repeat(12)}`;
    const parsed = parsePresenceList(wire([row(1, { version: longVersion }), row(2, { host: 'h'.repeat(300), roles: ['operator', 'r'.repeat(200)] }), row(3)]), NOW)!;
    expect(parsed.dropped).toBe(0);
    expect(parsed.shortened).toBe(2);
    expect(parsed.entries.map((e) => e.instanceId)).toEqual(['i1', 'i2', 'i3']);
    expect(parsed.entries[0]!.version).toBe(`${longVersion.slice(0, 63)}…`);
    expect(parsed.entries[0]!.version).toHaveLength(64);
    expect(parsed.entries[1]!.host).toHaveLength(256);
    expect(parsed.entries[1]!.roles).toEqual(['operator', `${'r'.repeat(127)}…`]);
  });

  it('still drops an entry that is wrong in other ways too, or larger than an entry may be', () => {
    const parsed = parsePresenceList(wire([row(1, { version: 'v'.repeat(100), lastInputSeconds: -1 }), row(2, { host: 'h'.repeat(1_000_000) }), row(3, { extra: 'x'.repeat(20_000) })]), NOW)!;
    // Past the entry's 16 KB bound it is not an honest long name: nothing is cut, the entry goes.
    expect(parsed.entries.map((e) => e.instanceId)).toEqual([]);
    expect(parsed.dropped).toBe(3);
  });
});
