/**
 * The core under a storm (issue 14): the real OpenClaw gateway sends its whole
 * list to every client on every change, so 100 beacons/s against a gateway
 * with 190 entries is 100 lists of ~52 KB a second into the core.
 *
 * The core (InstancesService with its history) and the browser shell run in
 * this process, pointed at the real gateway; one window's socket is open on the
 * shell. A driver process (storm-driver.ts) seeds the entries, beacons at
 * 100/s for 20 s, times `GET /` on the shell and sees each beacon reach the
 * window's socket. Here: the event-loop delay (`monitorEventLoopDelay`) and
 * CPU of this process during the storm.
 *
 * Then memory per gateway connection (connection-memory.ts, its own process):
 * 1, 11 and 51 presence clients on one of our hubs holding 200 entries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startHost } from '../tests/helpers/browser.js';
import { connectedClient } from '../tests/helpers/raw-client.js';
import { freePort, startRealGateway } from '../tests/helpers/openclaw/harness.js';
import type { DriverArgs, DriverMessage, StormFigures } from './storm-driver.js';
import type { MemoryStep } from './connection-memory.js';
import { mb, ms, percentile, type Section } from './stats.js';

const ENTRIES = 190;
const BEACONS_PER_SECOND = Number(process.env.BENCH_STORM_RATE ?? 100);
const STORM_SECONDS = Number(process.env.BENCH_STORM_SECONDS ?? 20);
/** The delay monitor wakes every 10 ms; a wake-up later than that is the delay. */
const RESOLUTION_MS = 10;
const MEMORY_ENTRIES = 200;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Node with the same TypeScript loader this bench runs under. */
function tsNode(script: string, args: string[], o: { nodeArgs?: string[]; ipc?: boolean; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit', ...(o.ipc ? (['ipc'] as const) : [])], env: { ...process.env, ...o.env } });
}

function ask(child: ChildProcess, go: 'seed' | 'storm'): Promise<DriverMessage> {
  return new Promise((resolve, reject) => {
    child.once('message', (m: DriverMessage) => ('error' in m ? reject(new Error(`storm driver: ${m.error}`)) : resolve(m)));
    child.once('exit', (code) => reject(new Error(`storm driver exited (${code})`)));
    child.send({ go });
  });
}

interface StormResult {
  readonly delay: { p50: number; p99: number; max: number };
  readonly idleDelay: { p50: number; p99: number; max: number };
  readonly cpuPercent: number;
  readonly listBytes: number;
  readonly coreEntries: number;
  readonly driver: StormFigures;
}

/** `BENCH_STORM_PROFILE=FILE`: a CPU profile of this process over the storm (open it in Chrome's DevTools). */
async function startProfile(): Promise<() => Promise<object>> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return async () => {
    const { profile } = await post('Profiler.stop');
    session.disconnect();
    return profile as object;
  };
}

function delays(h: ReturnType<typeof monitorEventLoopDelay>) {
  const less = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return { p50: less(h.percentile(50)), p99: less(h.percentile(99)), max: less(h.max) };
}

export async function stormRun(): Promise<StormResult> {
  const real = await startRealGateway();
  const host = await startHost({ env: { OPENCLAW_GATEWAY_URL: real.url, OPENCLAW_GATEWAY_TOKEN: real.token } });
  const driverArgs: DriverArgs = { gatewayUrl: real.url, token: real.token, launchUrl: host.newLaunchUrl(), entries: ENTRIES, beaconsPerSecond: BEACONS_PER_SECOND, seconds: STORM_SECONDS };
  const driver = tsNode(here('./storm-driver.ts'), [JSON.stringify(driverArgs)], { ipc: true });
  try {
    await ask(driver, 'seed');
    // The core has the whole list before the storm starts.
    const coreEntries = await new Promise<number>((resolve) => {
      const check = () => {
        const n = host.service.snapshot().gateways[0]?.entries.length ?? 0;
        if (n >= ENTRIES) {
          off();
          resolve(n);
        }
      };
      const off = host.service.subscribe(check);
      check();
    });
    const listBytes = JSON.stringify(host.service.snapshot().gateways[0]?.entries ?? []).length;

    const idle = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    idle.enable();
    await new Promise((r) => setTimeout(r, 3000));
    idle.disable();

    const profiler = process.env.BENCH_STORM_PROFILE ? await startProfile() : undefined;
    const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    h.enable();
    const done = (await ask(driver, 'storm')) as Extract<DriverMessage, { done: 'storm' }>;
    h.disable();
    const cpu = process.cpuUsage(cpu0);
    if (profiler) writeFileSync(process.env.BENCH_STORM_PROFILE!, JSON.stringify(await profiler()));
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100;
    return { delay: delays(h), idleDelay: delays(idle), cpuPercent, listBytes, coreEntries, driver: done.figures };
  } finally {
    if (driver.connected) driver.send({ go: 'quit' });
    await new Promise<void>((resolve) => (driver.exitCode === null ? driver.once('exit', () => resolve()) : resolve()));
    await host.stop();
    await real.stop();
  }
}

export async function memoryRun(): Promise<MemoryStep[]> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'claw-bench-hub-'));
  // With a token: our hub keys a beacon from a device key to that device's own row, so the
  // seeder comes without one (as a one-off `cli` client with the token) to fill 200 rows.
  const token = 'bench-memory';
  const hub = tsNode(here('../main/cli/gateway-cli.ts'), ['--port', String(port), '--data-dir', dataDir], { env: { OPENCLAW_GATEWAY_TOKEN: token } });
  const url = `ws://127.0.0.1:${port}`;
  try {
    await new Promise<void>((resolve, reject) => {
      hub.stdout!.on('data', (d: Buffer) => /listening/.test(d.toString()) && resolve());
      hub.once('exit', (code) => reject(new Error(`hub exited (${code})`)));
    });
    // Fill the hub: its own row, the clients' row, and beacons up to the list size.
    const { client } = await connectedClient(url, { token, mode: 'cli', clientId: 'cli', device: false, scopes: ['operator.admin'] });
    for (let i = 0; i < MEMORY_ENTRIES - 2; i += 1) {
      const res = await client.request('system-event', { text: `Node: mem-${i} (10.9.${i >> 8}.${i & 255}) · app 1.0 · mode ui · reason periodic`, instanceId: `mem-${i}`, host: `mem-${i}`, version: '1.0', mode: 'ui', reason: 'periodic' });
      client.frames.length = 0;
      if (!res.ok) throw new Error(`beacon refused: ${JSON.stringify(res.error)}`);
    }
    client.close();
    const child = tsNode(here('./connection-memory.ts'), [url, token, String(MEMORY_ENTRIES - 1)], { nodeArgs: ['--expose-gc'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`connection-memory exited (${code}): ${out}`);
    return (JSON.parse(out.trim().split('\n').at(-1)!) as { steps: MemoryStep[] }).steps;
  } finally {
    hub.kill('SIGTERM');
    if (hub.exitCode === null) await new Promise((r) => hub.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function coreStorm(): Promise<Section> {
  const s = await stormRun();
  const d = s.driver;
  const w = d.beaconToWindowMs;
  const steps = await memoryRun();
  const per = (a: MemoryStep, b: MemoryStep, pick: (m: MemoryStep) => number) => (pick(b) - pick(a)) / (b.clients - a.clients);
  const [m1, m11, m51] = steps as [MemoryStep, MemoryStep, MemoryStep];
  const goal = s.delay.p99 <= 20 && s.delay.max <= 100;
  return {
    title: 'Core under a storm (real gateway)',
    lines: [
      `real OpenClaw gateway with ${s.coreEntries} entries (the list is ${(s.listBytes / 1024).toFixed(0)} KB of JSON), ${d.sent} beacons at ${BEACONS_PER_SECOND}/s for ${STORM_SECONDS} s from another process (${d.ackedPerSecond.toFixed(0)}/s acknowledged); the core and the browser shell in one process, one window socket open`,
      `core event-loop delay during the storm: p50 ${ms(s.delay.p50)}, p99 ${ms(s.delay.p99)}, max ${ms(s.delay.max)} (before it, idle: p99 ${ms(s.idleDelay.p99)}, max ${ms(s.idleDelay.max)}); goal p99 ≤ 20 ms and max ≤ 100 ms: ${goal ? 'met' : 'not met'}`,
      `core CPU during the storm: ${s.cpuPercent.toFixed(0)} % of one core`,
      `GET / on the browser shell during the storm (${d.getMs.length} requests): p50 ${ms(percentile(d.getMs, 50))}, p99 ${ms(percentile(d.getMs, 99))}, max ${ms(Math.max(...d.getMs))}; idle before it: p50 ${ms(percentile(d.getIdleMs, 50))}, max ${ms(Math.max(...d.getIdleMs))}`,
      `beacon → the window's socket carries it: ${w.length} of ${d.sent} beacons seen, p50 ${ms(percentile(w, 50))}, p95 ${ms(percentile(w, 95))}, max ${ms(Math.max(...w))}; ${d.windowMessages} messages to the window (${(d.windowBytes / 1024 / 1024).toFixed(1)} MB)`,
      `memory per gateway connection (presence clients on one of our hubs with ${MEMORY_ENTRIES} entries, heap after GC / RSS): 1 → 11 clients ${mb(per(m1, m11, (m) => m.heapUsedBytes))} / ${mb(per(m1, m11, (m) => m.rssBytes))} each; 11 → 51 clients ${mb(per(m11, m51, (m) => m.heapUsedBytes))} / ${mb(per(m11, m51, (m) => m.rssBytes))} each (heap at 1 client ${mb(m1.heapUsedBytes)}, RSS ${mb(m1.rssBytes)})`,
    ],
  };
}
