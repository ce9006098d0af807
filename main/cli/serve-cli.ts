/**
 * `npm run serve`: the Instances UI in a browser, on 127.0.0.1. Runs the same
 * core as the desktop app (the built-in gateway when none is configured).
 *
 * It prints a link with a one-time token (Jupyter-style): only whoever can read
 * this process's output can open the UI. `--open` opens that link through a
 * 0600 file in the data folder, so the token never appears on a command line
 * that other users could read through `ps`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { InstancesService } from '../core/instances-service.js';
import { FileSecretStore } from '../core/settings-store.js';
import { BrowserShell } from '../serve/browser-shell.js';
import { writePrivateFile } from '../system/data-files.js';
import { defaultDataDir } from '../system/paths.js';
import { safeLogger } from '../system/safe-log.js';
import { startOsIdleTime } from '../system/idle/idle-time.js';

const USAGE = `Usage: npm run serve -- [--port 5178] [--data-dir DIR] [--open]

Serves the Instances view on http://127.0.0.1:PORT/ (loopback only) and prints
the link to open, with a one-time token: http://127.0.0.1:PORT/?token=…
--open  also opens that link in the default browser.
Test-only: --status-thresholds ACTIVE_MS,IDLE_MS  --beacon-interval-ms N`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5178' },
      'data-dir': { type: 'string' },
      'status-thresholds': { type: 'string' },
      'beacon-interval-ms': { type: 'string' },
      'embedded-port': { type: 'string' },
      open: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const thresholds = values['status-thresholds']?.split(',').map(Number);
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const log = safeLogger('[core]');
  const service = new InstancesService({
    dataDir,
    secrets: new FileSecretStore(dataDir),
    idleSeconds: startOsIdleTime(),
    embeddedPort: values['embedded-port'] ? Number(values['embedded-port']) : 0,
    statusThresholds: thresholds && thresholds.length === 2 && thresholds.every(Number.isFinite) ? { activeMs: thresholds[0]!, idleMs: thresholds[1]! } : undefined,
    clientOverrides: values['beacon-interval-ms'] ? { beaconIntervalMs: Number(values['beacon-interval-ms']), pollIntervalMs: Number(values['beacon-interval-ms']) } : undefined,
    log,
  });
  await service.start();
  const rendererDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer');
  const host = new BrowserShell({ service, rendererDir, port: Number(values.port), log });
  const launchUrl = await host.start();
  // The one line scripts and tests read: the link, alone after "open ".
  console.log(`Claw Instances: open ${launchUrl}`);
  console.log(`(loopback only; the link works once, then the browser keeps a session cookie; data in ${dataDir})`);
  if (values.open) openInBrowser(launchUrl, dataDir, log);
  const stop = async () => {
    await host.stop();
    await service.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** Opens the link via a private redirect file, as Jupyter does: the token stays off every command line. */
function openInBrowser(launchUrl: string, dataDir: string, log: (line: string) => void): void {
  const file = path.join(dataDir, 'open-browser.html');
  const attr = launchUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  writePrivateFile(file, `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${attr}"><title>Claw Instances</title><a href="${attr}">Open Claw Instances</a>\n`);
  const [command, args] =
    process.platform === 'darwin' ? ['open', [file]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', file]] : ['xdg-open', [file]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', (err) => log(`could not open a browser (${err.message}); open the link above`));
  child.unref();
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
