/**
 * The fleet bench's core, in its own process as `npm run serve` runs it: the
 * app core (InstancesService) and the browser shell, with a fresh data folder.
 * It answers the bench's questions about itself: its memory (after a full GC,
 * so the figure is what the gateways keep, not garbage not yet collected) and
 * its event-loop delay over a window (`perf_hooks.monitorEventLoopDelay`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { InstancesService } from '../main/core/instances-service.js';
import { FileSecretStore } from '../main/core/settings-store.js';
import { BrowserShell } from '../main/serve/browser-shell.js';
import type { ViewSnapshot } from '../shared/ipc/contract.js';
import { serveRpc } from './child-rpc.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'claw-fleet-core-'));
const dataDir = path.join(root, 'data');
const service = new InstancesService({
  dataDir,
  secrets: new FileSecretStore(dataDir),
  idleSeconds: () => 7,
  env: {},
  home: root,
  hostInfo: () => ({ host: 'fleet-viewer', ip: '10.9.8.7', platform: 'linux 6.1.0', deviceFamily: 'Linux' }),
});
const shell = new BrowserShell({ service, rendererDir: path.resolve('dist/renderer') });
let launchUrl: string | undefined;
const started = (async () => {
  await service.start();
  launchUrl = await shell.start();
})();
let histogram: IntervalHistogram | undefined;

/** Resolves once `done` holds for the core's snapshot (checked at each change), or fails after `timeoutMs`. */
function until(done: (s: ViewSnapshot) => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (done(service.snapshot())) return resolve();
    const timer = setTimeout(() => {
      stop();
      const s = service.snapshot();
      reject(new Error(`not settled in ${timeoutMs} ms: ${s.gateways.map((g) => `${g.connection.kind}/${g.entries.length}`).join(' ')}`));
    }, timeoutMs);
    const stop = service.subscribe((s) => {
      if (!done(s)) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

const gc = (globalThis as { gc?: () => void }).gc;

serveRpc({
  /** Watches exactly these gateways, and waits until each is connected with at least `rows` entries. */
  async gateways(p) {
    const urls = p.urls as string[];
    const rows = Number(p.rows);
    const result = await service.saveSettings({ gateways: urls.map((url, i) => ({ kind: 'remote', name: `fleet ${i}`, url, secret: String(p.token) })) });
    if (!result.ok) throw new Error(`settings refused: ${JSON.stringify(result)}`);
    const t0 = performance.now();
    await until((s) => s.gateways.length === urls.length && s.gateways.every((g) => g.connection.kind === 'connected' && g.entries.length >= rows), 120_000);
    return { settledMs: performance.now() - t0 };
  },
  /** The one-time link for the page (a second call makes a new one). */
  launchUrl() {
    const url = launchUrl ?? shell.newLaunchUrl();
    launchUrl = undefined;
    return { url };
  },
  memory() {
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    return { rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers, gc: gc !== undefined };
  },
  loopStart() {
    histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    return {};
  },
  loopStop() {
    if (!histogram) throw new Error('loopStart first');
    histogram.disable();
    const h = histogram;
    histogram = undefined;
    const toMs = (ns: number) => ns / 1e6;
    return { p50: toMs(h.percentile(50)), p99: toMs(h.percentile(99)), max: toMs(h.max), count: h.count };
  },
  async stop() {
    await shell.stop();
    await service.stop();
    rmSync(root, { recursive: true, force: true });
    setImmediate(() => process.exit(0));
    return {};
  },
}, started);
