/**
 * A listener that throws, at each of the core's emitters, over real sockets:
 * the hub's presence store, the client's connection (events and close), the
 * client's snapshots and the core's window snapshots. Each time the other
 * listeners still hear the news, the owner carries on with its work, and the
 * owner's log has one line saying what threw.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HubServer } from '../../../main/hub/hub-server.js';
import { GatewayConnection } from '../../../main/client/connection.js';
import { loadOrCreateIdentity } from '../../../main/client/identity.js';
import { InstancesService } from '../../../main/core/instances-service.js';
import { FileSecretStore } from '../../../main/core/settings-store.js';
import { ScriptedGateway } from '../../helpers/scripted-gateway.js';
import { tempDir, testClient, waitForSnapshot } from '../../helpers/test-client.js';

const TOKEN = 't0k';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const broken = (what: string) => () => {
  throw new Error(`${what} broke`);
};

describe('a throwing listener', () => {
  it('on the hub presence store: the hub still lists the client, and other listeners hear every change', async () => {
    const hubLog: string[] = [];
    const hub = new HubServer({ self: { host: 'hub', version: '0.1.0' }, token: TOKEN, log: (l) => hubLog.push(l) });
    await hub.start();
    cleanups.push(() => hub.stop());
    hub.store.onChange(broken('store listener'));
    let changes = 0;
    hub.store.onChange(() => (changes += 1));
    const { client } = testClient({ url: hub.url, token: TOKEN, host: { host: 'survivor' } });
    client.start();
    cleanups.push(() => client.stop());
    const s = await waitForSnapshot(client, (x) => x.entries.some((e) => e.host === 'survivor' && e.reason === 'launch'), 15_000, 'own row listed by the hub');
    expect(s.connection.kind).toBe('connected');
    expect(changes).toBeGreaterThan(0);
    expect(hubLog).toContain('a presence change listener threw: store listener broke');
  });

  it('on a gateway connection: other event and close listeners still run, and requests still work', async () => {
    const gw = await ScriptedGateway.start({ presence: [{ host: 'listed', ts: Date.now(), text: '' }] });
    cleanups.push(() => gw.stop());
    const log: string[] = [];
    const { connection } = await GatewayConnection.open({
      url: gw.url,
      identity: loadOrCreateIdentity(tempDir()),
      clientId: 'cli',
      connectMode: 'backend',
      version: '0.1.0-test',
      platform: 'linux',
      scopes: ['operator.read'],
      log: (l) => log.push(l),
    });
    cleanups.push(() => connection.close());
    connection.onEvent(broken('event listener'));
    const events = new Promise<string>((resolve) => connection.onEvent((f) => resolve(f.event)));
    gw.push(JSON.stringify({ type: 'event', event: 'tick', payload: { ts: Date.now() } }));
    expect(await events).toBe('tick');
    expect(await connection.request('system-presence')).toEqual([expect.objectContaining({ host: 'listed' })]);

    connection.onClose(broken('close listener'));
    const closed = new Promise<number>((resolve) => connection.onClose((code) => resolve(code)));
    for (const s of gw.sockets) s.close(4001, 'bye');
    expect(await closed).toBe(4001);
    expect(log).toContain('a gateway event listener threw: event listener broke');
    expect(log).toContain('a connection close listener threw: close listener broke');
  });

  it('on the presence client: it keeps its connection and other subscribers get every snapshot', async () => {
    const gw = await ScriptedGateway.start();
    cleanups.push(() => gw.stop());
    const { client, logs } = testClient({ url: gw.url, beacon: false });
    client.subscribe(broken('snapshot listener'));
    client.start();
    cleanups.push(() => client.stop());
    await waitForSnapshot(client, (s) => s.connection.kind === 'connected');
    gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: [{ host: 'late', ts: Date.now(), text: '' }] } }));
    await waitForSnapshot(client, (s) => s.entries.some((e) => e.host === 'late'));
    expect(logs).toContain('a snapshot listener threw: snapshot listener broke');
  });

  it("on the core: the window's other subscribers and the history recorder still get each snapshot", async () => {
    const dataDir = tempDir();
    const log: string[] = [];
    const service = new InstancesService({
      dataDir,
      secrets: new FileSecretStore(dataDir),
      idleSeconds: () => 7,
      env: {},
      home: tempDir(),
      hostInfo: () => ({ host: 'core-host', ip: '10.9.8.7', platform: 'linux 6.1.0', deviceFamily: 'Linux', modelIdentifier: 'Box' }),
      log: (l) => log.push(l),
    });
    service.subscribe(broken('window'));
    const seen = new Promise<void>((resolve) => {
      const off = service.subscribe((s) => {
        if (s.gateways.some((g) => g.connection.kind === 'connected' && g.entries.some((e) => e.host === 'core-host'))) {
          off();
          resolve();
        }
      });
    });
    await service.start();
    cleanups.push(() => service.stop());
    await seen;
    // History is recorded after the windows are told: a throwing window listener must not skip it.
    await expect.poll(() => service.snapshot().gateways[0]?.remembered?.some((m) => m.entry.host === 'core-host'), { timeout: 15_000 }).toBe(true);
    expect(log).toContain('a window snapshot listener threw: window broke');
  });
});
