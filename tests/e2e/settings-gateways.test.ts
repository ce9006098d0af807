/**
 * Settings for several gateways (issue 14, item 1) in Chromium, against the real
 * browser shell and core: add a second gateway (a second hub of ours, with a
 * token), save, reload, and it is still listed, its token saved and never shown.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HubServer } from '../../main/hub/hub-server.js';
import { shot, startHost, type TestHost } from '../helpers/browser.js';
import { browserSuite } from './browser-suite.js';

const suite = browserSuite();
const { cleanups } = suite;
const TOKEN = 'second-hub-token-5d1c9a';

async function host(): Promise<TestHost> {
  const h = await startHost();
  cleanups.push(() => h.stop());
  return h;
}

async function secondHub(): Promise<HubServer> {
  const hub = new HubServer({ self: { host: 'second-hub', version: '0.1.0' }, token: TOKEN });
  await hub.start();
  cleanups.push(() => hub.stop());
  return hub;
}

async function openPage(url: string): Promise<{ page: Page; frames: string[] }> {
  const page = await suite.browser.newPage({ viewport: { width: 1200, height: 760 } });
  cleanups.push(() => page.close());
  const frames: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => frames.push(String(f.payload)));
    ws.on('framesent', (f) => frames.push(String(f.payload)));
  });
  await page.goto(url);
  return { page, frames };
}

const gatewayNames = (page: Page) => page.getByRole('list', { name: 'Gateways' }).locator('.gateway-name').allTextContents();

describe('Settings: several gateways in Chromium', () => {
  it('adds a second gateway with its token, keeps it across a reload, and never sends the token back to the page', async () => {
    const h = await host();
    const hub = await secondHub();
    const { page, frames } = await openPage(h.url);

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    expect(await gatewayNames(page)).toEqual(['Built-in']);
    await dialog.getByRole('button', { name: 'Add gateway' }).click();
    // Focus lands in the new gateway's URL field: type straight away.
    await page.keyboard.type(hub.url);
    await dialog.getByLabel('Name').fill('second');
    await dialog.getByLabel('Token', { exact: true }).fill(TOKEN);
    await dialog.getByRole('radio', { name: 'Green' }).check();
    // Keep the built-in gateway running beside it (by default it stops once another is listed).
    await dialog.getByLabel('Run').selectOption('on');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // The core uses it: our machine's row appears on the second hub, signed in with the saved token,
    // and the window lists the second hub's own row with the new gateway's chip (chips show once two gateways run).
    await expect.poll(() => hub.store.list().some((e) => e.host === 'viewer-host'), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.locator('tbody tr', { hasText: 'second-hub' }).locator('.gateway-chip').allTextContents(), { timeout: 15_000 }).toContain('second');

    await page.reload();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    expect(await gatewayNames(page)).toEqual(['Built-in', 'second']);
    expect(await dialog.getByLabel('Run').inputValue()).toBe('on');
    const second = page.getByRole('listitem', { name: 'second' });
    expect(await second.locator('.gateway-meta').textContent()).toBe(`${hub.url} · Saved · token saved`);
    expect(await second.locator('.chip').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(0, 158, 115)');
    expect(await second.getByLabel('Beacon this machine to it').isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Edit second' }).click();
    const token = dialog.getByLabel('Token', { exact: true });
    expect(await token.inputValue()).toBe('');
    expect(await token.getAttribute('placeholder')).toBe('saved — leave empty to keep');
    await shot(page, 'settings-gateways');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'settings-gateways-dark');

    // The token went up once, in the save; nothing the page received ever carried it.
    expect(frames.filter((f) => f.includes(TOKEN))).toHaveLength(1);
    expect(frames.filter((f) => f.includes(TOKEN))[0]).toContain('saveSettings');
    expect(await page.content()).not.toContain(TOKEN);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('is driven by the keyboard: Tab stays inside, Move up reorders, Escape asks before discarding, and focus returns to Settings', async () => {
    const h = await host();
    const hub = await secondHub();
    await h.service.saveSettings({ gateways: [{ kind: 'builtin', run: 'on' }, { kind: 'remote', name: 'second', url: hub.url, secret: TOKEN }] });
    const { page } = await openPage(h.url);
    const settings = page.getByRole('button', { name: 'Settings', exact: true });
    await settings.click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    expect(await gatewayNames(page)).toEqual(['Built-in', 'second']);
    // Many Tabs never leave the dialog.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(true);
    }
    await dialog.getByRole('button', { name: 'Move second up' }).focus();
    await page.keyboard.press('Enter');
    expect(await gatewayNames(page)).toEqual(['second', 'Built-in']);
    // The moved gateway keeps focus (its up button is now disabled, so its down button).
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move second down');
    // The move is an edit: Escape asks first, with focus on keeping it.
    await page.keyboard.press('Escape');
    expect(await dialog.getByRole('alert').textContent()).toBe('Discard your changes?');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep editing');
    await shot(page, 'settings-discard-question');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Discard');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await settings.evaluate((el) => el === document.activeElement)).toBe(true);
    // Discard threw the move away.
    expect(h.service.getSettings().gateways.map((g) => g.name)).toEqual(['Built-in', 'second']);
  });
  it('keeps Save and Cancel on screen in a short window while the list scrolls', async () => {
    const h = await host();
    const hub = await secondHub();
    await h.service.saveSettings({ gateways: [{ kind: 'builtin', run: 'on' }, { kind: 'remote', name: 'second', url: hub.url, secret: TOKEN }] });
    const page = await suite.browser.newPage({ viewport: { width: 720, height: 420 } });
    cleanups.push(() => page.close());
    await page.goto(h.url);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    // The dialog is taller than the window: it scrolls.
    expect(await dialog.evaluate((el) => el.scrollHeight > el.clientHeight + 100)).toBe(true);
    /** Whether a click at the button's centre lands on it, inside the dialog's visible part. */
    const reachable = (name: string) =>
      dialog.getByRole('button', { name, exact: true }).evaluate((button) => {
        const r = button.getBoundingClientRect();
        const box = button.closest('[role="dialog"]')!.getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === button;
      });
    for (const at of ['top', 'bottom'] as const) {
      await dialog.evaluate((el, where) => el.scrollTo({ top: where === 'top' ? 0 : el.scrollHeight }), at);
      expect(await reachable('Save'), `Save with the dialog scrolled to the ${at}`).toBe(true);
      expect(await reachable('Cancel'), `Cancel with the dialog scrolled to the ${at}`).toBe(true);
    }
    // Nothing hides under the bar: the last control scrolls clear of it.
    const lastCheckbox = dialog.getByRole('checkbox').last();
    await lastCheckbox.scrollIntoViewIfNeeded();
    expect(await lastCheckbox.evaluate((el) => { const r = el.getBoundingClientRect(); return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === el; })).toBe(true);
    await shot(page, 'settings-short-window');
  });
});

