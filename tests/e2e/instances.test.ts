/** The Instances tab as a user sees it, in Chromium, against real gateways and clients. */
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { focusedRowOutOfView, rowFor, shot, startHost, type TestHost } from '../helpers/browser.js';
import { testClient } from '../helpers/test-client.js';
import { freePort } from '../helpers/openclaw/harness.js';
import { ScriptedGateway } from '../helpers/scripted-gateway.js';
import { fleet } from '../helpers/fleet.js';
import type { PresenceClient } from '../../main/client/presence-client.js';
import { browserSuite } from './browser-suite.js';

const suite = browserSuite();
const { cleanups } = suite;

async function openPage(url: string, init?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await suite.browser.newPage({ viewport: { width: 1200, height: 520 } });
  cleanups.push(() => page.close());
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  (page as Page & { dialogs: string[] }).dialogs = dialogs;
  await init?.(page);
  await page.goto(url);
  // These tests are about the raw list, one row per connection: the Connections view.
  await page.getByRole('group', { name: 'Group by' }).getByRole('button', { name: 'Connections' }).click();
  return page;
}

async function host(o: Parameters<typeof startHost>[0] = {}): Promise<TestHost> {
  const h = await startHost(o);
  cleanups.push(() => h.stop());
  return h;
}

function beaconer(url: string, name: string, o: Parameters<typeof testClient>[0] extends infer T ? Partial<T> : never = {}): PresenceClient {
  const { client } = testClient({ url, host: { host: name }, beaconIntervalMs: 300, idle: 4, ...o });
  client.start();
  cleanups.push(() => client.stop());
  return client;
}

describe('Instances tab in Chromium', () => {
  it('shows rows from the built-in gateway and two headless beacon clients', async () => {
    const h = await host();
    const gatewayUrl = h.service.hub!.url;
    beaconer(gatewayUrl, 'alpha-host');
    beaconer(gatewayUrl, 'beta-host');
    const page = await openPage(h.url);
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 10_000 }).toBe(4);
    await expect.poll(() => rowFor(page, 'alpha-host').locator('.badge').textContent()).toContain('Active');
    expect(await rowFor(page, 'viewer-host').locator('.tag').first().textContent()).toBe('This device');
    expect(await page.getByTestId('connection').textContent()).toBe('Connected · built-in gateway');
    expect(await rowFor(page, 'beta-host').locator('td').nth(5).textContent()).toBe('4s ago');
    await shot(page, '01-connected-rows');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(28, 28, 30)');
    await shot(page, '01-connected-rows-dark');
  });

  it('turns a client that stops beaconing Idle, then Stale, while others stay Active', async () => {
    const h = await host({ statusThresholds: { activeMs: 1500, idleMs: 3000 }, clientOverrides: { beaconIntervalMs: 300, pollIntervalMs: 300 } });
    const gatewayUrl = h.service.hub!.url;
    beaconer(gatewayUrl, 'steady-host');
    const quitter = beaconer(gatewayUrl, 'quitter-host');
    const page = await openPage(h.url);
    await expect.poll(() => rowFor(page, 'quitter-host').getAttribute('data-status'), { timeout: 10_000 }).toBe('active');
    await quitter.stop();
    await expect.poll(() => rowFor(page, 'quitter-host').getAttribute('data-status'), { timeout: 5_000 }).toBe('idle');
    expect(await rowFor(page, 'steady-host').getAttribute('data-status')).toBe('active');
    await shot(page, '02-idle');
    await expect.poll(() => rowFor(page, 'quitter-host').getAttribute('data-status'), { timeout: 5_000 }).toBe('stale');
    expect(await rowFor(page, 'steady-host').getAttribute('data-status')).toBe('active');
    expect(await rowFor(page, 'quitter-host').locator('.badge').textContent()).toContain('Stale');
    await shot(page, '03-stale');
  });

  it('shows reconnecting while the gateway is killed, dims the last rows, and brings rows back when it returns', async () => {
    const port = await freePort();
    const startGateway = (): ChildProcess => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/gateway-cli.ts', '--port', String(port), '--token', 'e2e'], { stdio: 'ignore' });
      cleanups.push(() => child.kill('SIGKILL'));
      return child;
    };
    let gateway = startGateway();
    const url = `ws://127.0.0.1:${port}`;
    const h = await host({ env: { OPENCLAW_GATEWAY_URL: url, OPENCLAW_GATEWAY_TOKEN: 'e2e' }, clientOverrides: { backoff: { baseMs: 300, maxMs: 2000 } } });
    await expect.poll(() => h.service.snapshot().gateways[0]?.connection.kind, { timeout: 20_000 }).toBe('connected');
    beaconer(url, 'remote-host', { token: 'e2e' });
    const page = await openPage(h.url);
    await expect.poll(() => rowFor(page, 'remote-host').count(), { timeout: 10_000 }).toBe(1);
    gateway.kill('SIGKILL');
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toMatch(/Reconnecting in \d+ s/);
    expect(await page.locator('table.instances.offline').count()).toBe(1);
    expect(await page.getByRole('note').filter({ hasText: 'Showing the last known list' }).count()).toBe(1);
    await shot(page, '04-reconnecting');
    gateway = startGateway();
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 20_000 }).toBe('Connected');
    await expect.poll(() => rowFor(page, 'remote-host').count(), { timeout: 10_000 }).toBe(1);
    expect(await rowFor(page, 'remote-host').getAttribute('data-status')).toBe('active');
    expect(await page.locator('table.instances.offline').count()).toBe(0);
    await shot(page, '05-reconnected');
  });

  it('keeps badges right when the viewer clock is 10 minutes off the gateway', async () => {
    const h = await host();
    beaconer(h.service.hub!.url, 'fresh-host');
    for (const [label, skewMs] of [['behind', -10 * 60_000], ['ahead', 10 * 60_000]] as const) {
      const page = await openPage(h.newLaunchUrl(), (p) => p.clock.install({ time: Date.now() + skewMs }));
      await page.clock.resume();
      await expect.poll(() => rowFor(page, 'fresh-host').count(), { timeout: 10_000 }).toBe(1);
      expect(await page.evaluate(() => Date.now())).not.toBeCloseTo(Date.now(), -5);
      expect(await rowFor(page, 'fresh-host').getAttribute('data-status')).toBe('active');
      expect(await rowFor(page, 'fresh-host').locator('time').textContent()).toMatch(/^updated (just now|10s ago)$/);
      await shot(page, `06-clock-${label}`);
    }
  });

  it('shows a hostile host name as text, running nothing', async () => {
    const h = await host();
    const evil = '<img src=x onerror=alert(1)>';
    beaconer(h.service.hub!.url, evil);
    const page = await openPage(h.url);
    await expect.poll(() => page.locator('tbody .host', { hasText: evil }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('tbody img').count()).toBe(0);
    // An injected onerror would fire once the broken image failed to load; give it the chance.
    await page.waitForTimeout(300);
    expect((page as Page & { dialogs: string[] }).dialogs).toEqual([]);
    await shot(page, '07-hostile-host');
  });

  it('explains a missing operator.read scope', async () => {
    const gw = await ScriptedGateway.start({ scopes: [] });
    cleanups.push(() => gw.stop());
    const h = await host({ env: { OPENCLAW_GATEWAY_URL: gw.url } });
    const page = await openPage(h.url);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toMatch(/This connection lacks operator\.read/);
    expect(await page.getByRole('heading', { name: 'No instances reported yet' }).count()).toBe(1);
    await shot(page, '08-missing-scope');
  });

  it('says why it failed and what to do when the token is wrong, with the empty state', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/gateway-cli.ts', '--port', String(port)], {
      env: { ...process.env, OPENCLAW_GATEWAY_TOKEN: 'right' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    cleanups.push(() => child.kill('SIGKILL'));
    // Ready when it says so, not after a guessed delay.
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/listening/.test(out)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`gateway-cli exited (${code}) before listening`)));
    });
    const h = await host({ env: { OPENCLAW_GATEWAY_URL: `ws://127.0.0.1:${port}`, OPENCLAW_GATEWAY_TOKEN: 'wrong' } });
    const page = await openPage(h.url);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/Can't connect: The gateway refused the token\./);
    expect(await page.getByTestId('connection').textContent()).toBe('Not connected');
    await shot(page, '09-failed');
  });

  it('blurs hosts and IPs with the privacy toggle, opens details from the keyboard, and never shows a saved token', async () => {
    const h = await host();
    beaconer(h.service.hub!.url, 'private-host');
    const page = await openPage(h.url);
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
    await expect.poll(() => rowFor(page, 'private-host').count(), { timeout: 10_000 }).toBe(1);
    // The row's tooltip is its beacon text, which names the host: shown normally, gone while hidden.
    await expect.poll(() => rowFor(page, 'private-host').getAttribute('title')).toMatch(/private-host/);
    await page.getByRole('button', { name: 'Hide hosts & IPs' }).click();
    expect(await rowFor(page, 'private-host').locator('.host').evaluate((el) => getComputedStyle(el).filter)).toContain('blur');
    expect(await rowFor(page, 'private-host').getAttribute('title')).toBeNull();
    await shot(page, '10-privacy');
    await page.getByRole('button', { name: 'Show hosts & IPs' }).click();
    await rowFor(page, 'private-host').click();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByRole('complementary').count()).toBe(1);
    await page.getByText('Raw JSON').click();
    await shot(page, '11-details');
    // Closing the panel, by its button or Escape inside it, hands focus back to the row.
    const focusedHost = () => page.evaluate(() => document.activeElement?.closest('tr')?.querySelector('.host')?.textContent ?? document.activeElement?.tagName);
    await page.getByRole('button', { name: 'Close details' }).focus();
    const about = (await page.getByRole('complementary').getAttribute('aria-label'))!.replace('Details for ', '');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('complementary').count()).toBe(0);
    await expect.poll(focusedHost).toBe(about);
    await rowFor(page, 'private-host').click();
    await page.getByRole('button', { name: 'Close details' }).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('complementary').count()).toBe(0);
    await expect.poll(focusedHost).toBe('private-host');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('button', { name: 'Add gateway' }).click();
    await page.getByLabel('Gateway URL').fill(h.service.hub!.url);
    await page.getByLabel('Name').fill('hub');
    await page.getByLabel('Token', { exact: true }).fill('super-secret-token-123');
    await shot(page, '12-settings');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('button', { name: 'Edit hub' }).click();
    expect(await page.getByLabel('Token', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('Token', { exact: true }).getAttribute('placeholder')).toMatch(/saved/);
    expect(frames.some((f) => f.includes('super-secret-token-123'))).toBe(false);
    expect(await page.content()).not.toContain('super-secret-token-123');
  });

  it('takes a whole fleet changing at once in batches, and never shows half of it', async () => {
    type Changed = { keys: string[]; entries: unknown[]; patched?: { keys: string[]; fields: Array<Record<string, unknown>> } };
    const gw = await ScriptedGateway.start({ presence: fleet({ entries: 1800, ts: Date.now(), name: 'fleet' }) });
    cleanups.push(() => gw.stop());
    const h = await host({ env: { OPENCLAW_GATEWAY_URL: gw.url }, clientOverrides: { pollIntervalMs: 3_600_000 } });
    const frames: string[] = [];
    const page = await openPage(h.url, async (p) => {
      p.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
    });
    const counts = page.getByLabel('Instance counts');
    await expect.poll(() => counts.textContent(), { timeout: 10_000 }).toBe('1800 active · 0 idle · 0 stale');
    // Every text the counts ever show from here on, as the page paints them.
    await counts.evaluate((el) => {
      const seen: string[] = [];
      (window as unknown as { seenCounts: string[] }).seenCounts = seen;
      new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    });
    const before = frames.length;
    // The gateway restarted and every client came back three minutes ago: all 1,800 entries are new.
    gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: fleet({ entries: 1800, ts: Date.now() - 180_000, name: 'fleet' }) } }));
    await expect.poll(() => counts.textContent(), { timeout: 10_000 }).toBe('0 active · 1800 idle · 0 stale');
    expect(await page.evaluate(() => (window as unknown as { seenCounts: string[] }).seenCounts.filter((t) => t !== '0 active · 1800 idle · 0 stale'))).toEqual([]);
    const messages = frames
      .slice(before)
      .map((f) => JSON.parse(f) as { type: string; message?: { kind: string; message?: { kind: string } & Partial<Changed> & { changed?: Changed } } })
      .filter((m) => m.type === 'snapshot' && m.message?.kind === 'gateway')
      .map((m) => m.message!.message!);
    // 1,800 changed entries: three batches of 500 ahead, and the last 300 with the list.
    expect(messages.map((m) => m.kind)).toEqual(['entries', 'entries', 'entries', 'list']);
    const changed = messages.map((m) => (m.kind === 'list' ? m.changed : m) as Changed);
    // The page has every entry already: only their new times cross, not their hosts, addresses or ids.
    expect(changed.map((c) => c.patched?.keys.length)).toEqual([500, 500, 500, 300]);
    expect(changed.map((c) => c.keys.length)).toEqual([0, 0, 0, 0]);
    expect(new Set(changed.flatMap((c) => c.patched?.fields.map((f) => Object.keys(f).join()) ?? []))).toEqual(new Set(['ts']));
    expect(await page.locator('tbody tr').count()).toBeLessThan(60);
    expect(await rowFor(page, 'fleet-0').locator('.badge').textContent()).toContain('Idle');
    await page.locator('.list').evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await expect.poll(() => rowFor(page, 'fleet-900').count()).toBe(1);
    await shot(page, '13-fleet-scrolled');
  });
  it('sends a hidden window nothing while the list changes, and shows the changes once it is shown', async () => {
    const h = await host();
    const gatewayUrl = h.service.hub!.url;
    const page = await openPage(h.url);
    await expect.poll(() => rowFor(page, 'viewer-host').count(), { timeout: 10_000 }).toBe(1);
    // What the page's socket to its host carries (snapshot pushes only; call answers are counted apart).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    const pushes: string[] = [];
    cdp.on('Network.webSocketFrameReceived', (e) => {
      if (e.response.payloadData.startsWith('{"type":"snapshot"')) pushes.push(e.response.payloadData);
    });
    // Hidden as a minimised window is, as far as the page can tell (headless Chromium has no window to minimise).
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await new Promise((r) => setTimeout(r, 300));
    pushes.length = 0;
    beaconer(gatewayUrl, 'while-hidden');
    // The core has the new row (and its later beacons), the hidden window is sent none of it.
    await expect.poll(() => h.service.snapshot().gateways[0]!.entries.filter((e) => e.host === 'while-hidden' && e.reason === 'periodic').length, { timeout: 10_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 700));
    expect(pushes).toEqual([]);
    expect(await rowFor(page, 'while-hidden').count()).toBe(0);
    // Shown: one catch-up brings the row.
    await setHidden(false);
    await expect.poll(() => rowFor(page, 'while-hidden').count(), { timeout: 5_000 }).toBe(1);
    expect(pushes.length).toBeGreaterThan(0);
  });

  it('keeps the focused row in view below the sticky header as the keyboard walks the list both ways', async () => {
    const gw = await ScriptedGateway.start({ presence: fleet({ entries: 120, ts: Date.now(), name: 'walk' }) });
    cleanups.push(() => gw.stop());
    const h = await host({ env: { OPENCLAW_GATEWAY_URL: gw.url }, clientOverrides: { pollIntervalMs: 3_600_000 } });
    const page = await openPage(h.url);
    await expect.poll(() => page.getByLabel('Instance counts').textContent(), { timeout: 10_000 }).toBe('120 active · 0 idle · 0 stale');
    /** The focused row's place in the table (the header row is 1), once it is fully in view. */
    const focusedInView = async () => ((await focusedRowOutOfView(page)) <= 1 ? page.evaluate(() => Number(document.activeElement?.getAttribute('aria-rowindex'))) : -1);
    await page.locator('tbody tr[data-key]').first().click();
    // Keys pressed back to back, as a held key repeats: each one moves from where the last one landed.
    for (let i = 0; i < 25; i += 1) await page.keyboard.press('ArrowDown');
    await expect.poll(focusedInView).toBe(2 + 25);
    await page.keyboard.press('End');
    await expect.poll(focusedInView).toBe(121);
    for (let i = 1; i <= 25; i += 1) {
      await page.keyboard.press('ArrowUp');
      await expect.poll(focusedInView).toBe(121 - i);
    }
    // PageDown and PageUp move by a screenful and keep the row in view.
    const at = (await focusedInView()) as number;
    await page.keyboard.press('PageDown');
    await expect.poll(focusedInView).toBeGreaterThan(at + 3);
    await page.keyboard.press('PageUp');
    await expect.poll(focusedInView).toBe(at);
    // Scrolled far from the selected row, Tab from the last header still lands on a row, not past the table.
    await page.locator('.list').evaluate((el) => el.scrollTo(0, 0));
    await expect.poll(() => page.locator('tbody tr[aria-rowindex="96"]').count()).toBe(0);
    await page.getByRole('button', { name: /^Updated/ }).focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TR');
  });

  it('keeps keyboard focus in the table when a beacon re-sorts the focused row out of view', async () => {
    const list0 = fleet({ entries: 300, ts: Date.now(), maxAgeMs: 200_000, name: 'sorty' });
    const gw = await ScriptedGateway.start({ presence: list0 });
    cleanups.push(() => gw.stop());
    const h = await host({ env: { OPENCLAW_GATEWAY_URL: gw.url }, clientOverrides: { pollIntervalMs: 3_600_000 } });
    const page = await openPage(h.url);
    await expect.poll(() => page.locator('tbody tr[data-key]').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    // Newest first (the default order); scroll to the middle and put focus on a row there.
    await page.locator('.list').evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await page.waitForTimeout(200);
    const target = page.locator('tbody tr[data-key]').nth(8);
    const host0 = await target.locator('.host').textContent();
    await target.click();
    await expect.poll(() => focusedRowOutOfView(page)).toBeLessThanOrEqual(1);
    // That machine beacons: it is now the newest and sorts to the top, far out of view.
    const moved = list0.map((e) => (e.host === host0 ? { ...e, ts: Date.now() } : e));
    gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: moved } }));
    await expect.poll(() => page.evaluate((hn) => [...document.querySelectorAll('tbody tr[data-key]')].some((r) => r.querySelector('.host')?.textContent === hn), host0)).toBe(false);
    // Focus stayed in the table, on a row in view, and the arrow keys still move it.
    await expect.poll(() => focusedRowOutOfView(page)).toBeLessThanOrEqual(1);
    const before = await page.evaluate(() => Number(document.activeElement?.getAttribute('aria-rowindex')));
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => Number(document.activeElement?.getAttribute('aria-rowindex')))).toBe(before + 1);
  });
});
