/**
 * One scenario, played against our embedded gateway and the real OpenClaw
 * gateway; the lists must agree field by field (ignoring `ts` and the
 * gateway's own self entry). Known, documented differences are left out of the
 * comparison by name: `roles`/`scopes` (our hub merges the connection's into
 * the row; the real one keeps a backend connection out of the list).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealGateway, type RealGateway } from './harness.js';
import { GatewayServer } from '../../../main/hub/gateway-server.js';
import { testClient, waitForSnapshot } from '../../helpers/test-client.js';
import { connectedClient } from '../../helpers/raw-client.js';
import type { ReceivedEntry } from '../../../shared/client/view-state.js';

const COMPARED = ['host', 'ip', 'version', 'platform', 'deviceFamily', 'modelIdentifier', 'mode', 'lastInputSeconds', 'reason', 'instanceId', 'text'] as const;

async function playScenario(url: string, token: string): Promise<Array<Record<string, unknown>>> {
  const a = testClient({ url, token, host: { host: 'diff-a', ip: '10.0.0.11' }, idle: 5 });
  const b = testClient({ url, token, host: { host: 'diff-b', ip: '10.0.0.12', modelIdentifier: 'Other2,1' }, shareActivity: false, idle: 9 });
  a.client.start();
  b.client.start();
  await waitForSnapshot(a.client, (s) => s.lastBeacon?.ok === true, 20_000, 'a beacon');
  await waitForSnapshot(b.client, (s) => s.lastBeacon?.ok === true, 20_000, 'b beacon');
  // b restarts with the same identity.
  await b.client.stop();
  const b2 = testClient({ url, token, host: { host: 'diff-b', ip: '10.0.0.12', modelIdentifier: 'Other2,1' }, shareActivity: false, idle: 9, dataDir: b.dataDir });
  b2.client.start();
  await waitForSnapshot(b2.client, (s) => s.lastBeacon?.ok === true, 20_000, 'b2 beacon');
  // A legacy client that sends only the text line, over a cli connection (never listed itself).
  const legacy = await connectedClient(url, { token, clientId: 'cli', mode: 'cli', displayName: 'legacy-cli' });
  const res = await legacy.client.request('system-event', { text: 'Node: legacy-host (10.0.0.13) · app 0.9.0 · last input 77s ago · mode webchat · reason periodic' });
  expect(res.ok).toBe(true);
  const list = await legacy.client.request('system-presence');
  legacy.client.close();
  await a.client.stop();
  await b2.client.stop();
  return (list.payload as ReceivedEntry[])
    .filter((e) => e.mode !== 'gateway')
    .map((e) => Object.fromEntries(COMPARED.filter((k) => e[k] !== undefined).map((k) => [k, k === 'instanceId' ? 'same-as-client' : e[k]])))
    .sort((x, y) => String(x.host).localeCompare(String(y.host)));
}

let real: RealGateway;
let hub: GatewayServer;
beforeAll(async () => {
  real = await startRealGateway();
  hub = new GatewayServer({ self: { host: 'hub-self', version: '0.1.0' }, token: real.token });
  await hub.start();
});
afterAll(async () => {
  await hub?.stop();
  await real?.stop();
});

describe('differential: our hub versus the real gateway', () => {
  it('lists the same rows with the same fields for one scenario', async () => {
    const ours = await playScenario(hub.url, real.token);
    const theirs = await playScenario(real.url, real.token);
    expect(theirs.map((r) => r.host)).toEqual(['diff-a', 'diff-b', 'legacy-host']);
    expect(ours).toEqual(theirs);
  });
});
