/**
 * The official npm client `@openclaw/gateway-client` 2026.9.1, with its
 * defaults (`gateway-client` / `backend`, scopes `["operator.admin"]`, no device),
 * against our gateway: it reads the list and receives `presence` events
 * (before, `operator.admin` did not cover `operator.read` here and it got nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubServer } from '../../../main/hub/hub-server.js';
import { connectedClient } from '../../helpers/raw-client.js';
import { ensureGatewayClientInstalled, runGatewayClient } from './gateway-client-harness.js';

const TOKEN = 'gc-token';
let hub: HubServer;

beforeAll(async () => {
  ensureGatewayClientInstalled();
  hub = new HubServer({ self: { host: 'hub-self', version: '0.1.0' }, token: TOKEN });
  await hub.start();
});
afterAll(async () => {
  await hub?.stop();
});

describe('@openclaw/gateway-client against our gateway', () => {
  it('reads the list with its default scopes and receives presence events', { timeout: 120_000 }, async () => {
    const client = runGatewayClient(hub.url, TOKEN);
    try {
      const hello = await client.next((r) => r.kind === 'hello', 'hello-ok');
      expect(hello).toMatchObject({ kind: 'hello', protocol: 4, scopes: ['operator.admin'] });
      expect(hello.kind === 'hello' && hello.presence.map((e) => e.host)).toContain('hub-self');
      const list = await client.next((r) => r.kind === 'list', 'system-presence answer');
      expect(list.kind === 'list' && list.presence.find((e) => e.mode === 'gateway')).toMatchObject({ host: 'hub-self', instanceId: hub.instanceId });

      const beacon = await connectedClient(hub.url, { token: TOKEN, clientId: 'cli', mode: 'cli' });
      const res = await beacon.client.request('system-event', { text: 'Node: gc-peer (10.0.0.42) · app 1.0.0 · last input 3s ago · mode ui · reason periodic', lastInputSeconds: 2.5 });
      beacon.client.close();
      expect(res.ok).toBe(true);
      const event = await client.next((r) => r.kind === 'event' && r.event === 'presence' && (r.presence ?? []).some((e) => e.host === 'gc-peer'), 'presence event with the new row');
      expect(event.kind === 'event' && event.presence?.find((e) => e.host === 'gc-peer')).toMatchObject({ ip: '10.0.0.42', lastInputSeconds: 2.5, reason: 'periodic' });
    } finally {
      await client.stop();
    }
  });
});
