/** The Electron shell's rules, as pure functions, in plain Node. */
import { describe, expect, it } from 'vitest';
import { buildWindowOptions } from '../../../main/shell/window-options.js';
import { APP_CSP, isTrustedSender, resolveAppFile } from '../../../main/shell/security-policy.js';
import { restoreBounds } from '../../../main/shell/window-state.js';
import { activeCount, gatewayMenuLines, totalActive, trayTooltip } from '../../../main/shell/tray-label.js';
import { gatewayView, snapshotOf } from '../../helpers/view-snapshot.js';

describe('window options', () => {
  it('isolate the renderer: context isolation, sandbox, no Node, no webview', () => {
    const o = buildWindowOptions('/app/preload.cjs', undefined, 'linux');
    expect(o.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(o.show).toBe(false);
  });
  it('reuse remembered bounds', () => {
    expect(buildWindowOptions('/p', { x: 10, y: 20, width: 900, height: 500 }, 'darwin')).toMatchObject({ x: 10, y: 20, width: 900, height: 500, titleBarStyle: 'hiddenInset' });
  });
});

describe('IPC sender check', () => {
  const trusted = new Set([7]);
  const ok = { senderId: 7, frame: { url: 'app://instances/index.html', isMainFrame: true } };
  it('trusts our window main frame on our origin', () => {
    expect(isTrustedSender(ok, trusted)).toBe(true);
  });
  it('refuses another webContents, a subframe, another origin, or a vanished frame', () => {
    expect(isTrustedSender({ ...ok, senderId: 8 }, trusted)).toBe(false);
    expect(isTrustedSender({ ...ok, frame: { ...ok.frame, isMainFrame: false } }, trusted)).toBe(false);
    expect(isTrustedSender({ ...ok, frame: { url: 'https://evil.example/', isMainFrame: true } }, trusted)).toBe(false);
    expect(isTrustedSender({ ...ok, frame: { url: 'file:///etc/passwd', isMainFrame: true } }, trusted)).toBe(false);
    expect(isTrustedSender({ ...ok, frame: { url: 'app://other/index.html', isMainFrame: true } }, trusted)).toBe(false);
    expect(isTrustedSender({ ...ok, frame: null }, trusted)).toBe(false);
    expect(isTrustedSender(ok, new Set())).toBe(false);
  });
});

describe('lockdown rules', () => {
  it('have a strict CSP: nothing but own scripts and styles, no network', () => {
    expect(APP_CSP).toContain("default-src 'none'");
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).toContain("style-src 'self'");
    expect(APP_CSP).toContain("connect-src 'none'");
    expect(APP_CSP).not.toMatch(/unsafe-(inline|eval)/);
  });
  it('serve only files inside the renderer folder from app://instances', () => {
    expect(resolveAppFile('app://instances/', '/r')).toBe('/r/index.html');
    expect(resolveAppFile('app://instances/assets/a.js', '/r')).toBe('/r/assets/a.js');
    // The URL parser resolves encoded dot segments first, so they can't climb out of the folder.
    expect(resolveAppFile('app://instances/%2e%2e/%2e%2e/etc/passwd', '/r')).toBe('/r/etc/passwd');
    expect(resolveAppFile('app://instances/a/..%2f..%2f..%2fetc', '/r')).toBeUndefined();
    expect(resolveAppFile('app://instances/assets/..%5c..%5csecret', '/r')).toBeUndefined();
    expect(resolveAppFile('app://elsewhere/index.html', '/r')).toBeUndefined();
  });
});

describe('window state and tray', () => {
  it('restores a window only where a display still is', () => {
    const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(restoreBounds({ x: 100, y: 100, width: 800, height: 600 }, screen)).toEqual({ x: 100, y: 100, width: 800, height: 600 });
    expect(restoreBounds({ x: 3000, y: 100, width: 800, height: 600 }, screen)).toEqual({ width: 800, height: 600 });
    expect(restoreBounds(undefined, screen)).toBeUndefined();
  });
  it('counts Active instances for the tray, in total and per gateway', () => {
    const now = 1_000_000;
    const home = gatewayView(
      [
        { host: 'a', ts: now - 1000, text: '' },
        { host: 'b', ts: now - 200_000, text: '' },
        { host: 'c', ts: now - 2000, text: '' },
      ],
      1,
      { id: 'home', name: 'Home', gatewayNowMs: now },
    );
    expect(activeCount(home, now)).toBe(2);
    expect(trayTooltip(snapshotOf(home), now)).toBe('Claw Instances — 2 active instances');
    // Asked later, with no new view (a quiet gateway keeps its view object), the counts follow the clock.
    expect(activeCount(home, now + 118_500)).toBe(1);
    expect(trayTooltip(snapshotOf({ ...home, connection: { kind: 'connecting', url: 'ws://x', attempt: 1 } }), now)).toBe('Claw Instances — not connected');
    // A second gateway on its own clock (an hour ahead): its entry from a second ago is Active too.
    const work = gatewayView([{ host: 'w', ts: now + 3_600_000 - 1000, text: '' }], 1, { id: 'work', name: 'Work', gatewayNowMs: now + 3_600_000, clockOffsetMs: 3_600_000 });
    const down = gatewayView([{ host: 'x', ts: now, text: '' }], 1, { id: 'lab', name: 'Lab', connection: { kind: 'failed', url: 'ws://lab', reason: 'refused', action: '' } });
    const all = snapshotOf(home, work, down);
    expect(totalActive(all, now)).toBe(3);
    expect(trayTooltip(all, now)).toBe('Claw Instances — 3 active instances on 2 of 3 gateways');
    expect(gatewayMenuLines(all, now)).toEqual([
      { id: 'home', label: 'Home — 2 active' },
      { id: 'work', label: 'Work — 1 active' },
      { id: 'lab', label: 'Lab — not connected' },
    ]);
  });
});
