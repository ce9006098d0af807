/**
 * The desktop app itself, launched with Playwright's Electron driver. Runs where
 * an Electron binary exists (ELECTRON_OVERRIDE_DIST_PATH, or one electron
 * downloaded); reported as skipped, with that reason, where none does.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { tempDir, testClient } from '../helpers/test-client.js';

function electronBinary(): string | undefined {
  const pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const candidate = process.env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative) : path.join(pkgDir, 'dist', relative);
  return existsSync(candidate) ? candidate : undefined;
}

const binary = electronBinary();
const title = binary ? 'Electron app' : 'Electron app (skipped: no Electron binary here; set ELECTRON_OVERRIDE_DIST_PATH or install one)';

describe.skipIf(!binary)(title, () => {
  let electronApp: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    electronApp = await _electron.launch({
      executablePath: binary!,
      args: ['.', '--no-sandbox'],
      env: { ...process.env, CLAW_INSTANCES_HOME: tempDir('claw-electron-'), CLAW_INSTANCES_TEST_HOOKS: '1', OPENCLAW_GATEWAY_URL: '' },
    });
    page = await electronApp.firstWindow();
  });
  afterAll(async () => {
    await electronApp?.close();
  });

  it('opens one window with the secure options and only the bridge exposed', async () => {
    expect(await electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    // What isolation looks like from inside the page: no Node, no require, only the bridge.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((window as unknown as { clawInstances: object }).clawInstances).sort())).toEqual(['forgetMachine', 'getMachineHistory', 'getSettings', 'getSnapshot', 'onSnapshotMessage', 'refresh', 'saveSettings']);
    expect(page.url()).toBe('app://instances/index.html');
  });

  it('renders rows from the built-in gateway and the tray count follows', async () => {
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const before = await electronApp.evaluate(() => (globalThis as unknown as { clawTestHooks: { trayTooltip(): string } }).clawTestHooks.trayTooltip());
    const gatewayUrl = await page.evaluate(async () => (await (window as unknown as { clawInstances: { getSnapshot(): Promise<{ gateways: Array<{ gateway: { url: string } }> }> } }).clawInstances.getSnapshot()).gateways[0]!.gateway.url);
    const { client } = testClient({ url: gatewayUrl, host: { host: 'tray-counter' } });
    client.start();
    try {
      await expect.poll(() => page.locator('tbody tr').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
      const after = await electronApp.evaluate(() => (globalThis as unknown as { clawTestHooks: { trayTooltip(): string } }).clawTestHooks.trayTooltip());
      const n = (s: string) => Number(/(\d+) active/.exec(s)?.[1]);
      expect(n(after)).toBe(n(before) + 1);
    } finally {
      await client.stop();
    }
  });
});
