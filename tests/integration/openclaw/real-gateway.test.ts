/**
 * Our client against the real OpenClaw gateway (openclaw 2026.9.6 on Node 24),
 * started on 127.0.0.1 by the harness.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealGateway, type RealGateway } from '../../helpers/openclaw/harness.js';
import { testClient, waitForSnapshot } from '../../helpers/test-client.js';
import { connectedClient } from '../../helpers/raw-client.js';
import type { ReceivedEntry } from '../../../shared/client/view-state.js';

let gw: RealGateway;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  gw = await startRealGateway();
});
afterAll(async () => {
  for (const stop of stops.splice(0)) await stop();
  await gw?.stop();
});

const rowsFor = (entries: readonly ReceivedEntry[], o: { instanceId: string; deviceId: string }) =>
  entries.filter((e) => e.instanceId === o.instanceId || e.deviceId === o.deviceId);

describe('our client against the real gateway', () => {
  it('connects with a device identity, beacons, and appears in system-presence with the fields it sent', async () => {
    const { client } = testClient({ url: gw.url, token: gw.token, host: { host: 'real-a', ip: '10.1.1.1' }, idle: 42 });
    stops.push(() => client.stop());
    client.start();
    const s = await waitForSnapshot(client, (x) => x.lastBeacon?.ok === true, 20_000, 'first beacon');
    expect(s.connection).toMatchObject({ kind: 'connected', scopes: expect.arrayContaining(['operator.read', 'operator.admin']) });
    expect(s.lastBeacon?.reason).toBe('launch');
    await client.refresh();
    const rows = rowsFor(client.snapshot().entries, client.snapshot().self);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      host: 'real-a',
      ip: '10.1.1.1',
      version: '0.1.0-test',
      platform: 'linux 6.1.0',
      deviceFamily: 'Linux',
      modelIdentifier: 'TestModel1,1',
      lastInputSeconds: 42,
      mode: 'ui',
      reason: 'instances-refresh',
      instanceId: s.self.instanceId,
      deviceId: s.self.deviceId,
    });
  });

  it('keeps one row across a restart of our client with the same identity (beacon-only mode: no connect rows)', async () => {
    const first = testClient({ url: gw.url, token: gw.token, host: { host: 'real-b' } });
    first.client.start();
    await waitForSnapshot(first.client, (x) => x.lastBeacon?.ok === true, 20_000, 'beacon');
    await first.client.stop();
    const second = testClient({ url: gw.url, token: gw.token, host: { host: 'real-b' }, dataDir: first.dataDir });
    stops.push(() => second.client.stop());
    second.client.start();
    await waitForSnapshot(second.client, (x) => x.lastBeacon?.ok === true, 20_000, 'beacon after restart');
    await second.client.refresh();
    const s = second.client.snapshot();
    expect(s.self).toEqual(first.client.snapshot().self);
    const rows = rowsFor(s.entries, s.self);
    // Pinned fact: with a backend connection the gateway lists only the beacon row — no
    // per-connection row, no lingering `disconnect` row from the first run.
    expect(rows.map((r) => r.reason)).toEqual(['instances-refresh']);
    expect(s.entries.filter((e) => e.host === 'real-b')).toHaveLength(1);
  });

  it('pins what a ui-mode connection would show instead: a connect row per connection, left as disconnect', async () => {
    const first = testClient({ url: gw.url, token: gw.token, host: { host: 'real-ui' }, presenceMode: 'connect-row' });
    first.client.start();
    await waitForSnapshot(first.client, (x) => x.lastBeacon?.ok === true, 20_000, 'beacon');
    await first.client.stop();
    const second = testClient({ url: gw.url, token: gw.token, host: { host: 'real-ui' }, presenceMode: 'connect-row', dataDir: first.dataDir });
    stops.push(() => second.client.stop());
    second.client.start();
    await waitForSnapshot(second.client, (x) => x.lastBeacon?.ok === true, 20_000, 'beacon after restart');
    await second.client.refresh();
    const s = second.client.snapshot();
    const reasons = rowsFor(s.entries, s.self).map((r) => r.reason).sort();
    // One beacon row, the live connection's row, and the first connection's row left behind.
    expect(reasons).toEqual(['connect', 'disconnect', 'instances-refresh']);
  });

  it('does not list a mode "cli" connection', async () => {
    const { client } = await connectedClient(gw.url, { token: gw.token, clientId: 'cli', mode: 'cli', instanceId: 'cli-instance', displayName: 'cli-host' });
    const list = await client.request('system-presence');
    client.close();
    expect(list.ok).toBe(true);
    expect(list.payload.some((e: ReceivedEntry) => e.instanceId === 'cli-instance' || e.host === 'cli-host')).toBe(false);
  });

  it('stops retrying on a wrong token and says what to do', async () => {
    const { client } = testClient({ url: gw.url, token: 'wrong-token' });
    stops.push(() => client.stop());
    client.start();
    const s = await waitForSnapshot(client, (x) => x.connection.kind === 'failed', 20_000, 'failed state');
    expect(s.connection).toMatchObject({ kind: 'failed', reason: 'The gateway refused the token.' });
  });

  it('lists our headless viewer (--list) nowhere', async () => {
    const { client } = testClient({ url: gw.url, token: gw.token, beacon: false, host: { host: 'viewer-only' } });
    stops.push(() => client.stop());
    client.start();
    const s = await waitForSnapshot(client, (x) => x.listReceivedAtMs !== undefined, 20_000, 'list');
    expect(s.entries.some((e) => e.deviceId === s.self.deviceId)).toBe(false);
  });
});
