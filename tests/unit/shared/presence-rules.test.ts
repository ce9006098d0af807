import { describe, expect, it } from 'vitest';
import {
  enforceBound,
  listPresence,
  mergeBeacon,
  pruneExpired,
  seedSelf,
  selfKeyFor,
  unionStrings,
  upsertConnect,
  type ConnectInfo,
  type SelfInfo,
} from '../../../shared/presence/rules.js';
import { presenceKeyFor, normalizePresenceKey } from '../../../shared/presence/keys.js';
import { formatLegacyText, parseLegacyText } from '../../../shared/presence/legacy-text.js';
import { isLoopbackAddress } from '../../../shared/presence/loopback.js';
import type { PresenceEntry, PresenceMap } from '../../../shared/presence/entry.js';

const T0 = 1_700_000_000_000;
const SELF: SelfInfo = { host: 'Gateway-Box', ip: '10.0.0.1', version: '0.1.0', platform: 'linux 6.1', deviceFamily: 'Linux' };
const empty: PresenceMap = new Map();

function conn(over: Partial<ConnectInfo> = {}): ConnectInfo {
  return {
    connId: 'c1',
    clientId: 'openclaw-linux',
    mode: 'ui',
    role: 'operator',
    scopes: ['operator.read'],
    version: '1.0.0',
    platform: 'linux 6.1',
    instanceId: 'inst-1',
    ...over,
  };
}

describe('self entry', () => {
  it('is seeded under the lower-cased host name with mode gateway and reason self', () => {
    const map = seedSelf(empty, SELF, T0);
    const entry = map.get('gateway-box');
    expect(entry).toMatchObject({ host: 'Gateway-Box', mode: 'gateway', reason: 'self', ts: T0, ip: '10.0.0.1' });
    expect(entry?.text).toBe('Gateway: Gateway-Box (10.0.0.1) · app 0.1.0 · mode gateway · reason self');
  });

  it('is refreshed by every list call, and re-seeded when the map is empty', () => {
    const first = listPresence(seedSelf(empty, SELF, T0), SELF, T0 + 10_000);
    expect(first.map.get(selfKeyFor(SELF))?.ts).toBe(T0 + 10_000);
    const fromEmpty = listPresence(empty, SELF, T0);
    expect(fromEmpty.list).toHaveLength(1);
    expect(fromEmpty.list[0]?.reason).toBe('self');
  });
});

describe('connect upsert', () => {
  it('adds an entry for a ui client with reason connect, its role and scopes', () => {
    const map = upsertConnect(empty, conn({ displayName: 'laptop', deviceId: 'DEV-1' }), T0);
    expect(map.get('dev-1')).toMatchObject({ host: 'laptop', mode: 'ui', reason: 'connect', roles: ['operator'], scopes: ['operator.read'], instanceId: 'inst-1', ts: T0 });
  });

  it('never adds an entry for mode cli', () => {
    const map = upsertConnect(empty, conn({ mode: 'cli', clientId: 'cli' }), T0);
    expect(map.size).toBe(0);
  });

  it('keys a reconnect with the same instanceId onto the same entry', () => {
    let map = upsertConnect(empty, conn({ connId: 'a' }), T0);
    map = upsertConnect(map, conn({ connId: 'b' }), T0 + 1000);
    expect([...map.keys()]).toEqual(['inst-1']);
    expect(map.get('inst-1')?.ts).toBe(T0 + 1000);
  });

  it('takes a non-loopback remote address as the IP', () => {
    const map = upsertConnect(empty, conn({ remoteAddress: '192.168.1.20' }), T0);
    expect(map.get('inst-1')?.ip).toBe('192.168.1.20');
  });

  it('never lets a loopback remote address overwrite an IP the client reported', () => {
    let map = mergeBeacon(empty, { text: 'Node: laptop (192.168.1.20) · app 1.0 · mode ui', instanceId: 'inst-1' }, T0, 'x').map;
    map = upsertConnect(map, conn({ remoteAddress: '127.0.0.1' }), T0 + 1);
    expect(map.get('inst-1')?.ip).toBe('192.168.1.20');
    map = upsertConnect(map, conn({ remoteAddress: '::ffff:127.0.0.1' }), T0 + 2);
    expect(map.get('inst-1')?.ip).toBe('192.168.1.20');
  });
});

describe('beacon merge', () => {
  it('merges field by field: a field left out keeps its old value, ts becomes now', () => {
    let map = mergeBeacon(empty, { text: 'Node: a', instanceId: 'i', host: 'a', ip: '10.0.0.5', version: '1', lastInputSeconds: 4, mode: 'ui' }, T0, 'x').map;
    map = mergeBeacon(map, { text: 'Node: a', instanceId: 'i', lastInputSeconds: 9, reason: 'periodic' }, T0 + 60_000, 'x').map;
    expect(map.get('i')).toMatchObject({ host: 'a', ip: '10.0.0.5', version: '1', lastInputSeconds: 9, mode: 'ui', reason: 'periodic', ts: T0 + 60_000 });
  });

  it('unions the roles and scopes connects granted; a beacon only claims them and adds none', () => {
    let map = upsertConnect(empty, conn({ scopes: ['operator.read'] }), T0);
    map = upsertConnect(map, conn({ connId: 'c2', role: 'node', scopes: ['operator.admin'] }), T0 + 1);
    map = mergeBeacon(map, { text: 'Node: a', instanceId: 'inst-1', roles: ['owner'], scopes: ['operator.everything'] }, T0 + 2, 'x').map;
    expect(map.get('inst-1')?.roles).toEqual(['operator', 'node']);
    expect(map.get('inst-1')?.scopes).toEqual(['operator.read', 'operator.admin']);
    expect(unionStrings(undefined, [' a ', ''], ['a', 'b'])).toEqual(['a', 'b']);
  });

  it('parses a legacy text-only beacon into fields', () => {
    const text = 'Node: studio (10.0.0.9) · app 2026.1.2 · last input 42s ago · mode ui · reason periodic';
    const { map, key } = mergeBeacon(empty, { text }, T0, 'x');
    expect(key).toBe('studio');
    expect(map.get('studio')).toMatchObject({ host: 'studio', ip: '10.0.0.9', version: '2026.1.2', lastInputSeconds: 42, mode: 'ui', reason: 'periodic', text });
  });

  it('lets payload fields win over the same fields parsed from text', () => {
    const { map } = mergeBeacon(empty, { text: 'Node: old (10.0.0.1) · app 1 · mode ui', instanceId: 'i', host: 'new', version: '2' }, T0, 'x');
    expect(map.get('i')).toMatchObject({ host: 'new', version: '2', ip: '10.0.0.1' });
  });

  it('forgets lastInputSeconds when tagged system-presence-clear-last-input', () => {
    let map = mergeBeacon(empty, { text: 'Node: a', instanceId: 'i', lastInputSeconds: 5 }, T0, 'x').map;
    map = mergeBeacon(map, { text: 'Node: a', instanceId: 'i', tags: ['system-presence-clear-last-input'] }, T0 + 1, 'x').map;
    expect(map.get('i')).not.toHaveProperty('lastInputSeconds');
  });
});

describe('keys', () => {
  it('take deviceId, then instanceId, then host, then ip, then the first 64 characters of text', () => {
    expect(presenceKeyFor({ deviceId: 'D', instanceId: 'I', host: 'H', ip: '1.2.3.4', text: 't' })).toBe('d');
    expect(presenceKeyFor({ instanceId: 'I', host: 'H', ip: '1.2.3.4', text: 't' })).toBe('i');
    expect(presenceKeyFor({ host: 'H', ip: '1.2.3.4', text: 't' })).toBe('h');
    expect(presenceKeyFor({ ip: '1.2.3.4', text: 't' })).toBe('1.2.3.4');
    expect(presenceKeyFor({ text: 'x'.repeat(100) })).toBe('x'.repeat(64));
    expect(presenceKeyFor({ deviceId: '   ', instanceId: 'I' })).toBe('i');
  });

  it('are trimmed and case-insensitive, so differently cased beacons merge into one entry', () => {
    expect(normalizePresenceKey('  Mac-Studio ')).toBe('mac-studio');
    let map = mergeBeacon(empty, { text: 'Node: a', instanceId: 'ABC-123', version: '1' }, T0, 'x').map;
    map = mergeBeacon(map, { text: 'Node: a', instanceId: ' abc-123 ', lastInputSeconds: 3 }, T0 + 1, 'x').map;
    expect(map.size).toBe(1);
    expect(map.get('abc-123')).toMatchObject({ version: '1', lastInputSeconds: 3 });
  });
});

describe('bounds', () => {
  it('prunes entries older than 5 minutes and keeps those exactly 5 minutes old', () => {
    let map = mergeBeacon(empty, { text: 'Node: old', instanceId: 'old' }, T0, 'x').map;
    map = mergeBeacon(map, { text: 'Node: edge', instanceId: 'edge' }, T0 + 1, 'x').map;
    const pruned = pruneExpired(map, T0 + 300_001, 300_000);
    expect([...pruned.keys()]).toEqual(['edge']);
  });

  it('keeps at most 200 entries, dropping the oldest ts first', () => {
    let map: PresenceMap = empty;
    for (let i = 0; i < 205; i += 1) map = mergeBeacon(map, { text: `Node: h${i}`, instanceId: `i${i}` }, T0 + i, 'x').map;
    expect(map.size).toBe(200);
    expect(map.has('i0')).toBe(false);
    expect(map.has('i4')).toBe(false);
    expect(map.has('i5')).toBe(true);
    expect(map.has('i204')).toBe(true);
  });

  it('never drops the gateway self entry to make room', () => {
    let map = seedSelf(empty, SELF, T0 - 1);
    for (let i = 0; i < 250; i += 1) map = mergeBeacon(map, { text: `Node: h${i}`, instanceId: `i${i}` }, T0 + i, 'x').map;
    const { map: listed } = listPresence(map, SELF, T0 + 300);
    expect(listed.size).toBe(200);
    expect(listed.has(selfKeyFor(SELF))).toBe(true);
    expect(enforceBound(listed, 10, selfKeyFor(SELF)).has(selfKeyFor(SELF))).toBe(true);
  });

  it('lists newest first', () => {
    let map = mergeBeacon(empty, { text: 'Node: a', instanceId: 'a' }, T0 + 5, 'x').map;
    map = mergeBeacon(map, { text: 'Node: b', instanceId: 'b' }, T0 + 9, 'x').map;
    map = mergeBeacon(map, { text: 'Node: c', instanceId: 'c' }, T0 + 1, 'x').map;
    const { list } = listPresence(map, SELF, T0 + 10);
    expect(list.map((e: PresenceEntry) => e.instanceId ?? e.reason)).toEqual(['self', 'b', 'a', 'c']);
  });
});

describe('legacy text and loopback', () => {
  it('round-trips fields through the legacy line, leaving unknown fields out', () => {
    const text = formatLegacyText({ host: 'box', ip: '10.1.1.1', version: '1.0', lastInputSeconds: 7, mode: 'ui', reason: 'launch' });
    expect(text).toBe('Node: box (10.1.1.1) · app 1.0 · last input 7s ago · mode ui · reason launch');
    expect(parseLegacyText(text)).toEqual({ host: 'box', ip: '10.1.1.1', version: '1.0', lastInputSeconds: 7, mode: 'ui', reason: 'launch' });
    expect(formatLegacyText({ host: 'box', mode: 'ui' })).toBe('Node: box · mode ui');
    expect(parseLegacyText('hello world')).toEqual({});
  });

  it('recognises loopback addresses in IPv4, IPv6 and mapped forms', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:10.0.0.1', '192.168.0.127', undefined]) expect(isLoopbackAddress(a)).toBe(false);
  });
});
