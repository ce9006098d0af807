/**
 * Pairing against the real gateway, as a remote client sees it. The gateway is told
 * to trust 127.0.0.1 as a proxy and our client sends X-Forwarded-For, so the
 * gateway treats it as remote (203.0.113.9, a documentation address: nothing is
 * sent there) and asks for approval instead of pairing it silently.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startRealGateway, type RealGateway } from '../../helpers/openclaw/harness.js';
import { testClient, waitForSnapshot } from '../../helpers/test-client.js';

let gw: RealGateway | undefined;
afterAll(async () => {
  await gw?.stop();
});

describe('pairing with the real gateway', () => {
  it('waits for approval with the request id to approve, then connects and beacons once approved', async () => {
    gw = await startRealGateway({ config: { gateway: { trustedProxies: ['127.0.0.1'] } } });
    const { client } = testClient({ url: gw.url, token: gw.token, headers: { 'x-forwarded-for': '203.0.113.9' }, host: { host: 'remote-laptop' } });
    client.start();
    try {
      const waiting = await waitForSnapshot(client, (s) => s.connection.kind === 'reconnecting' && /pairing/.test(s.connection.lastError), 20_000, 'pairing required');
      const lastError = waiting.connection.kind === 'reconnecting' ? waiting.connection.lastError : '';
      expect(lastError).toMatch(/^This device is waiting for pairing approval on the gateway\. On the gateway host run: openclaw devices approve [0-9a-f-]{36}\./);
      // Waits at least the gateway's pace, not our fast test backoff.
      expect(waiting.connection.kind === 'reconnecting' && waiting.connection.retryAtMs - Date.now()).toBeGreaterThan(10_000);
      const requestId = /approve ([0-9a-f-]{36})/.exec(lastError)![1]!;
      const approved = gw.cli(['devices', 'approve', requestId, '--url', gw.url, '--token', gw.token]);
      expect(approved.status, approved.stdout + approved.stderr).toBe(0);
      await client.refresh(); // the window's "Retry now"
      const s = await waitForSnapshot(client, (x) => x.connection.kind === 'connected' && x.lastBeacon?.ok === true, 20_000, 'connected after approval');
      expect(s.connection.kind === 'connected' && s.connection.scopes).toEqual(expect.arrayContaining(['operator.read', 'operator.admin']));
      // The beacon's ack can arrive before the presence event that carries its row.
      await waitForSnapshot(client, (x) => x.entries.some((e) => e.host === 'remote-laptop'), 10_000, 'our row after the first beacon');
    } finally {
      await client.stop();
    }
  });
});
