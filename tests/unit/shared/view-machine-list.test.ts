import { describe, expect, it } from 'vitest';
import type { ReceivedEntry } from '../../../shared/client/view-state.js';
import { DEFAULT_STATUS_THRESHOLDS as T } from '../../../shared/presence/status.js';
import { foldMachines } from '../../../shared/view/machines.js';
import { countMachines, filterMachineRows, machineRowsAt, nextChangeAtMs, sortMachineRows } from '../../../shared/view/machine-list.js';
import { nextEntryStatusChangeAtMs } from '../../../shared/view/rows.js';
import { ageTextStepMs, formatAgeSpaced } from '../../../shared/format/age.js';
import { formatBytes, hostStatsLine, usedRatio } from '../../../shared/format/host-stats.js';

const NOW = 2_000_000_000_000;
const e = (fields: Partial<ReceivedEntry>, ageMs = 0): ReceivedEntry => ({ text: '', ts: NOW - ageMs, ...fields });

describe('fold reuse', () => {
  it('returns an unchanged machine as the same object and rebuilds only the one whose entry changed', () => {
    const a = e({ deviceId: 'a', host: 'a' });
    const b = e({ deviceId: 'b', host: 'b' });
    const text = e({ text: 'Node: t (10.0.0.1) · app 1.0 · mode ui · reason periodic' });
    const first = foldMachines({ entries: [a, b, text], selfDeviceId: 'x' });
    const previous = new Map(first.map((m) => [m.key, m]));
    const b2 = { ...b, ts: NOW + 1 };
    const second = foldMachines({ entries: [a, b2, text], selfDeviceId: 'x', previous });
    const byKey = new Map(second.map((m) => [m.key, m]));
    expect(byKey.get('d:a')).toBe(previous.get('d:a'));
    // A text-only entry is filled once per object, so its machine is reused too.
    expect(byKey.get('h:t')).toBe(previous.get('h:t'));
    expect(byKey.get('d:b')).not.toBe(previous.get('d:b'));
    expect(byKey.get('d:b')!.latestTs).toBe(NOW + 1);
  });

  it('rebuilds a machine whose node changed even when its entries did not', () => {
    const a = e({ deviceId: 'a', host: 'a' });
    const first = foldMachines({ entries: [a], selfDeviceId: 'x', nodes: [{ nodeId: 'a', connected: true }] });
    const second = foldMachines({ entries: [a], selfDeviceId: 'x', nodes: [{ nodeId: 'a', connected: false }], previous: new Map(first.map((m) => [m.key, m])) });
    expect(second[0]).not.toBe(first[0]);
    expect(second[0]!.node?.connected).toBe(false);
  });
});

describe('machine rows', () => {
  const machines = foldMachines({
    entries: [e({ deviceId: 'gw', host: 'gw', mode: 'gateway' }), e({ deviceId: 'me', host: 'zed' }), e({ deviceId: 'old', host: 'alpha' }, 200_000), e({ deviceId: 'dis', host: 'beta', reason: 'disconnect' }, 40_000)],
    nodes: [{ nodeId: 'off', displayName: 'offline-box', connected: false, lastSeenAtMs: NOW - 3 * 3_600_000 }],
    remembered: [{ key: 'd:gone', firstSeenAtMs: NOW - 9e6, lastSeenAtMs: NOW - 7_200_000, entry: e({ deviceId: 'gone', host: 'ghost' }) }],
    selfDeviceId: 'me',
  });

  it('keeps a row object while its machine and status are the same, and makes a new one when the status changes', () => {
    const rows = machineRowsAt(machines, NOW, T);
    const prev = new Map(rows.map((r) => [r.machine.key, r]));
    const later = machineRowsAt(machines, NOW + 1000, T, prev);
    expect(later.every((r, i) => r === rows[i])).toBe(true);
    const muchLater = machineRowsAt(machines, NOW + 100_001, T, prev);
    expect(muchLater.find((r) => r.machine.key === 'd:old')).not.toBe(prev.get('d:old'));
    expect(muchLater.find((r) => r.machine.key === 'd:old')!.state.status).toBe('stale');
  });

  it('counts each status, filters by status, text and Show gone', () => {
    const rows = machineRowsAt(machines, NOW, T);
    expect(countMachines(rows)).toEqual({ active: 2, idle: 1, stale: 0, disconnected: 1, offline: 1, gone: 1 });
    expect(filterMachineRows(rows, { query: '', showGone: false }).map((r) => r.machine.key)).not.toContain('d:gone');
    expect(filterMachineRows(rows, { status: 'gone', query: '', showGone: false }).map((r) => r.machine.key)).toEqual(['d:gone']);
    expect(filterMachineRows(rows, { query: 'ALPHA', showGone: true }).map((r) => r.machine.key)).toEqual(['d:old']);
    expect(filterMachineRows(rows, { query: 'offline', showGone: true }).map((r) => r.machine.key)).toEqual(['d:off']);
  });

  it('orders gateway → this device → Active → Idle → Stale → Disconnected → Offline → Gone by default, and by a column when asked', () => {
    const rows = machineRowsAt(machines, NOW, T);
    expect(sortMachineRows(rows, { column: 'default', direction: 'asc' }).map((r) => r.machine.key)).toEqual(['d:gw', 'd:me', 'd:old', 'd:dis', 'd:off', 'd:gone']);
    expect(sortMachineRows(rows, { column: 'name', direction: 'asc' }).map((r) => r.machine.fields.host)).toEqual(['alpha', 'beta', 'ghost', 'gw', 'offline-box', 'zed']);
    expect(sortMachineRows(rows, { column: 'name', direction: 'desc' })[0]!.machine.fields.host).toBe('zed');
  });

  it('knows the next moment a status changes on its own, for machines and for raw entries', () => {
    // 'alpha' is Idle since 200 s: Stale at 300 s + 1 ms; the Active ones turn Idle at 120 s + 1 ms.
    expect(nextChangeAtMs(machines, NOW, T)).toBe(NOW + 100_001);
    expect(nextChangeAtMs(machines, NOW + 100_001, T)).toBe(NOW + 120_001);
    expect(nextEntryStatusChangeAtMs([e({}, 200_000), e({}, 400_000)], NOW, T)).toBe(NOW + 100_001);
    expect(nextEntryStatusChangeAtMs([e({}, 400_000)], NOW, T)).toBeUndefined();
  });
});

describe('ages and host stats in words', () => {
  it.each([
    [40_000, '40 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [3 * 3_600_000, '3 h'],
    [72 * 3_600_000, '3 d'],
  ])('%i ms reads %s', (ms, text) => expect(formatAgeSpaced(ms)).toBe(text));

  it('says when an age text next changes: each second, then minute, then hour', () => {
    expect(ageTextStepMs(40_250)).toBe(750);
    expect(ageTextStepMs(-300)).toBe(1300);
    expect(ageTextStepMs(61_000)).toBe(59_000);
    expect(ageTextStepMs(3_600_000)).toBe(3_600_000);
  });

  it('shows only the stats it has', () => {
    expect(hostStatsLine({ loadAverage: [0.421, 0.3, 0.2], memoryTotalBytes: 16e9, memoryFreeBytes: 6e9, diskTotalBytes: 1e12, diskAvailableBytes: 2.9e11 })).toBe('load 0.42 · mem 63% · disk 71%');
    expect(hostStatsLine({ memoryTotalBytes: 0, memoryFreeBytes: 0 })).toBeUndefined();
    expect(usedRatio(100, 150)).toBe(0);
    expect(formatBytes(16e9)).toBe('16.0 GB');
  });
});
