/**
 * The real Control UI (openclaw 2026.9.6's `dist/control-ui`), served as static
 * files on 127.0.0.1 and opened in Chromium with `?gatewayUrl=…#token=…`
 * pointing at our gateway: it connects (device payload v2), and its Devices
 * page lists our gateway's rows: the gateway itself with its host gauges (from
 * `system.info`), and the other presence rows under "Connected without pairing".
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubServer } from '../../../main/hub/hub-server.js';
import { launchChromium, shot } from '../../helpers/browser.js';
import { connectedClient } from '../../helpers/raw-client.js';
import { serveControlUi, type StaticServer } from './control-ui-server.js';

const TOKEN = 'ui-token';
let hub: HubServer;
let ui: StaticServer;
let browser: Browser;

beforeAll(async () => {
  hub = new HubServer({ self: { host: 'hub-self', version: '0.1.0' }, token: TOKEN });
  await hub.start();
  ui = await serveControlUi();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
  await hub?.stop();
});

/** Opens the Devices page pointed at our gateway and accepts the "switch gateway?" question it asks first. */
async function openDevices(page: Page): Promise<void> {
  await page.goto(`${ui.origin}/settings/devices?gatewayUrl=${encodeURIComponent(hub.url)}#token=${TOKEN}`);
  await page.getByRole('button', { name: `Switch to 127.0.0.1:${hub.port}` }).click();
}

describe('the real Control UI against our gateway', () => {
  it('connects and its Devices page lists our rows', { timeout: 120_000 }, async () => {
    // A beaconing machine, so the page has a row that is neither the gateway nor itself. It names
    // no deviceId: our gateway lets a connection write only its own device's row (issue 12, V7).
    const beacon = await connectedClient(hub.url, { token: TOKEN, clientId: 'cli', mode: 'cli' });
    const res = await beacon.client.request('system-event', {
      text: 'Node: beacon-box (10.0.0.77) · app 1.0.0 · last input 4s ago · mode ui · reason periodic',
      platform: 'linux 6.1.0',
    });
    expect(res.ok).toBe(true);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await openDevices(page);
      await expect.poll(() => page.getByText('hub-self', { exact: true }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
      // The gateway's card shows gauges filled from our system.info.
      await expect.poll(() => page.getByText(/GB free/).count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await expect.poll(() => page.getByText('beacon-box', { exact: true }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
      // The page's own connection is one of our rows too (a `ui`-like connect row, client id as host).
      await expect.poll(() => page.getByText('openclaw-control-ui', { exact: true }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
      expect(await page.getByText(/Gateway unreachable/).count()).toBe(0);
      // Our gateway saw it sign in as the Control UI, over the v2 device payload it signs.
      const row = hub.store.list().find((e) => e.clientId === 'openclaw-control-ui');
      expect(row).toMatchObject({ host: 'openclaw-control-ui', reason: 'connect', timeZone: expect.any(String) });
      expect(row?.deviceId).toMatch(/^[0-9a-f]{64}$/);
      await shot(page, 'control-ui-devices-our-gateway');
    } finally {
      beacon.client.close();
      await page.close();
    }
  });
});
