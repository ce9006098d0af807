/**
 * The Machines view against the real OpenClaw gateway, with real clients: the
 * real `openclaw node run` host, one `ui` device that reconnects three times, a
 * text-only `system-event`, and our own beacon client. One row per machine;
 * then the node host stops (Offline, last seen), the beacon client stops
 * (Stale, then Gone once the gateway forgets it after its 5-minute TTL), and a
 * Gone machine is still listed after an app restart. About six minutes: the
 * real gateway's TTL can't be shortened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, rowFor, shot, startHost, type TestHost } from '../helpers/browser.js';
import { startRealGateway, type RealGateway } from '../helpers/openclaw/harness.js';
import { startNodeHost, type NodeHost } from '../helpers/openclaw/real-cli.js';
import { connectedClient, type RawClient } from '../helpers/raw-client.js';
import { tempDir, testClient, waitForSnapshot } from '../helpers/test-client.js';
import { generateDeviceKeyPair } from '../../main/device/ed25519.js';
import type { InstancesServiceOptions } from '../../main/core/instances-service.js';

let browser: Browser;
let real: RealGateway;
let node: NodeHost | undefined;
const stops: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  real = await startRealGateway();
  browser = await launchChromium();
});
afterAll(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await node?.stop();
  await browser?.close();
  await real?.stop();
});

const machineRows = (page: Page) => page.locator('tbody tr.machine-row');
const statusOf = (page: Page, host: string) => rowFor(page, host).first().getAttribute('data-status');
const statusText = (page: Page, host: string) => rowFor(page, host).first().locator('.machine-status').textContent();

async function viewer(dataDir: string, o: Partial<InstancesServiceOptions> = {}): Promise<{ host: TestHost; page: Page; close(): Promise<void> }> {
  const host = await startHost({
    dataDir,
    env: { OPENCLAW_GATEWAY_URL: real.url, OPENCLAW_GATEWAY_TOKEN: real.token },
    clientOverrides: { pollIntervalMs: 1000 },
    ...o,
  });
  const context = await browser.newContext({ viewport: { width: 1360, height: 720 } });
  const page = await context.newPage();
  await page.goto(host.url);
  const close = async () => {
    await context.close();
    await host.stop();
  };
  stops.push(close);
  return { host, page, close };
}

describe('Machines view against the real OpenClaw gateway', () => {
  it('shows one row per machine, then Offline for a stopped node host and Gone for a machine the gateway forgot, across a restart', { timeout: 660_000 }, async () => {
    const dataDir = tempDir('claw-e2e-machines-');

    // Our beacon client, as a headless server would run it.
    const { client: beacon } = testClient({ url: real.url, token: real.token, host: { host: 'beacon-box', ip: '10.44.0.2' }, beaconIntervalMs: 2000, idle: 3 });
    beacon.start();
    stops.push(() => beacon.stop());
    await waitForSnapshot(beacon, (s) => s.lastBeacon?.ok === true, 30_000, 'the beacon client beaconing');

    // One ui device connecting three times; the last connection stays open.
    const device = generateDeviceKeyPair();
    let ui: RawClient | undefined;
    for (let i = 0; i < 3; i += 1) {
      ui?.close();
      if (ui) await ui.waitClosed();
      ({ client: ui } = await connectedClient(real.url, { token: real.token, mode: 'ui', clientId: 'openclaw-linux', device, instanceId: 'ui-inst-1', displayName: 'ui-box' }));
    }
    stops.push(() => ui?.close());

    // A text-only event from a tool: the gateway keeps only its text.
    const { client: tool } = await connectedClient(real.url, { token: real.token, clientId: 'cli', mode: 'cli', device: false });
    stops.push(() => tool.close());
    expect((await tool.request('system-event', { text: 'Node: texty (10.0.0.9) · app 1.2.3 · mode ui · reason periodic' }, 20_000)).ok).toBe(true);

    node = await startNodeHost(real.port, real.token);

    const first = await viewer(dataDir);
    const page = first.page;
    // The gateway, this device, the node host, the ui device, the text-only machine and the beacon client.
    await expect.poll(() => machineRows(page).count(), { timeout: 60_000 }).toBe(6);
    await expect.poll(() => page.locator('[data-testid="approval"]').count(), { timeout: 30_000 }).toBe(1);
    expect(await rowFor(page, 'ui-box').locator('td').nth(2).textContent()).toBe('3');
    expect(await statusOf(page, 'ui-box')).toBe('active');
    expect(await rowFor(page, 'texty').locator('td').nth(3).textContent()).toBe('10.0.0.9');
    expect(await statusOf(page, 'beacon-box')).toBe('active');
    expect(await rowFor(page, 'viewer-host').locator('.tag').first().textContent()).toBe('This device');
    expect(await machineRows(page).first().locator('.tag').first().textContent()).toBe('Gateway');
    const nodeRow = page.locator('tbody tr.machine-row', { has: page.locator('[data-testid="approval"]') });
    expect(await nodeRow.getAttribute('data-status')).toBe('active');
    await shot(page, 'm10-real-machines');

    // The beacon client stops now: the gateway's 5-minute clock for it starts here.
    await beacon.stop();
    const stoppedAtMs = Date.now();

    // Stopping the node host turns its row Offline, with when it was last seen.
    await node.stop();
    node = undefined;
    await expect.poll(() => nodeRow.getAttribute('data-status'), { timeout: 60_000 }).toBe('offline');
    expect(await nodeRow.locator('.machine-status').textContent()).toMatch(/Offline · last seen/);
    await shot(page, 'm11-real-node-offline');
    await first.close();

    // A restart with short thresholds: the quiet beacon client is Stale well before the gateway forgets it.
    const second = await viewer(dataDir, { statusThresholds: { activeMs: 5_000, idleMs: 10_000 } });
    await expect.poll(() => statusOf(second.page, 'beacon-box'), { timeout: 60_000 }).toBe('stale');
    await shot(second.page, 'm12-real-stale');

    // The real gateway drops it 5 minutes after its last beacon; the app keeps it, as Gone.
    const ttlLeftMs = Math.max(0, stoppedAtMs + 5 * 60_000 - Date.now());
    await expect.poll(() => statusOf(second.page, 'beacon-box'), { timeout: ttlLeftMs + 90_000, interval: 5_000 }).toBe('gone');
    expect(await statusText(second.page, 'beacon-box')).toMatch(/Gone · last seen \d+ min ago/);
    await shot(second.page, 'm13-real-gone');
    await second.close();

    // Still there after an app restart, before and after the list arrives.
    const third = await viewer(dataDir);
    await expect.poll(() => statusOf(third.page, 'beacon-box'), { timeout: 60_000 }).toBe('gone');
    await expect.poll(() => statusOf(third.page, 'ui-box'), { timeout: 30_000 }).toBe('active');
    await shot(third.page, 'm14-real-gone-after-restart');
  });
});
