/**
 * `npm run serve`: the Instances UI in a browser, on 127.0.0.1. Runs the same
 * core as the desktop app (the embedded gateway when none is configured).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { InstancesService } from '../core/instances-service.js';
import { FileSecretStore } from '../core/settings-store.js';
import { BrowserHost } from '../serve/browser-host.js';
import { defaultDataDir } from '../system/paths.js';
import { safeLogger } from '../system/safe-log.js';
import { startOsIdleTime } from '../system/idle/idle-time.js';

const USAGE = `Usage: npm run serve -- [--port 5178] [--data-dir DIR]

Serves the Instances view at http://127.0.0.1:PORT/ (loopback only).
Test-only: --status-thresholds ACTIVE_MS,IDLE_MS  --beacon-interval-ms N`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5178' },
      'data-dir': { type: 'string' },
      'status-thresholds': { type: 'string' },
      'beacon-interval-ms': { type: 'string' },
      'embedded-port': { type: 'string' },
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
  const host = new BrowserHost({ service, rendererDir, port: Number(values.port), log });
  const url = await host.start();
  console.log(`Claw Instances is at ${url}/ (data in ${dataDir})`);
  const stop = async () => {
    await host.stop();
    await service.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
