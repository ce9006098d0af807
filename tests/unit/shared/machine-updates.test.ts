import { describe, expect, it } from 'vitest';
import type { ReceivedEntry } from '../../../shared/client/view-state.js';
import { DEFAULT_STATUS_THRESHOLDS as T } from '../../../shared/presence/status.js';
import { foldMachines, readEntryKeys, type Machine } from '../../../shared/view/machines.js';
import { fleet } from '../../helpers/fleet.js';
import { indexRows, resortRows, sortRows, type RowBase, type SortOrder } from '../../../shared/view/rows.js';
import { machineRowsAt, sortMachineRows, type MachineRow, type MachineSort, type MachineSortColumn } from '../../../shared/view/machine-list.js';

const NOW = 2_000_000_000_000;

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

const COLUMNS: MachineSortColumn[] = ['default', 'name', 'status', 'connections', 'ip', 'version', 'load', 'updated'];

describe('reading entries for the fold', () => {
  it("reuses the last list's keys for entries that stayed, in place or moved by one, and reads only the rest", () => {
    const entries = fleet({ entries: 50, ts: NOW, machines: 10 });
    const first = readEntryKeys(entries);
    // A beacon: entry 30 changed and moved to the top, shifting the 30 before it down by one.
    const next = [{ ...entries[30]!, ts: NOW + 5 }, ...entries.slice(0, 30), ...entries.slice(31)];
    const second = readEntryKeys(next, entries);
    for (let i = 0; i < 30; i += 1) expect(second[i + 1]).toBe(first[i]);
    for (let i = 31; i < 50; i += 1) expect(second[i]).toBe(first[i]);
    expect(second[0]).not.toBe(first[30]);
    // The same keys a reading from nothing gives (a new array is read afresh).
    expect(second).toEqual(readEntryKeys([...next]));
    // A list read once is not read again.
    expect(readEntryKeys(next)).toBe(second);
    // A fleet-wide change: every entry a new object, the same connections. Their keys are the last ones,
    // except where the ids changed or the keys come from the text.
    const fleetWide = next.map((e, i) => (i === 7 ? { ...e, deviceId: 'moved' } : i === 8 ? { ...e, host: undefined, deviceId: undefined, instanceId: undefined, text: 'Node: texty (10.0.0.9) · app 1.2.3 · mode ui' } : { ...e, ts: e.ts + 1 }));
    const third = readEntryKeys(fleetWide, next);
    third.forEach((k, i) => (i === 7 || i === 8 ? expect(k).not.toBe(second[i]) : expect(k).toBe(second[i])));
    expect(third).toEqual(readEntryKeys([...fleetWide]));
    expect(third[8]).toMatchObject({ hostKey: 'h:texty' });
  });
});

describe('sorting from the last order', () => {
  it('gives exactly the full sort, update after update, for every column and direction', () => {
    const rnd = random(7);
    const pick = <X,>(xs: readonly X[]) => xs[Math.floor(rnd() * xs.length)]!;
    // Names that tie under the collator (case, numbers) and entries of every status.
    const entry = (i: number): ReceivedEntry => ({
      deviceId: `dev-${i % 100}`,
      host: pick([`Host-${i % 100}`, `host-${i % 100}`, `box ${i % 7}`, 'same']),
      ip: pick(['10.0.0.1', '10.0.0.2', undefined]),
      version: pick(['1.0', '1.10', '1.9']),
      reason: pick(['periodic', 'periodic', 'disconnect']),
      text: '',
      ts: NOW - Math.floor(rnd() * 400_000),
    }) as ReceivedEntry;
    let entries = Array.from({ length: 150 }, (_, i) => entry(i));
    let machines: Machine[] = [];
    const sources = new Map<string, readonly ReceivedEntry[]>();
    let rows: MachineRow[] = [];
    const last = new Map<string, { rows: readonly MachineRow[]; sort: MachineSort }>();
    for (let round = 0; round < 60; round += 1) {
      // One beacon, a few, or many; now and then an entry leaves.
      const changes = pick([1, 1, 3, 100, 150]);
      const before = entries;
      entries = entries.map((e, i) => (rnd() * entries.length < changes ? entry(i) : e));
      if (rnd() < 0.2) entries = entries.filter((_, i) => i !== Math.floor(rnd() * entries.length));
      if (rnd() < 0.2) entries = [entries.at(-1)!, ...entries.slice(0, -1)];
      const previous = new Map(machines.map((m) => [m.key, m]));
      machines = foldMachines({ entries, selfDeviceId: 'dev-3', previous, sources, previousEntries: before });
      // Folding from the last fold's keys, machines and sources gives what a fold from nothing gives.
      expect(machines).toEqual(foldMachines({ entries: [...entries], selfDeviceId: 'dev-3' }));
      // A machine whose entries are the very objects it had is the very machine; the sources follow the fold.
      for (const m of machines) if (previous.get(m.key)?.entries.every((e, i) => e === m.entries[i]) && previous.get(m.key)!.entries.length === m.entries.length) expect(m).toBe(previous.get(m.key));
      expect([...sources.keys()].sort()).toEqual(machines.map((m) => m.key).sort());
      rows = machineRowsAt(machines, NOW + round * 5_000, T, new Map(rows.map((r) => [r.machine.key, r])));
      // Some rounds filter rows out, as the status filter and the text filter do.
      const shown = rnd() < 0.3 ? rows.filter(() => rnd() < 0.8) : rows;
      for (const column of COLUMNS) {
        for (const direction of ['asc', 'desc'] as const) {
          const sort = { column, direction };
          const id = `${column}-${direction}`;
          const full = sortMachineRows([...shown].reverse(), sort);
          const fromLast = sortMachineRows(shown, sort, last.get(id));
          expect(fromLast.map((r) => r.machine.key)).toEqual(full.map((r) => r.machine.key));
          last.set(id, { rows: fromLast, sort });
        }
      }
    }
  });

  it('ignores a last order that was sorted by another column', () => {
    const machines = foldMachines({
      entries: [
        { deviceId: 'a', host: 'zed', text: '', ts: NOW },
        { deviceId: 'b', host: 'amy', text: '', ts: NOW - 1000 },
      ] as ReceivedEntry[],
      selfDeviceId: 'x',
    });
    const rows = machineRowsAt(machines, NOW, T);
    const byUpdated = sortMachineRows(rows, { column: 'updated', direction: 'asc' });
    expect(byUpdated.map((r) => r.machine.fields.host)).toEqual(['zed', 'amy']);
    const byName = sortMachineRows(rows, { column: 'name', direction: 'asc' }, { rows: byUpdated, sort: { column: 'updated', direction: 'asc' } });
    expect(byName.map((r) => r.machine.fields.host)).toEqual(['amy', 'zed']);
  });
});

describe('folding from the last fold', () => {
  const entries = [
    { deviceId: 'a', host: 'a', mode: 'ui', text: '', ts: NOW - 2000 },
    { deviceId: 'A ', host: 'a', mode: 'backend', text: '', ts: NOW },
    { instanceId: 'i-b', host: 'b', text: '', ts: NOW - 1000 },
    { deviceId: 'c', instanceId: 'i-c', text: '', ts: NOW },
    { instanceId: 'I-C', host: 'c-beacon', text: '', ts: NOW - 500 },
  ] as ReceivedEntry[];
  const first = foldMachines({ entries, selfDeviceId: 'x' });
  const previous = new Map(first.map((m) => [m.key, m]));

  it('keeps every machine when the same entries come in another order, with its entries newest first', () => {
    const again = foldMachines({ entries: [...entries].reverse(), selfDeviceId: 'x', previous });
    expect(again.map((m) => m.key).sort()).toEqual(first.map((m) => m.key).sort());
    for (const m of again) expect(m).toBe(previous.get(m.key));
    expect(previous.get('d:a')!.entries.map((e) => e.mode)).toEqual(['backend', 'ui']);
    // The instanceId-only beacon joined the device that carries its instanceId.
    expect(previous.get('d:c')!.entries).toHaveLength(2);
  });

  it('rebuilds only the machine whose entry changed, and the fold of the same list again is the same', () => {
    const changed = entries.map((e, i) => (i === 2 ? { ...e, ts: NOW + 1 } : e));
    const again = foldMachines({ entries: changed, selfDeviceId: 'x', previous });
    const byKey = new Map(again.map((m) => [m.key, m]));
    expect(byKey.get('i:i-b')).not.toBe(previous.get('i:i-b'));
    expect(byKey.get('i:i-b')!.latestTs).toBe(NOW + 1);
    for (const key of ['d:a', 'd:c']) expect(byKey.get(key)).toBe(previous.get(key));
    expect(foldMachines({ entries: changed, selfDeviceId: 'x' })).toEqual(again);
  });
});

describe('sorting connections from the last order', () => {
  it('gives exactly the full sort, update after update, for every column and direction', () => {
    const rnd = random(5);
    const pick = <X,>(xs: readonly X[]) => xs[Math.floor(rnd() * xs.length)]!;
    const entry = (i: number): ReceivedEntry =>
      ({ instanceId: `i-${i}`, host: pick([`Host-${i}`, 'same', 'Same']), ip: pick(['10.0.0.1', undefined]), mode: pick(['ui', 'node']), lastInputSeconds: pick([1, 5, undefined]), text: '', ts: NOW - pick([0, 1000, 5000]) }) as ReceivedEntry;
    let entries = Array.from({ length: 120 }, (_, i) => entry(i));
    const self = { instanceId: 'x', deviceId: 'y' };
    let rows: Array<RowBase & { g: 1 }> = [];
    const last = new Map<string, { rows: readonly (typeof rows)[number][]; order: SortOrder }>();
    for (let round = 0; round < 60; round += 1) {
      const changed = pick([1, 1, 2, 80]);
      entries = entries.map((e, i) => (rnd() * entries.length < changed ? entry(i) : e));
      if (rnd() < 0.2) entries = entries.filter((_, i) => i !== Math.floor(rnd() * entries.length));
      if (rnd() < 0.2) entries = [entry(1000 + round), ...entries];
      const changes = { added: [] as typeof rows, removed: [] as typeof rows };
      rows = indexRows(entries, self, { keyPrefix: 'g/', make: (r) => ({ ...r, g: 1 }), previous: rows, changes });
      for (const column of ['updated', 'host', 'status', 'ip', 'version', 'mode', 'lastInput'] as const) {
        for (const direction of ['asc', 'desc'] as const) {
          const order = { column, direction };
          const id = `${column}-${direction}`;
          const full = sortRows([...rows].reverse(), order);
          const before = last.get(id);
          const fromLast = sortRows(rows, order, before);
          expect(fromLast.map((r) => r.key)).toEqual(full.map((r) => r.key));
          // From the difference alone (the rows indexRows says changed).
          if (before) expect(resortRows(before.rows, new Set(changes.removed), changes.added, order).map((r) => r.key)).toEqual(full.map((r) => r.key));
          last.set(id, { rows: fromLast, order });
        }
      }
    }
  });
});
