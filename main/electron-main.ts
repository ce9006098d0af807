/**
 * The Electron shell: lifecycle, one window, the tray, and the OS hooks (idle
 * time, wake from sleep). Everything else is the plain-Node core.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, Menu, Tray, nativeImage, powerMonitor, screen } from 'electron';
import { APP_ORIGIN } from '../shared/ipc/channels.js';
import { InstancesService } from './core/instances-service.js';
import { safeLogger } from './system/safe-log.js';
import { forwardSnapshots, registerIpc, type SnapshotEncoders } from './shell/ipc-handlers.js';
import { lockDownSessions, registerAppScheme, serveRenderer } from './shell/lockdown.js';
import { createSecretStore } from './shell/safe-storage-secrets.js';
import { gatewayMenuLines, totalActive, trayTooltip } from './shell/tray-label.js';
import { buildWindowOptions } from './shell/window-options.js';
import { loadBounds, restoreBounds, saveBounds } from './shell/window-state.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '../renderer');
const preloadPath = path.resolve(here, '../preload/preload.cjs');
const appRoot = path.resolve(here, '../..');
const log = safeLogger('[main]', (line) => console.log(line));

// A separate profile (tests, or a second identity on one machine) via CLAW_INSTANCES_HOME.
if (process.env.CLAW_INSTANCES_HOME) app.setPath('userData', process.env.CLAW_INSTANCES_HOME);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  let window: BrowserWindow | undefined;
  let tray: Tray | undefined;
  let service: InstancesService | undefined;
  const trustedIds = new Set<number>();
  const encoders: SnapshotEncoders = new Map();

  const showWindow = () => {
    if (!window || window.isDestroyed()) window = createWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  const createWindow = (): BrowserWindow => {
    const dataDir = app.getPath('userData');
    const bounds = restoreBounds(loadBounds(dataDir), screen.getAllDisplays().map((d) => d.workArea));
    const options = buildWindowOptions(preloadPath, bounds, process.platform);
    // The security flags are spelled out here as well as in the tested builder so a static
    // checker (electronegativity, in the test command) can see them at the call site.
    const win = new BrowserWindow({
      ...options,
      webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' },
    });
    const id = win.webContents.id;
    trustedIds.add(id);
    const stopForwarding = service ? forwardSnapshots(service, win.webContents, encoders) : () => {};
    win.once('ready-to-show', () => win.show());
    win.on('close', () => saveBounds(dataDir, win.getBounds()));
    win.on('closed', () => {
      trustedIds.delete(id);
      stopForwarding();
    });
    void win.loadURL(`${APP_ORIGIN}/index.html`);
    return win;
  };

  app.on('second-instance', showWindow);

  app.whenReady().then(async () => {
    lockDownSessions();
    serveRenderer(rendererDir);
    const dataDir = app.getPath('userData');
    service = new InstancesService({
      dataDir,
      secrets: createSecretStore(dataDir),
      idleSeconds: () => powerMonitor.getSystemIdleTime(),
      log,
    });
    registerIpc(service, trustedIds, log, encoders);
    await service.start();
    powerMonitor.on('resume', () => void service?.beaconNow('wake'));
    powerMonitor.on('unlock-screen', () => void service?.beaconNow('wake'));

    tray = new Tray(nativeImage.createFromPath(path.join(appRoot, 'app', process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png')));
    let lastMenu = '';
    const updateTray = () => {
      const snapshot = service!.snapshot();
      const n = totalActive(snapshot);
      if (process.platform === 'darwin') tray?.setTitle(String(n));
      tray?.setToolTip(trayTooltip(snapshot));
      const lines = gatewayMenuLines(snapshot);
      // A storm of presence events must not rebuild the native menu each time: only when its text changes.
      const key = JSON.stringify([n, lines]);
      if (key === lastMenu) return;
      lastMenu = key;
      tray?.setContextMenu(
        Menu.buildFromTemplate([
          { label: `${n} active`, enabled: false },
          ...(lines.length > 1 ? [{ label: 'Gateways', submenu: lines.map((l) => ({ label: l.label, enabled: false })) }] : []),
          { type: 'separator' },
          { label: 'Open Instances', click: showWindow },
          { label: 'Refresh', click: () => void service?.refresh() },
          { type: 'separator' },
          { label: 'Quit', role: 'quit' },
        ]),
      );
    };
    service.subscribe(updateTray);
    // Read-only hooks for the Electron launch tests, which can't reach the tray otherwise.
    if (process.env.CLAW_INSTANCES_TEST_HOOKS === '1') {
      Object.assign(globalThis, { clawTestHooks: { trayTooltip: () => trayTooltip(service!.snapshot()) } });
    }
    setInterval(updateTray, 5_000).unref();
    updateTray();
    tray.on('click', showWindow);

    window = createWindow();
  });

  app.on('activate', showWindow);
  // The tray keeps the app (and its presence) alive with no window open, like the OpenClaw menu-bar app.
  app.on('window-all-closed', () => {});
  // Close the connection and the built-in gateway cleanly (the gateway tells its clients it is
  // stopping) before the process goes; give it two seconds at most.
  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped || !service) return;
    event.preventDefault();
    const done = () => {
      stopped = true;
      app.quit();
    };
    void Promise.race([service.stop(), new Promise((resolve) => setTimeout(resolve, 2000))]).then(done, done);
  });
}
