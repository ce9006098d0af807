/**
 * Several gateways in one window (issue 14), in Chromium: three of our
 * gateways (each its own process) and the real OpenClaw gateway, watched by one
 * core. Rows from all four appear with their chips; this machine, which beacons
 * to all four, is one row; a machine beaconing to two gateways is one row;
 * killing one gateway marks only its rows as last known while the other three
 * stay live.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { rowFor, shot, startHost, type TestHost } from '../helpers/browser.js';
import { browserSuite } from './browser-suite.js';
import { freePort, startRealGateway, type RealGateway } from '../helpers/openclaw/harness.js';
import { tempDir, testClient } from '../helpers/test-client.js';

const suite = browserSuite();
const { cleanups } = suite;
const TOKEN = 'several-gw-token';

let real: RealGateway;
beforeAll(async () => {
  real = await startRealGateway();
}, 120_000);
afterAll(async () => {
  await real?.stop();
});

interface OurGateway {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
}

/** One of our gateways, in its own process (so the test can kill it for real). */
async function ourGateway(name: string): Promise<OurGateway> {
  const port = await freePort();
  // Its own data folder: its own gateway id, as separate installs would have.
  const dataDir = tempDir(`claw-e2e-gw-${name}-`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/gateway-cli.ts', '--port', String(port), '--token', TOKEN, '--data-dir', dataDir], { stdio: 'ignore' });
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(() => child.kill('SIGKILL'));
  return { name, url: `ws://127.0.0.1:${port}`, child };
}

const chipsOf = (page: Page, host: string) => rowFor(page, host).first().locator('.gateway-chip').allTextContents();
/** Each gateway lists itself (all on this machine, so under one host name): one Gateway row per gateway. */
const gatewayRows = (page: Page) => page.locator('tbody tr.machine-row', { has: page.locator('.tag', { hasText: /^Gateway$/ }) });
const gatewayRowChips = (page: Page) => gatewayRows(page).locator('.gateway-chip').allTextContents();
const gatewayRowOf = (page: Page, name: string) => gatewayRows(page).filter({ has: page.locator('.gateway-chip', { hasText: new RegExp(`^${name}$`) }) });

describe('several gateways in one window', () => {
  it('shows rows from three of our gateways and the real one with chips, one row per machine, and only the killed gateway goes last-known', { timeout: 180_000 }, async () => {
    const gateways = await Promise.all(['alpha', 'bravo', 'charlie'].map(ourGateway));
    const host: TestHost = await startHost({ clientOverrides: { pollIntervalMs: 1000, backoff: { baseMs: 300, maxMs: 1500 } } });
    cleanups.push(() => host.stop());
    const saved = await host.service.saveSettings({
      gateways: [...gateways.map((g) => ({ kind: 'remote' as const, name: g.name, url: g.url, secret: TOKEN })), { kind: 'remote' as const, name: 'openclaw', url: real.url, secret: real.token }],
    });
    expect(saved.ok).toBe(true);
    // Four sessions, the built-in gateway not among them (it runs only when nothing else is listed).
    expect(host.service.gatewayIds).toHaveLength(4);

    // A second machine beacons to alpha and bravo with one identity.
    const twinDir = tempDir('claw-e2e-twin-');
    cleanups.push(() => rmSync(twinDir, { recursive: true, force: true }));
    for (const g of gateways.slice(0, 2)) {
      const { client } = testClient({ url: g.url, token: TOKEN, dataDir: twinDir, host: { host: 'twin-host' }, beaconIntervalMs: 1000 });
      client.start();
      cleanups.push(() => client.stop());
    }

    const page = await suite.browser.newPage({ viewport: { width: 1360, height: 760 } });
    cleanups.push(() => page.close());
    await page.goto(host.url);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 60_000 }).toBe('4 of 4 gateways connected');

    // Each gateway's own row (four gateways, four rows), each with its own chip.
    await expect.poll(async () => (await gatewayRowChips(page)).sort(), { timeout: 30_000 }).toEqual(['alpha', 'bravo', 'charlie', 'openclaw']);
    // This machine beacons to all four: one row, four chips.
    await expect.poll(() => rowFor(page, 'viewer-host').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => (await chipsOf(page, 'viewer-host')).sort(), { timeout: 30_000 }).toEqual(['alpha', 'bravo', 'charlie', 'openclaw']);
    // The second machine, on alpha and bravo with one device id: one row, two chips.
    await expect.poll(() => rowFor(page, 'twin-host').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(async () => (await chipsOf(page, 'twin-host')).sort()).toEqual(['alpha', 'bravo']);
    // The toolbar's gateway chips filter; each shows its count.
    const filters = page.getByRole('group', { name: 'Gateways' }).getByRole('button');
    expect(await filters.count()).toBe(4);
    await shot(page, 'several-gateways-live');

    // Kill charlie hard: only its rows turn last-known; the others stay live.
    gateways[2]!.child.kill('SIGKILL');
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 20_000 }).toBe('3 of 4 gateways connected');
    await expect.poll(() => gatewayRowOf(page, 'charlie').getAttribute('class'), { timeout: 10_000 }).toContain('last-known');
    for (const live of ['alpha', 'bravo', 'openclaw']) expect(await gatewayRowOf(page, live).getAttribute('class')).not.toContain('last-known');
    // This machine is still up on three gateways: its row stays live, charlie's chip on it dimmed.
    expect(await rowFor(page, 'viewer-host').first().getAttribute('class')).not.toContain('last-known');
    expect(await rowFor(page, 'viewer-host').first().locator('.gateway-chip.dim').allTextContents()).toEqual(['charlie']);
    expect(await page.locator('[data-state=reconnecting][data-gateway]').count()).toBe(1);
    expect(await page.locator('.offline-note').textContent()).toMatch(/Showing the last known list of charlie, from /);
    // The banner and note take their share of the window; the list keeps the rest, and the page itself never scrolls.
    expect(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight)).toBeLessThanOrEqual(0);
    expect(await page.locator('.list').evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
    // The live gateways keep updating: a new machine on alpha appears while charlie is down.
    const { client: late } = testClient({ url: gateways[0]!.url, token: TOKEN, host: { host: 'late-host' } });
    late.start();
    cleanups.push(() => late.stop());
    await expect.poll(() => chipsOf(page, 'late-host'), { timeout: 20_000 }).toEqual(['alpha']);
    await shot(page, 'several-gateways-one-down');
  });
});
