/**
 * Issue 12 in Chromium: the browser shell's one-time link and session cookie
 * (V1), as printed by a real `serve` process and as used by a real page, and a
 * hostile gateway's entries (V5) leaving a working window.
 */
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { rowFor, shot, startHost, type TestHost } from '../helpers/browser.js';
import { tempDir } from '../helpers/test-client.js';
import { ScriptedGateway } from '../helpers/scripted-gateway.js';
import { BrowserShell } from '../../main/serve/browser-shell.js';
import { browserSuite } from './browser-suite.js';

const suite = browserSuite();
const { cleanups } = suite;

async function newPage(): Promise<Page> {
  const page = await suite.browser.newPage({ viewport: { width: 1200, height: 520 } });
  cleanups.push(() => page.close());
  return page;
}

async function host(o: Parameters<typeof startHost>[0] = {}): Promise<TestHost> {
  const h = await startHost(o);
  cleanups.push(() => h.stop());
  return h;
}

const NEEDS_LINK = 'Open the link printed when serve started';

/** Runs the built `serve` CLI and resolves with the link it prints. */
async function runServe(o: { args?: string[]; pathPrefix?: string; dataDir?: string } = {}): Promise<string> {
  const dataDir = o.dataDir ?? tempDir('claw-e2e-serve-');
  const home = tempDir('claw-e2e-serve-home-');
  const child = spawn(process.execPath, ['dist/main/cli/serve-cli.js', '--port', '0', '--data-dir', dataDir, ...(o.args ?? [])], {
    env: { PATH: o.pathPrefix ? `${o.pathPrefix}${path.delimiter}${process.env.PATH}` : process.env.PATH, HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    return exited.then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    });
  });
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const link = /^Claw Instances: open (http:\/\/\S+)$/m.exec(out)?.[1];
      if (link) resolve(link);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
}

describe('the browser shell needs the printed link (V1)', () => {
  it('opens from the link serve printed, drops the token from the address bar, and keeps the session in an HttpOnly, SameSite=Strict cookie', async () => {
    const link = await runServe();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    const page = await newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(link);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toBe('Connected · built-in gateway');
    expect(page.url()).toBe(link.replace(/\?token=.*$/, ''));
    expect(await page.evaluate(() => location.search + document.cookie)).toBe('');
    const cookies = await page.context().cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: `claw_session_${new URL(link).port}`, httpOnly: true, sameSite: 'Strict', domain: '127.0.0.1' });
    expect(sockets).toEqual([`ws://127.0.0.1:${new URL(link).port}/api`]);
    await shot(page, '20-opened-from-link');

    // The same link again, in another browser profile: used up.
    const again = await newPage();
    await again.goto(link);
    await expect.poll(() => again.getByRole('heading', { name: NEEDS_LINK }).count(), { timeout: 10_000 }).toBe(1);
    expect(again.url()).not.toContain('token=');
    expect(await again.getByRole('button', { name: 'Settings', exact: true }).count()).toBe(0);
  });

  it('--open hands the browser a private file that leads to the link, never the token on a command line', async () => {
    // A stand-in for xdg-open that records how it was called, as `ps` would show it.
    const bin = tempDir('claw-e2e-fake-open-');
    cleanups.push(() => rmSync(bin, { recursive: true, force: true }));
    const calls = path.join(bin, 'calls');
    writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\necho "$@" >> '${calls}'\n`);
    chmodSync(path.join(bin, 'xdg-open'), 0o755);
    const link = await runServe({ args: ['--open'], pathPrefix: bin });
    await expect.poll(() => { try { return readFileSync(calls, 'utf8'); } catch { return ''; } }, { timeout: 10_000 }).toMatch(/open-browser\.html/);
    const opened = readFileSync(calls, 'utf8').trim();
    expect(opened).not.toContain('token');
    expect(statSync(opened).mode & 0o777).toBe(0o600);
    expect(readFileSync(opened, 'utf8')).toContain(`url=${link}`);
    // And the file really leads a browser to the UI.
    const page = await newPage();
    await page.goto(`file://${opened}`);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toBe('Connected · built-in gateway');
    expect(page.url()).toBe(link.replace(/\?token=.*$/, ''));
  });

  it('says to open the printed link, and opens no socket, without one', async () => {
    const h = await host();
    const page = await newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(h.baseUrl);
    await expect.poll(() => page.getByRole('heading', { name: NEEDS_LINK }).count(), { timeout: 10_000 }).toBe(1);
    await page.goto(`${h.baseUrl}?token=guessed`);
    await expect.poll(() => page.getByRole('heading', { name: NEEDS_LINK }).count(), { timeout: 10_000 }).toBe(1);
    expect(page.url()).toBe(h.baseUrl);
    expect(sockets).toEqual([]);
    expect(await page.context().cookies()).toEqual([]);
    await shot(page, '21-needs-link');
  });
});

describe('a restarted serve (V1)', () => {
  it('asks for the new link instead of retrying for ever: the old session cookie is worth nothing to the new run', async () => {
    const h = await host();
    const page = await newPage();
    await page.goto(h.url);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toBe('Connected · built-in gateway');
    const port = Number(new URL(h.baseUrl).port);
    await h.stopBrowserShell();
    const next = new BrowserShell({ service: h.service, rendererDir: path.resolve('dist/renderer'), port });
    await next.start();
    cleanups.push(() => next.stop());
    await expect.poll(() => page.getByRole('heading', { name: NEEDS_LINK }).count(), { timeout: 15_000 }).toBe(1);
    await page.goto(next.newLaunchUrl());
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toBe('Connected · built-in gateway');
  });
});

describe('a hostile gateway (V5)', () => {
  it('feeds extreme numbers and strings; the window shows the sane rows and Settings opens', async () => {
    const now = Date.now();
    const big = 'W'.repeat(100 * 1024);
    const hostile = [
      { host: 'far-future', ts: 9e15, text: 'x' },
      { host: 'max-date', ts: 8.64e15, text: 'x' },
      { host: 'negative', ts: -5, text: 'x' },
      { host: 'fraction', ts: now + 0.25, text: 'x' },
      { host: 'year-ahead', ts: now + 365 * 86_400_000, text: 'x' },
      { host: 'huge-idle', ts: now, lastInputSeconds: 1e300, text: 'x' },
      { host: big, ts: now, text: 'x' },
      { host: 'huge-text', ts: now, text: big },
      { host: 'huge-extra', ts: now, user: { name: big }, text: 'x' },
      { host: 'sane-host', instanceId: 'sane', ip: '10.0.0.9', ts: now - 2000, text: 'Node: sane' },
      { host: '\u202Eevil-rtl\u202C', instanceId: 'rtl', version: '\u202E1.0', ts: now - 1000, text: 'x' },
    ];
    const gw = await ScriptedGateway.start({ presence: hostile });
    cleanups.push(() => gw.stop());
    const h = await host({ env: { OPENCLAW_GATEWAY_URL: gw.url } });
    const page = await newPage();
    await page.goto(h.url);
    await expect.poll(() => rowFor(page, 'sane-host').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('tbody tr:not(.spacer-row)').count()).toBe(2);
    // The Machines view (the default): the two sane machines, both Active.
    expect(await page.getByRole('group', { name: 'Machine counts' }).getByRole('button', { name: /Active/ }).textContent()).toBe('2 Active');
    // A right-to-left override can't disguise a host name: it is shown as what it is.
    expect(await page.locator('tbody .host').allTextContents()).toContain('\\u202eevil-rtl\\u202c');
    // 1e400 is Infinity once parsed: written into the raw JSON text, the way a hostile gateway would send it.
    const pushed = JSON.stringify({ type: 'event', event: 'presence', payload: { presence: [...hostile, { host: 'pushed', ts: 1, text: 'x' }] } }).replace('"ts":1,', '"ts":1e400,');
    gw.push(pushed.replace('"sane-host"', '"sane-host-2"'));
    await expect.poll(() => rowFor(page, 'sane-host-2').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByRole('heading', { name: /Couldn't show/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    expect(await page.getByRole('dialog', { name: 'Settings' }).count()).toBe(1);
    await shot(page, '22-hostile-gateway');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
  });
});
