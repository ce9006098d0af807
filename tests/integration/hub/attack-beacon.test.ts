/**
 * Issue 12, V7: rows overwritten by anyone who can beacon. Each attack runs over
 * real sockets against a running hub; the victim is our real presence client.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { HubServer } from '../../../main/hub/hub-server.js';
import { generateDeviceKeyPair } from '../../../main/device/ed25519.js';
import type { PresenceEntry } from '../../../shared/presence/entry.js';
import { connectedClient, type RawClient } from '../../helpers/raw-client.js';
import { testClient, waitForSnapshot } from '../../helpers/test-client.js';

const TOKEN = 'T-beacon-attacks';
const SELF = { host: 'hub-host', ip: '10.9.9.9', version: '0.1.0', platform: 'linux 6.1', deviceFamily: 'Linux' };

let hub: HubServer;
const cleanups: Array<() => unknown> = [];
beforeEach(async () => {
  hub = new HubServer({ self: SELF, token: TOKEN });
  await hub.start();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await hub.stop();
});

async function raw(o: Parameters<typeof connectedClient>[1] = {}): Promise<RawClient> {
  const { client } = await connectedClient(hub.url, { token: TOKEN, ...o });
  cleanups.push(() => client.close());
  return client;
}

async function list(client: RawClient): Promise<PresenceEntry[]> {
  const res = await client.request('system-presence');
  expect(res.ok).toBe(true);
  return res.payload as PresenceEntry[];
}

/** Our real client as the victim: it connects, beacons (idle 5 s), and lists. */
async function startVictim() {
  const victim = testClient({ url: hub.url, token: TOKEN, idle: 5, host: { host: 'victim-box', ip: '10.0.0.20' } });
  cleanups.push(() => rmSync(victim.dataDir, { recursive: true, force: true }));
  cleanups.push(() => victim.client.stop());
  victim.client.start();
  const snap = await waitForSnapshot(victim.client, (s) => s.entries.some((e) => e.deviceId === s.self.deviceId && e.lastInputSeconds === 5), 15_000, 'the victim row');
  const row = () => hub.store.list().find((e) => e.deviceId === snap.self.deviceId);
  return { ...victim, self: snap.self, row };
}

describe('beacon ownership over real sockets (V7)', () => {
  it("refuses a beacon that names another client's deviceId, and the victim's row stays as it was", async () => {
    const victim = await startVictim();
    const before = victim.row();
    const attacker = await raw({ instanceId: 'attacker', displayName: 'attacker' });
    const res = await attacker.request('system-event', {
      text: 'Node: evil\u202eexe (6.6.6.6) · app 6.6.6 · mode ui · reason periodic',
      deviceId: victim.self.deviceId,
      host: 'evil\u202eexe',
      ip: '6.6.6.6',
      version: '6.6.6',
      lastInputSeconds: 99_999,
    });
    expect(res.ok).toBe(false);
    expect(res.error).toMatchObject({ code: 'FORBIDDEN', details: { code: 'PRESENCE_ROW_NOT_OWNED' } });
    expect(res.error?.message).toMatch(/beacon names device .*but this connection signed in as device/);
    const after = victim.row();
    expect({ ...after, ts: 0 }).toEqual({ ...before, ts: 0 });
    expect((await list(attacker)).some((e) => e.host?.includes('evil'))).toBe(false);
  });

  it("puts a beacon that reuses the victim's instanceId or row key on the sender's own row", async () => {
    const victim = await startVictim();
    const before = victim.row()!;
    const device = generateDeviceKeyPair();
    const attacker = await raw({ device, displayName: 'attacker' });
    for (const claim of [{ instanceId: victim.self.instanceId }, { instanceId: victim.self.deviceId }, { host: 'victim-box' }]) {
      const res = await attacker.request('system-event', { text: 'Node: victim-box (6.6.6.6) · app 6.6.6 · mode ui', ip: '6.6.6.6', version: '6.6.6', ...claim });
      expect(res.ok).toBe(true);
    }
    const rows = await list(attacker);
    const victimRow = rows.find((e) => e.deviceId === victim.self.deviceId)!;
    expect(victimRow).toMatchObject({ host: before.host, ip: '10.0.0.20', version: before.version, instanceId: victim.self.instanceId });
    expect(rows.find((e) => e.deviceId === device.deviceId)).toMatchObject({ ip: '6.6.6.6', version: '6.6.6' });
    expect(rows.filter((e) => e.ip === '6.6.6.6')).toHaveLength(1);
  });

  it("keeps the gateway's own row the gateway's: no beacon and no connect displayName rewrites it", async () => {
    const gatewayRow = () => hub.store.list().find((e) => e.reason === 'self')!;
    const before = gatewayRow();
    expect(before).toMatchObject({ host: 'hub-host', mode: 'gateway', version: '0.1.0' });

    const withDevice = await raw({ displayName: 'hub-host' });
    expect((await withDevice.request('system-event', { text: 'Node: hub-host (6.6.6.6) · app 6.6.6', host: 'hub-host', version: '6.6.6' })).ok).toBe(true);

    // A tool with the token but no device, in a mode that gets a connect row, named like the gateway.
    const tool = await raw({ clientId: 'gateway-client', mode: 'backend', device: false, displayName: 'hub-host' });
    const res = await tool.request('system-event', { text: 'Node: hub-host · app 6.6.6', version: '6.6.6' });
    expect(res.error).toMatchObject({ code: 'FORBIDDEN', details: { code: 'PRESENCE_ROW_NOT_OWNED' } });
    expect(res.error?.message).toMatch(/gateway's own/);

    const rows = await list(withDevice);
    const self = rows.filter((e) => e.reason === 'self' || e.mode === 'gateway');
    expect(self).toHaveLength(1);
    expect({ ...self[0], ts: 0 }).toEqual({ ...before, ts: 0 });
    // The two clients named "hub-host" are rows of their own.
    expect(rows.filter((e) => e.host === 'hub-host')).toHaveLength(3);
  });

  it("lets no forged roles or idle time outlive the owner's next beacon", async () => {
    // The only rows two writers can share: rows of token-holding tools without a device.
    const owner = await raw({ clientId: 'cli', mode: 'cli', device: false });
    const forger = await raw({ clientId: 'cli', mode: 'cli', device: false });
    expect((await owner.request('system-event', { text: 'Node: server-1 (10.0.0.30) · app 1.0 · mode backend', instanceId: 'server-1' })).ok).toBe(true);
    const forged = await forger.request('system-event', { text: 'Node: server-1 (10.0.0.30) · app 1.0 · mode backend', instanceId: 'server-1', roles: ['owner'], scopes: ['operator.everything'], lastInputSeconds: 99_999 });
    expect(forged.ok).toBe(true);
    let row = (await list(owner)).find((e) => e.instanceId === 'server-1')!;
    expect(row).not.toHaveProperty('roles');
    expect(row).not.toHaveProperty('scopes');
    expect(row.lastInputSeconds).toBe(99_999);
    // The owner's next beacon carries no idle time (a server has none): the forged one is gone.
    expect((await owner.request('system-event', { text: 'Node: server-1 (10.0.0.30) · app 1.0 · mode backend', instanceId: 'server-1' })).ok).toBe(true);
    row = (await list(owner)).find((e) => e.instanceId === 'server-1')!;
    expect(row).not.toHaveProperty('lastInputSeconds');
    expect(row).toMatchObject({ host: 'server-1', ip: '10.0.0.30', version: '1.0' });
  });

  it("keeps the victim's roles what the gateway granted, whatever its beacons claim", async () => {
    const victim = await startVictim();
    expect(victim.row()).toMatchObject({ roles: ['operator'], lastInputSeconds: 5 });
    const attacker = await raw({ displayName: 'attacker' });
    await attacker.request('system-event', { text: 'Node: victim-box', deviceId: victim.self.deviceId, roles: ['node', 'owner'] });
    expect(victim.row()?.roles).toEqual(['operator']);
  });
});
