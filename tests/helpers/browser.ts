/**
 * The real UI in Debian's Chromium (never a downloaded browser), served by our
 * real browser shell over real sockets.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { InstancesService, type InstancesServiceOptions } from '../../main/core/instances-service.js';
import { FileSecretStore } from '../../main/core/settings-store.js';
import { BrowserShell } from '../../main/serve/browser-shell.js';
import { tempDir } from './test-client.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('test-results/screenshots');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface TestHost {
  /** The one-time link the host printed (as `serve` does): good for one page. */
  readonly url: string;
  /** Another one-time link, for each further page (each Playwright page is its own browser context). */
  newLaunchUrl(): string;
  /** The host's address without a token. */
  readonly baseUrl: string;
  /** Stops only the browser shell (a restarted serve keeps its port and core); stop() still cleans up. */
  stopBrowserShell(): Promise<void>;
  readonly service: InstancesService;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** Starts the app core and the browser shell with a fresh data folder and no local OpenClaw config. */
export async function startHost(o: Partial<InstancesServiceOptions> = {}): Promise<TestHost> {
  // Folders made here are removed in stop(); one passed in belongs to the caller.
  const home = tempDir('claw-e2e-home-');
  const dataDir = o.dataDir ?? tempDir('claw-e2e-');
  const made = o.dataDir ? [home] : [home, dataDir];
  const service = new InstancesService({
    dataDir,
    secrets: new FileSecretStore(dataDir),
    idleSeconds: () => 7,
    env: {},
    home,
    hostInfo: () => ({ host: 'viewer-host', ip: '10.9.8.7', platform: 'linux 6.1.0', deviceFamily: 'Linux', modelIdentifier: 'ViewerBox' }),
    ...o,
  });
  await service.start();
  const host = new BrowserShell({ service, rendererDir: path.resolve('dist/renderer') });
  const url = await host.start();
  return {
    url,
    newLaunchUrl: () => host.newLaunchUrl(),
    baseUrl: `${host.url}/`,
    stopBrowserShell: () => host.stop(),
    service,
    dataDir,
    async stop() {
      await host.stop();
      await service.stop();
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The status badge text of the row whose host cell reads `host`. */
export function rowFor(page: Page, host: string) {
  return page.locator('tbody tr', { has: page.locator('.host', { hasText: new RegExp(`^${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

/**
 * How far the focused table row sticks out of the visible part of the list, px:
 * under the sticky header cells or past the bottom. Infinity if no row has focus.
 */
export function focusedRowOutOfView(page: Page): Promise<number> {
  return page.locator('.list').evaluate((list) => {
    const row = document.activeElement;
    if (!(row instanceof HTMLTableRowElement) || !list.contains(row)) return Infinity;
    const view = list.getBoundingClientRect();
    // The header cells are what stick, not the header row group.
    const header = list.querySelector('thead th')!.getBoundingClientRect();
    const r = row.getBoundingClientRect();
    return Math.max(0, header.bottom - r.top, r.bottom - view.bottom);
  });
}
