/** The Machines view as a user sees it, in Chromium, against our gateway with real clients. */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { focusedRowOutOfView, rowFor, shot, startHost, type TestHost } from '../helpers/browser.js';
import { testClient } from '../helpers/test-client.js';
import { connectedClient } from '../helpers/raw-client.js';
import { ScriptedGateway } from '../helpers/scripted-gateway.js';
import { fleet } from '../helpers/fleet.js';
import { generateDeviceKeyPair } from '../../main/device/ed25519.js';
import { browserSuite } from './browser-suite.js';

const suite = browserSuite();
const { cleanups } = suite;

async function host(o: Parameters<typeof startHost>[0] = {}): Promise<TestHost> {
  const h = await startHost(o);
  cleanups.push(() => h.stop());
  return h;
}

async function openPage(url: string, context?: Awaited<ReturnType<Browser['newContext']>>): Promise<Page> {
  const ctx = context ?? (await suite.browser.newContext({ viewport: { width: 1280, height: 620 } }));
  if (!context) cleanups.push(() => ctx.close());
  const page = await ctx.newPage();
  await page.goto(url);
  return page;
}

function beaconer(url: string, name: string) {
  const { client } = testClient({ url, host: { host: name }, beaconIntervalMs: 300, idle: 4 });
  client.start();
  cleanups.push(() => client.stop());
  return client;
}

const machineRows = (page: Page) => page.locator('tbody tr.machine-row');
const groupBy = (page: Page, name: 'Machines' | 'Connections') => page.getByRole('group', { name: 'Group by' }).getByRole('button', { name });

describe('Machines view in Chromium', () => {
  it('shows one row per machine: a ui device that reconnects and beacons folds into one, with its connections on expand', async () => {
    const h = await host();
    const url = h.service.hub!.url;
    beaconer(url, 'alpha-host');
    beaconer(url, 'beta-host');
    // One `ui` device (the same key every time) that connects three times, plus its own beacon keyed by instanceId.
    const device = generateDeviceKeyPair();
    for (let i = 0; i < 3; i += 1) {
      const { client } = await connectedClient(url, { mode: 'ui', clientId: 'openclaw-control-ui', device, instanceId: 'ui-inst-1', displayName: 'ui-box' });
      client.close();
      await client.waitClosed();
    }
    const { client: ui } = await connectedClient(url, { mode: 'ui', clientId: 'openclaw-control-ui', device, instanceId: 'ui-inst-1', displayName: 'ui-box' });
    cleanups.push(() => ui.close());
    expect((await ui.request('system-event', { text: 'Node: ui-box · mode ui', instanceId: 'UI-INST-1', host: 'ui-box', mode: 'ui', reason: 'periodic' })).ok).toBe(true);
    // A text-only beacon from another machine: the row's fields come from its text. (From the ui
    // device's own connection it would land on that device's row: a connection writes only its own.)
    const { client: texty } = await connectedClient(url, { mode: 'backend', clientId: 'gateway-client', device: generateDeviceKeyPair() });
    cleanups.push(() => texty.close());
    expect((await texty.request('system-event', { text: 'Node: texty (10.0.0.9) · app 1.2.3 · last input 5s ago · mode ui · reason periodic' })).ok).toBe(true);

    const page = await openPage(h.url);
    // gateway, this device, alpha, beta, ui-box, texty
    await expect.poll(() => machineRows(page).count(), { timeout: 10_000 }).toBe(6);
    expect(await groupBy(page, 'Machines').getAttribute('aria-pressed')).toBe('true');
    const uiRow = rowFor(page, 'ui-box');
    // Our gateway already keeps one row per device (its reconnects and its beacons land on it), so
    // this machine holds one connection here; the real gateway's several rows are folded in
    // machines-real.test.ts, and a scripted gateway's below.
    expect(await uiRow.locator('td').nth(2).textContent()).toBe('1');
    expect(await uiRow.locator('.badge').textContent()).toContain('Active');
    expect(await rowFor(page, 'texty').locator('td').nth(3).textContent()).toBe('10.0.0.9');
    expect(await rowFor(page, 'texty').locator('td').nth(4).textContent()).toBe('1.2.3');
    expect(await rowFor(page, 'viewer-host').locator('.tag').first().textContent()).toBe('This device');
    // Default order: the gateway, then this device, then by status and name.
    const order = await machineRows(page).locator('.host').allTextContents();
    expect(order.slice(1)).toEqual(['viewer-host', 'alpha-host', 'beta-host', 'texty', 'ui-box']);
    expect(await machineRows(page).first().locator('.tag').first().textContent()).toBe('Gateway');
    await shot(page, 'm01-machines');

    // Expand by mouse: its connection is listed with mode, client, roles/scopes and reason.
    await uiRow.getByRole('button', { name: 'Show connections' }).click();
    await expect.poll(() => page.locator('tr.entry-row').count()).toBe(1);
    expect(await uiRow.getAttribute('aria-expanded')).toBe('true');
    const lines = await page.locator('tr.entry-row').allTextContents();
    expect(lines.join('\n')).toMatch(/roles operator/);
    expect(lines.join('\n')).toMatch(/scopes operator\.read, operator\.admin/);
    await shot(page, 'm02-expanded');
    // And by keyboard: ArrowLeft folds it, ArrowRight opens it again.
    await uiRow.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.locator('tr.entry-row').count()).toBe(0);
    expect(await uiRow.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('tr.entry-row').count()).toBe(1);

    // The details panel: status, connections and the 24 h strip.
    await uiRow.click();
    const details = page.getByRole('complementary');
    await expect.poll(() => details.count()).toBe(1);
    expect(await details.getByRole('heading', { name: 'ui-box' }).count()).toBe(1);
    await expect.poll(() => details.getByText(/Connections \(1\)/).count()).toBe(1);
    await shot(page, 'm03-details');

    // Counts are filters.
    const active = page.getByRole('group', { name: 'Machine counts' }).getByRole('button', { name: /Active/ });
    expect(await active.textContent()).toBe('6 Active');
    await page.getByRole('group', { name: 'Machine counts' }).getByRole('button', { name: /Stale/ }).click();
    await expect.poll(() => machineRows(page).count()).toBe(0);
    expect(await page.getByText('No machine has this status.').count()).toBe(1);
    await active.click();
    await expect.poll(() => machineRows(page).count()).toBe(6);

    // The Connections toggle shows the raw list: one row per entry, as before.
    await groupBy(page, 'Connections').click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(6);
    expect(await page.getByLabel('Instance counts').textContent()).toBe('6 active · 0 idle · 0 stale');
    await shot(page, 'm04-connections');
    // The choice survives a reload (a restart of the window).
    await page.reload();
    await expect.poll(() => groupBy(page, 'Connections').getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(6);
  });

  it('draws the Settings dialog above the sticky table header', async () => {
    const h = await host();
    beaconer(h.service.hub!.url, 'alpha-host');
    const page = await openPage(h.url);
    await expect.poll(() => machineRows(page).count(), { timeout: 10_000 }).toBe(3);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const th = await page.locator('thead th').first().boundingBox();
    const topmost = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('.dialog-backdrop') !== null, [th!.x + 5, th!.y + 5]);
    expect(topmost).toBe(true);
    await shot(page, 'm05-settings-over-header');
  });

  it('says Disconnected with the age and Stale for a quiet machine, and counts each status in the toolbar', async () => {
    const now = Date.now();
    const gw = await ScriptedGateway.start({
      presence: [
        { host: 'gw', mode: 'gateway', reason: 'self', ts: now, text: 'Gateway' },
        { host: 'laptop', deviceId: 'dev-laptop', clientId: 'openclaw-control-ui', mode: 'ui', reason: 'disconnect', ts: now - 40_000, text: '' },
        { host: 'laptop', deviceId: 'dev-laptop', clientId: 'openclaw-control-ui', mode: 'ui', reason: 'disconnect', ts: now - 90_000, text: '' },
        { host: 'quiet', instanceId: 'quiet-1', mode: 'backend', reason: 'periodic', ts: now - 400_000, text: '' },
      ],
    });
    cleanups.push(() => gw.stop());
    const h = await host({ env: { OPENCLAW_GATEWAY_URL: gw.url } });
    const page = await openPage(h.url);
    await expect.poll(() => machineRows(page).count(), { timeout: 10_000 }).toBe(3);
    expect(await rowFor(page, 'laptop').locator('.machine-status').textContent()).toMatch(/^◌ Disconnected · 4\d s ago$/);
    expect(await rowFor(page, 'laptop').locator('td').nth(2).textContent()).toBe('2');
    expect(await rowFor(page, 'quiet').getAttribute('data-status')).toBe('stale');
    const counts = await page.getByRole('group', { name: 'Machine counts' }).getByRole('button').allTextContents();
    expect(counts).toEqual(['1 Active', '0 Idle', '1 Stale', '1 Disconnected', '0 Offline', '0 Gone']);
    await shot(page, 'm06-disconnected-stale');
  });
  it('keeps the focused machine in view while the keyboard walks down a list of opened machines, whose rows are not the estimated height', async () => {
    // 60 machines of 3 connections each: every machine opened adds three short connection rows,
    // so where a row sits comes from each row's measured height, not the estimate.
    const gw = await ScriptedGateway.start({ presence: fleet({ entries: 180, machines: 60, ts: Date.now(), name: 'rack' }) });
    cleanups.push(() => gw.stop());
    const h = await host({ env: { OPENCLAW_GATEWAY_URL: gw.url }, clientOverrides: { pollIntervalMs: 3_600_000 } });
    const page = await openPage(h.url);
    await expect.poll(() => page.getByRole('group', { name: 'Machine counts' }).getByRole('button').first().textContent(), { timeout: 10_000 }).toBe('60 Active');
    const list = page.locator('.list');
    const outOfView = () => focusedRowOutOfView(page);
    await machineRows(page).first().click();
    const visited = new Set<string>();
    for (let i = 0; i < 59; i += 1) {
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      await expect.poll(outOfView).toBeLessThanOrEqual(1);
      visited.add((await page.evaluate(() => (document.activeElement as HTMLElement).dataset.key)) ?? '');
    }
    expect(visited.size).toBe(59);
    // Opened rows are shorter than the estimate: what the list scrolls is what it holds.
    const heights = await page.evaluate(() => [...document.querySelectorAll('tbody tr.entry-row')].map((r) => r.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThan(0);
    expect(Math.max(...heights)).toBeLessThan(45);
    await page.keyboard.press('Home');
    await expect.poll(outOfView).toBeLessThanOrEqual(1);
    await page.keyboard.press('End');
    await expect.poll(outOfView).toBeLessThanOrEqual(1);
    expect(await list.evaluate((el) => Math.abs(el.scrollTop + el.clientHeight - el.scrollHeight))).toBeLessThanOrEqual(1);
    // Back up: each machine comes into view below the sticky header, not under it.
    for (let i = 0; i < 20; i += 1) {
      await page.keyboard.press('ArrowUp');
      await expect.poll(outOfView).toBeLessThanOrEqual(1);
    }
  });
  it('leaves out the columns that give way when the details panel narrows the list, and every header left fits', async () => {
    const h = await host();
    beaconer(h.service.hub!.url, 'alpha-host');
    const ctx = await suite.browser.newContext({ viewport: { width: 1100, height: 640 } });
    cleanups.push(() => ctx.close());
    const page = await openPage(h.url, ctx);
    await expect.poll(() => machineRows(page).count(), { timeout: 10_000 }).toBe(3);
    /** The headers a user can see, and whether each fits inside the list without scrolling sideways. */
    const headers = () =>
      page.locator('.list').evaluate((list) => {
        const right = list.getBoundingClientRect().right;
        return [...list.querySelectorAll('thead th')].filter((th) => th.getBoundingClientRect().width > 0).map((th) => ({ label: th.textContent!.replace(/[▲▼]/g, '').trim(), fits: th.getBoundingClientRect().right <= right + 1 }));
      });
    expect((await headers()).map((x) => x.label)).toEqual(['Machine', 'Status', 'Connections', 'IP', 'Version', 'Load · Mem · Disk', 'Updated']);
    await rowFor(page, 'alpha-host').click();
    await expect.poll(() => page.getByRole('complementary').count()).toBe(1);
    await expect.poll(async () => (await headers()).map((x) => x.label)).toEqual(['Machine', 'Status', 'IP', 'Updated']);
    expect((await headers()).every((x) => x.fits)).toBe(true);
    expect(await page.locator('.list').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await shot(page, 'm07-details-narrow');
  });
  it('keeps an age in a box of its own: the column keeps its width as the age moves on, and the longest ages are not cut off', async () => {
    const now = Date.now();
    const gw = await ScriptedGateway.start({ presence: [{ host: 'fresh', instanceId: 'fresh-1', mode: 'backend', reason: 'periodic', ts: now - 9_000, text: '' }] });
    cleanups.push(() => gw.stop());
    const h = await host({ env: { OPENCLAW_GATEWAY_URL: gw.url }, clientOverrides: { pollIntervalMs: 3_600_000 } });
    const page = await openPage(h.url);
    await groupBy(page, 'Connections').click();
    const updated = rowFor(page, 'fresh').locator('time');
    await expect.poll(() => updated.textContent(), { timeout: 10_000 }).toBe('updated just now');
    /** Where the Updated cell's parts sit: the age's own width, and where the reason after it starts. */
    const layout = () =>
      rowFor(page, 'fresh').evaluate((row) => {
        const time = row.querySelector('time')!;
        const range = document.createRange();
        range.setStartAfter(time);
        range.setEndAfter(time.parentElement!.lastChild!);
        return { age: time.getBoundingClientRect().width, reasonAt: range.getBoundingClientRect().left, header: document.querySelector('thead th:last-child')!.getBoundingClientRect().width };
      });
    const before = await layout();
    await expect.poll(() => updated.textContent(), { timeout: 25_000 }).toBe('updated 10s ago');
    expect(await layout()).toEqual(before);
    // The longest texts each kind of age writes fit their boxes in the window's font.
    gw.push(
      JSON.stringify({
        type: 'event',
        event: 'presence',
        payload: {
          presence: [
            { host: 'fresh', instanceId: 'fresh-1', mode: 'backend', reason: 'periodic', ts: Date.now(), text: '' },
            // The oldest an entry can be: the app drops a ts more than a day from the gateway's clock.
            { host: 'old', instanceId: 'old-1', mode: 'backend', reason: 'periodic', ts: now - 23 * 3_600_000 - 60_000, text: '' },
            { host: 'hour', instanceId: 'hour-1', mode: 'backend', reason: 'periodic', ts: now - 59 * 60_000 - 5_000, text: '' },
            { host: 'laptop', deviceId: 'dev-laptop', mode: 'ui', reason: 'disconnect', ts: now - 59 * 60_000 - 5_000, text: '' },
          ].map((e) => ({ ...e, ip: '192.168.100.200', version: '2026.9.6', platform: 'linux 6.1', deviceFamily: 'Linux' })),
        },
      }),
    );
    const cutOff = () => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.age')].filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.textContent));
    for (const view of ['Connections', 'Machines'] as const) {
      await groupBy(page, view).click();
      await expect.poll(() => page.locator('tbody tr').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
      const texts = await page.locator('.age').allTextContents();
      expect(texts).toEqual(expect.arrayContaining(['updated just now', 'updated 23h ago', 'updated 59m ago']));
      if (view === 'Machines') expect(texts).toContain('59 min ago');
      expect(await cutOff()).toEqual([]);
    }
    await shot(page, 'm08-ages');
    // A 900 px window leaves out the columns that give way, so ages, statuses and names all fit without a sideways scroll.
    await page.setViewportSize({ width: 900, height: 620 });
    await expect.poll(() => page.locator('.list').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  });
  it("tells a screen reader which machine is selected and whether its connections are shown (Chromium's accessibility tree)", async () => {
    const now = Date.now();
    const gw = await ScriptedGateway.start({
      presence: [
        { host: 'laptop', deviceId: 'dev-laptop', mode: 'ui', reason: 'connect', ts: now, text: '' },
        { host: 'laptop', deviceId: 'dev-laptop', mode: 'ui', reason: 'periodic', ts: now - 1_000, text: '' },
        { host: 'server', instanceId: 'server-1', mode: 'backend', reason: 'periodic', ts: now - 2_000, text: '' },
      ],
    });
    cleanups.push(() => gw.stop());
    const h = await host({ env: { OPENCLAW_GATEWAY_URL: gw.url }, clientOverrides: { pollIntervalMs: 3_600_000 } });
    const page = await openPage(h.url);
    await expect.poll(() => machineRows(page).count(), { timeout: 10_000 }).toBe(2);
    await rowFor(page, 'laptop').click();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('tbody tr.entry-row').count()).toBe(2);
    const cdp = await page.context().newCDPSession(page);
    type AxValue = { value?: unknown };
    type AxNode = { role?: AxValue; name?: AxValue; properties?: { name: string; value: AxValue }[] };
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
    const prop = (n: AxNode, name: string) => n.properties?.find((p) => p.name === name)?.value.value;
    const described = nodes
      .filter((n) => ['treegrid', 'row'].includes(String(n.role?.value)) && String(n.name?.value ?? '').length > 0)
      .map((n) => {
        // A row's name is its cells' text; the machine's name is among them.
        const name = String(n.name?.value);
        const host = ['laptop', 'server'].find((h) => name.split(' ').includes(h));
        return { role: n.role?.value, name: n.role?.value === 'row' ? (host ?? name) : name, selected: prop(n, 'selected'), expanded: prop(n, 'expanded'), level: prop(n, 'level') };
      });
    expect(described).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'treegrid', name: 'Machines' }),
        { role: 'row', name: 'laptop', selected: true, expanded: true, level: 1 },
        { role: 'row', name: 'server', selected: false, expanded: false, level: 1 },
      ]),
    );
    // The connection rows are read one level down.
    expect(described.filter((d) => d.role === 'row' && d.level === 2)).toHaveLength(2);
  });
});

