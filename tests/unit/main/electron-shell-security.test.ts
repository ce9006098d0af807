/**
 * Issue 12 through the Electron shell, with only the `electron` module mocked
 * (the binary can't be had here): the `app://` protocol handler answers a bad
 * escape with 400 (V2), and a settings save over IPC follows the same
 * secret-per-URL rule as the browser shell (V1), checked on a real gateway socket.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScriptedGateway } from '../../helpers/scripted-gateway.js';
import { tempDir } from '../../helpers/test-client.js';

const ipcHandlers = new Map<string, (event: unknown, arg?: unknown) => unknown>();
let appProtocol: ((request: { url: string }) => Promise<Response>) | undefined;

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, arg?: unknown) => unknown) => ipcHandlers.set(channel, fn),
    removeHandler: (channel: string) => ipcHandlers.delete(channel),
  },
  app: { on: () => {} },
  session: { defaultSession: { setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {} } },
  protocol: {
    registerSchemesAsPrivileged: () => {},
    handle: (_scheme: string, fn: typeof appProtocol) => (appProtocol = fn),
  },
}));

const { serveRenderer } = await import('../../../main/shell/lockdown.js');
const { BrowserShell } = await import('../../../main/serve/browser-shell.js');
const { registerIpc } = await import('../../../main/shell/ipc-handlers.js');
const { InstancesService } = await import('../../../main/core/instances-service.js');
const { FileSecretStore } = await import('../../../main/core/settings-store.js');
type PublicSettings = import('../../../shared/ipc/contract.js').PublicSettings;

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
function temp(prefix: string): string {
  const dir = tempDir(prefix);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('app:// protocol handler (V2)', () => {
  it('answers a bad escape with 400 and keeps serving files', async () => {
    const dir = path.join(temp('claw-app-protocol-'), 'renderer');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
    serveRenderer(dir);
    for (const url of ['app://instances/%ff', 'app://instances/assets/%E0%A4%A', 'app://instances/%']) {
      const res = await appProtocol!({ url });
      expect(res.status, url).toBe(400);
    }
    expect((await appProtocol!({ url: 'app://instances/missing.js' })).status).toBe(404);
    const page = await appProtocol!({ url: 'app://instances/' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>app</title>');
  });
});

describe('both shells serve the page alike', () => {
  it('gives each file the same content type, nosniff, and the same CSP but for connect-src', async () => {
    const dir = path.join(temp('claw-app-both-'), 'renderer');
    mkdirSync(path.join(dir, 'assets'), { recursive: true });
    const files = ['index.html', 'assets/app.js', 'assets/app.css', 'assets/app.js.map', 'icon.svg', 'notes.bin'];
    for (const f of files) writeFileSync(path.join(dir, f), `content of ${f}`);
    serveRenderer(dir);
    const shell = new BrowserShell({ service: { subscribe: () => () => {} } as never, rendererDir: dir });
    await shell.start();
    cleanups.push(() => shell.stop());
    const headers = (h: Headers) => ({ type: h.get('content-type'), sniff: h.get('x-content-type-options'), csp: h.get('content-security-policy')?.replace("connect-src 'self'", "connect-src 'none'") });
    for (const f of files) {
      const app = await appProtocol!({ url: `app://instances/${f}` });
      const browser = await fetch(`${shell.url}/${f}`);
      expect([app.status, browser.status], f).toEqual([200, 200]);
      expect(await browser.text(), f).toBe(await app.text());
      expect(headers(browser.headers), f).toEqual(headers(app.headers));
    }
    for (const f of ['%2e%2e/%2e%2e/etc/passwd', 'assets/..%2f..%2fsecret', 'assets/..%5c..%5csecret', 'missing.js']) {
      expect((await appProtocol!({ url: `app://instances/${f}` })).status, f).toBe(404);
      expect((await fetch(`${shell.url}/${f}`)).status, f).toBe(404);
    }
  });
});

describe('settings over IPC (V1)', () => {
  it('forgets the saved token when the window saves a new URL without one', async () => {
    const first = await ScriptedGateway.start();
    const second = await ScriptedGateway.start();
    cleanups.push(() => first.stop(), () => second.stop());
    const dataDir = temp('claw-ipc-settings-');
    const service = new InstancesService({ dataDir, secrets: new FileSecretStore(dataDir), idleSeconds: () => undefined, env: {}, home: temp('claw-ipc-home-') });
    await service.start();
    cleanups.push(() => service.stop());
    registerIpc(service, new Set([7]), () => {});
    const fromWindow = { sender: { id: 7 }, senderFrame: { url: 'app://instances/index.html', parent: null } };
    const save = (arg: unknown) => ipcHandlers.get('settings:save')!(fromWindow, arg) as Promise<{ ok: boolean; settings?: PublicSettings }>;
    const saved = (r: { settings?: PublicSettings }) => r.settings?.gateways.find((g) => g.kind === 'remote');
    const connects = (gw: ScriptedGateway) => gw.requests.filter((r) => r.method === 'connect').map((r) => (r.params as { auth?: unknown }).auth);

    const one = await save({ gateways: [{ kind: 'remote', url: first.url, secret: 'desktop-token' }] });
    expect(saved(one)).toMatchObject({ url: first.url, hasSecret: true });
    await expect.poll(() => connects(first).length).toBeGreaterThan(0);
    expect(connects(first)[0]).toEqual({ token: 'desktop-token' });

    // The same gateway, edited to a new URL, with no new token typed.
    const two = await save({ gateways: [{ kind: 'remote', id: saved(one)!.id, url: second.url }] });
    expect(saved(two)).toMatchObject({ id: saved(one)!.id, url: second.url, hasSecret: false });
    await expect.poll(() => connects(second).length).toBeGreaterThan(0);
    expect(connects(second)).toEqual(connects(second).map(() => undefined));
  });
});
