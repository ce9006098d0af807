/** A restart of the real gateway is survived: reconnect, beacon, row back. */
import { afterAll, describe, expect, it } from 'vitest';
import { startRealGateway, type RealGateway } from '../../helpers/openclaw/harness.js';
import { testClient, waitForSnapshot } from '../../helpers/test-client.js';

let gw: RealGateway | undefined;
afterAll(async () => {
  await gw?.stop();
});

describe('real gateway restart', () => {
  it('reconnects after the gateway restarts on the same port, beacons, and its row returns', async () => {
    gw = await startRealGateway();
    const { port, token } = gw;
    const { client } = testClient({ url: gw.url, token, host: { host: 'survivor' } });
    client.start();
    try {
      await waitForSnapshot(client, (x) => x.lastBeacon?.ok === true, 20_000, 'first beacon');
      await gw.stop('SIGTERM');
      await waitForSnapshot(client, (x) => x.connection.kind === 'reconnecting', 20_000, 'reconnecting');
      gw = await startRealGateway({ port, token });
      const back = await waitForSnapshot(
        client,
        (x) => x.connection.kind === 'connected' && x.lastBeacon?.reason === 'connect' && x.lastBeacon.ok,
        60_000,
        'reconnect and beacon',
      );
      expect(back.lastBeacon?.reason).toBe('connect');
      await client.refresh();
      const rows = client.snapshot().entries.filter((e) => e.host === 'survivor');
      expect(rows).toHaveLength(1);
    } finally {
      await client.stop();
    }
  });
});
