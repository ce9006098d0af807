/**
 * The Electron-facing wiring with the `electron` module mocked: the mock stands
 * in only for the Electron binary, which can't be downloaded here. It records
 * what our code registers, and the tests drive those handlers as Electron would.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (event: unknown, arg?: unknown) => unknown>();
const appEvents = new Map<string, (...args: unknown[]) => void>();
let permissionHandler: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
let permissionCheck: ((c: unknown, p: string) => boolean) | undefined;

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, arg?: unknown) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
  app: { on: (name: string, fn: (...args: unknown[]) => void) => appEvents.set(name, fn) },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: typeof permissionHandler) => (permissionHandler = fn),
      setPermissionCheckHandler: (fn: typeof permissionCheck) => (permissionCheck = fn),
    },
  },
  protocol: { registerSchemesAsPrivileged: () => {}, handle: () => {} },
}));

const { registerIpc } = await import('../../../main/shell/ipc-handlers.js');
const { lockDownSessions } = await import('../../../main/shell/lockdown.js');

const fakeService = {
  snapshot: () => ({ entries: [] }),
  refresh: async () => {},
  getSettings: () => ({ gatewayUrl: '' }),
  saveSettings: async (arg: unknown) => ({ ok: true, arg }),
};
const event = (id: number, url: string, isMain = true) => ({ sender: { id }, senderFrame: { url, parent: isMain ? null : {} } });

describe('IPC handlers', () => {
  beforeEach(() => handlers.clear());

  it('answer our window and refuse anyone else', async () => {
    registerIpc(fakeService as never, new Set([3]), () => {});
    expect([...handlers.keys()].sort()).toEqual(['history:forget', 'history:get', 'presence:pause', 'presence:refresh', 'presence:resume', 'presence:snapshot', 'settings:get', 'settings:save']);
    expect(await handlers.get('presence:snapshot')!(event(3, 'app://instances/index.html'))).toEqual({ entries: [] });
    expect(() => handlers.get('presence:snapshot')!(event(4, 'app://instances/index.html'))).toThrow('untrusted sender');
    expect(() => handlers.get('settings:save')!(event(3, 'https://evil.example/'), {})).toThrow('untrusted sender');
    expect(() => handlers.get('settings:get')!(event(3, 'app://instances/index.html', false))).toThrow('untrusted sender');
  });
});

describe('session lockdown', () => {
  it('denies permissions, navigation, redirects, webviews and new windows', () => {
    lockDownSessions();
    const permissions = ['media', 'notifications', 'clipboard-read', 'openExternal', 'geolocation'];
    const granted: boolean[] = [];
    for (const p of permissions) permissionHandler!({}, p, (ok) => granted.push(ok));
    expect(granted).toEqual(permissions.map(() => false));
    expect(permissions.map((p) => permissionCheck!({}, p))).toEqual(permissions.map(() => false));
    const on = new Map<string, (e: { preventDefault(): void }, url?: string) => void>();
    let windowOpen: (() => { action: string }) | undefined;
    appEvents.get('web-contents-created')!({}, { on: (n: string, fn: never) => on.set(n, fn), setWindowOpenHandler: (fn: typeof windowOpen) => (windowOpen = fn) });
    // Even our own page: the app is one page and never navigates.
    for (const url of ['https://example.com', 'app://instances/index.html']) {
      for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
        const prevent = vi.fn();
        on.get(name)!({ preventDefault: prevent }, url);
        expect(prevent, `${name} ${url}`).toHaveBeenCalled();
      }
    }
    expect(windowOpen!()).toEqual({ action: 'deny' });
  });
});
