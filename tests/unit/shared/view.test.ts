import { describe, expect, it } from 'vitest';
import { toRows, sortRows, filterRows, countByStatus } from '../../../shared/view/rows.js';
import { formatAge } from '../../../shared/format/age.js';
import { prettyPlatform } from '../../../shared/format/platform.js';
import { reasonLabel } from '../../../shared/format/reason.js';
import { deviceKind } from '../../../shared/format/device.js';
import { DEFAULT_STATUS_THRESHOLDS } from '../../../shared/presence/status.js';

const NOW = 1_000_000_000;
const SELF = { instanceId: 'me', deviceId: 'dev-me' };

describe('formatting', () => {
  it('formats ages short', () => {
    expect(formatAge(0)).toBe('0s');
    expect(formatAge(12_400)).toBe('12s');
    expect(formatAge(59_999)).toBe('59s');
    expect(formatAge(60_000)).toBe('1m');
    expect(formatAge(3 * 3600_000)).toBe('3h');
    expect(formatAge(3 * 86400_000)).toBe('3d');
    expect(formatAge(-5000)).toBe('0s');
  });
  it('pretty-prints platforms', () => {
    expect(prettyPlatform('macos 15.1')).toBe('macOS 15.1');
    expect(prettyPlatform('linux 6.1.0-18-amd64')).toBe('Linux 6.1');
    expect(prettyPlatform('windows 10.0.22631')).toBe('Windows 10.0');
    expect(prettyPlatform('ios 18.2')).toBe('iOS 18.2');
    expect(prettyPlatform(undefined)).toBeUndefined();
  });
  it('names reasons', () => {
    expect(reasonLabel('periodic')).toBe('Heartbeat');
    expect(reasonLabel('instances-refresh')).toBe('Refreshed');
    expect(reasonLabel('node-connected')).toBe('Node connected');
    expect(reasonLabel('something-new')).toBe('something-new');
  });
  it('picks device icons from family, platform and mode', () => {
    expect(deviceKind({ mode: 'gateway', deviceFamily: 'Mac' })).toBe('gateway');
    expect(deviceKind({ deviceFamily: 'Mac' })).toBe('mac');
    expect(deviceKind({ platform: 'windows 10' })).toBe('windows');
    expect(deviceKind({ deviceFamily: 'iPhone' })).toBe('phone');
    expect(deviceKind({ mode: 'webchat' })).toBe('browser');
    expect(deviceKind({})).toBe('unknown');
  });
});

describe('rows', () => {
  const entries = [
    { host: 'a', instanceId: 'me', deviceId: 'DEV-ME', ts: NOW - 1000, text: '' },
    { host: 'dup', ts: NOW - 130_000, text: '' },
    { host: 'DUP', ts: NOW - 400_000, text: '' },
    { host: 'c', instanceId: 'x', ip: '10.0.0.3', ts: NOW - 200_000, text: '' },
  ];
  const rows = toRows(entries, NOW, DEFAULT_STATUS_THRESHOLDS, SELF);

  it('derive status from age, mark this device and look-alike duplicates', () => {
    expect(rows.map((r) => r.status)).toEqual(['active', 'idle', 'stale', 'idle']);
    expect(rows.map((r) => r.isSelf)).toEqual([true, false, false, false]);
    expect(rows.map((r) => r.looksDuplicate)).toEqual([false, true, true, false]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(4);
    expect(countByStatus(rows, NOW, DEFAULT_STATUS_THRESHOLDS)).toEqual({ active: 1, idle: 2, stale: 1 });
  });

  it('marks this device by our device id only: a copied instanceId is not enough', () => {
    const rows = toRows([{ host: 'impostor', instanceId: 'me', ts: NOW, text: '' }, { host: 'real', deviceId: 'dev-me', ts: NOW, text: '' }], NOW, DEFAULT_STATUS_THRESHOLDS, SELF);
    expect(rows.map((r) => [r.entry.host, r.isSelf])).toEqual([['impostor', false], ['real', true]]);
  });
  it('sort by a column either way, stably', () => {
    expect(sortRows(rows, { column: 'host', direction: 'asc' }).map((r) => r.entry.host)).toEqual(['a', 'c', 'dup', 'DUP']);
    expect(sortRows(rows, { column: 'updated', direction: 'desc' }).map((r) => r.entry.host)).toEqual(['DUP', 'c', 'dup', 'a']);
    expect(sortRows(rows, { column: 'status', direction: 'asc' }).map((r) => r.status)).toEqual(['active', 'idle', 'idle', 'stale']);
    expect(sortRows(rows, { column: 'status', direction: 'desc' }).map((r) => r.status)).toEqual(['stale', 'idle', 'idle', 'active']);
  });
  it('filter case-insensitively over host, IP and status', () => {
    expect(filterRows(rows, 'DUP', NOW, DEFAULT_STATUS_THRESHOLDS).length).toBe(2);
    expect(filterRows(rows, '10.0.0', NOW, DEFAULT_STATUS_THRESHOLDS).map((r) => r.entry.host)).toEqual(['c']);
    expect(filterRows(rows, 'stale', NOW, DEFAULT_STATUS_THRESHOLDS).map((r) => r.entry.host)).toEqual(['DUP']);
    expect(filterRows(rows, '  ', NOW, DEFAULT_STATUS_THRESHOLDS).length).toBe(4);
  });
});
