import { describe, expect, it } from 'vitest';
import {
  ROW_NOT_OWNED,
  admitBeacon,
  connectKeyFor,
  mergeBeacon,
  seedSelf,
  selfKeyFor,
  upsertConnect,
  type BeaconInfo,
  type BeaconWriter,
  type ConnectInfo,
  type SelfInfo,
} from '../../../shared/presence/rules.js';
import type { PresenceMap } from '../../../shared/presence/entry.js';

const T0 = 1_700_000_000_000;
const SELF: SelfInfo = { host: 'Gateway-Box', ip: '10.0.0.1', version: '0.1.0' };
const SELF_KEY = selfKeyFor(SELF);
const VICTIM = 'a'.repeat(64);
const ATTACKER = 'b'.repeat(64);

function conn(over: Partial<ConnectInfo> = {}): ConnectInfo {
  return { connId: 'c1', clientId: 'openclaw-linux', mode: 'ui', role: 'operator', scopes: ['operator.read'], version: '1.0.0', platform: 'linux 6.1', ...over };
}

/** What the hub does with a beacon: admit, then merge what was admitted. */
function beacon(map: PresenceMap, b: BeaconInfo, writer: BeaconWriter, nowMs: number) {
  const admission = admitBeacon(map, b, writer, SELF_KEY);
  return admission.ok ? { admission, map: mergeBeacon(map, admission.beacon, nowMs, writer.fallbackKey).map } : { admission, map };
}

function fleet(): PresenceMap {
  let map = seedSelf(new Map(), SELF, T0);
  map = upsertConnect(map, conn({ deviceId: VICTIM, instanceId: 'victim-inst', displayName: 'victim' }), T0, undefined, SELF_KEY);
  map = beacon(map, { text: 'Node: victim', deviceId: VICTIM, instanceId: 'victim-inst', host: 'victim', ip: '10.0.0.20', version: '1.0' }, { deviceId: VICTIM, fallbackKey: 'conn:v' }, T0).map;
  return map;
}

describe('beacon ownership', () => {
  it('refuses a beacon that names another device outright, and leaves its row alone', () => {
    const map = fleet();
    const { admission, map: after } = beacon(map, { text: 'Node: evil', deviceId: VICTIM, host: 'evil\u202e' }, { deviceId: ATTACKER, fallbackKey: 'conn:a' }, T0 + 1);
    expect(admission).toMatchObject({ ok: false, code: ROW_NOT_OWNED });
    expect(admission.ok ? '' : admission.message).toMatch(/names device aaaaaaaaaaaa…, but this connection signed in as device bbbbbbbbbbbb…/);
    expect(after).toBe(map);
  });

  it('re-keys a device beacon that names another row by instanceId or host onto its own device row', () => {
    const map = fleet();
    const byInstance = beacon(map, { text: 'Node: evil', instanceId: 'victim-inst', host: 'victim' }, { deviceId: ATTACKER, fallbackKey: 'conn:a' }, T0 + 1);
    expect(byInstance.admission).toMatchObject({ ok: true, key: ATTACKER });
    expect(byInstance.map.get(VICTIM)).toEqual(map.get(VICTIM));
    expect(byInstance.map.get(ATTACKER)).toMatchObject({ deviceId: ATTACKER, instanceId: 'victim-inst', host: 'victim' });
    // The key of the victim's row itself, as instanceId: still its own row.
    const byKey = beacon(map, { text: 'Node: evil', instanceId: VICTIM }, { deviceId: ATTACKER, fallbackKey: 'conn:a' }, T0 + 1);
    expect(byKey.admission).toMatchObject({ ok: true, key: ATTACKER });
    expect(byKey.map.get(VICTIM)).toEqual(map.get(VICTIM));
  });

  it('accepts its own deviceId in any case and spacing, and fills it in when left out', () => {
    const map = fleet();
    expect(admitBeacon(map, { text: 'Node: victim', deviceId: ` ${VICTIM.toUpperCase()} ` }, { deviceId: VICTIM, fallbackKey: 'x' }, SELF_KEY)).toMatchObject({ ok: true, key: VICTIM });
    expect(admitBeacon(map, { text: 'Node: victim' }, { deviceId: VICTIM, fallbackKey: 'x' }, SELF_KEY)).toMatchObject({ ok: true, beacon: { deviceId: VICTIM } });
  });

  it('keeps a connection without a device off device rows and off the gateway row', () => {
    const map = fleet();
    const deviceless: BeaconWriter = { fallbackKey: 'conn:x' };
    expect(admitBeacon(map, { text: 'Node: x', deviceId: VICTIM }, deviceless, SELF_KEY)).toMatchObject({ ok: false, code: ROW_NOT_OWNED });
    expect(admitBeacon(map, { text: 'Node: x', instanceId: VICTIM }, deviceless, SELF_KEY)).toMatchObject({ ok: false });
    expect(admitBeacon(map, { text: 'Node: Gateway-Box' }, deviceless, SELF_KEY)).toMatchObject({ ok: false });
    expect(admitBeacon(map, { text: 'Node: x', host: 'GATEWAY-BOX ' }, deviceless, SELF_KEY)).toMatchObject({ ok: false });
    expect(admitBeacon(map, { text: 'Node: server-1', instanceId: 'server-1' }, deviceless, SELF_KEY)).toMatchObject({ ok: true, key: 'server-1' });
  });

  it("never lets a device beacon land on the gateway's row", () => {
    const map = fleet();
    const r = beacon(map, { text: 'Node: Gateway-Box', host: 'Gateway-Box', version: '6.6.6' }, { deviceId: ATTACKER, fallbackKey: 'conn:a' }, T0 + 1);
    expect(r.map.get(SELF_KEY)).toEqual(map.get(SELF_KEY));
  });
});

describe('what a forged beacon leaves behind', () => {
  it("adds no roles or scopes, and its idle time is gone with the owner's next beacon", () => {
    // A row a device-less tool writes (the only kind two writers can share).
    const tool: BeaconWriter = { fallbackKey: 'conn:t' };
    let map = fleet();
    map = beacon(map, { text: 'Node: server-1', instanceId: 'server-1', host: 'server-1', version: '1' }, tool, T0).map;
    map = beacon(map, { text: 'Node: server-1', instanceId: 'server-1', roles: ['owner'], scopes: ['operator.admin'], lastInputSeconds: 99_999 }, { fallbackKey: 'conn:forger' }, T0 + 1).map;
    expect(map.get('server-1')).not.toHaveProperty('roles');
    expect(map.get('server-1')).not.toHaveProperty('scopes');
    expect(map.get('server-1')?.lastInputSeconds).toBe(99_999);
    map = beacon(map, { text: 'Node: server-1', instanceId: 'server-1', host: 'server-1', version: '1' }, tool, T0 + 2).map;
    expect(map.get('server-1')).not.toHaveProperty('lastInputSeconds');
    expect(map.get('server-1')).toMatchObject({ host: 'server-1', version: '1' });
  });

  it("keeps the victim's granted roles and its own idle time", () => {
    let map = fleet();
    map = beacon(map, { text: 'Node: victim', lastInputSeconds: 12 }, { deviceId: VICTIM, fallbackKey: 'conn:v' }, T0 + 1).map;
    expect(map.get(VICTIM)).toMatchObject({ roles: ['operator'], scopes: ['operator.read'], lastInputSeconds: 12 });
    map = beacon(map, { text: 'Node: victim', roles: ['node'] }, { deviceId: VICTIM, fallbackKey: 'conn:v' }, T0 + 2).map;
    expect(map.get(VICTIM)).toMatchObject({ roles: ['operator'], host: 'victim', ip: '10.0.0.20' });
    expect(map.get(VICTIM)).not.toHaveProperty('lastInputSeconds');
  });
});

describe('connect rows', () => {
  it("put a client named like the gateway under its own key, never over the gateway's row", () => {
    const map = fleet();
    expect(connectKeyFor(map, conn({ connId: 'C9', displayName: 'gateway-box' }), SELF_KEY)).toBe('conn:c9');
    const after = upsertConnect(map, conn({ connId: 'C9', displayName: 'Gateway-Box', version: '6.6.6' }), T0 + 1, undefined, SELF_KEY);
    expect(after.get(SELF_KEY)).toEqual(map.get(SELF_KEY));
    expect(after.get('conn:c9')).toMatchObject({ host: 'Gateway-Box', version: '6.6.6' });
  });

  it("put a device-less client reusing a device's id as instanceId under its own key", () => {
    const map = fleet();
    expect(connectKeyFor(map, conn({ connId: 'c2', instanceId: VICTIM }), SELF_KEY)).toBe('conn:c2');
    // Another device naming the victim's instanceId is keyed by its own device anyway.
    expect(connectKeyFor(map, conn({ deviceId: ATTACKER, instanceId: 'victim-inst' }), SELF_KEY)).toBe(ATTACKER);
    // The owner itself lands on its row.
    expect(connectKeyFor(map, conn({ deviceId: VICTIM.toUpperCase() }), SELF_KEY)).toBe(VICTIM);
  });
});
