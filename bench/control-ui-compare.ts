/**
 * Side by side with OpenClaw's own Control UI: both pages watch the same real
 * OpenClaw gateway holding 150 presence entries, in the same headless Chromium,
 * in alternating rounds, so machine noise falls on both alike.
 *
 * Per page: cold load to the first row, JS heap after a collection, beacon →
 * text in the DOM (a new host, and a changed row), main-thread time and longest
 * task per beacon, and idle main-thread time per second, visible and hidden. Visible idle
 * spans two of each page's 30 s polls of the gateway (each poll redraws what it finds: the
 * real gateway re-stamps its own entry on every read, and its host's load moves), and is
 * also given for the quietest 20 s in it: what the page does on its own between polls.
 * The Control UI is served by the gateway itself at `/settings/devices#token=T`;
 * ours is the browser shell with its core connected to the same gateway.
 */
import type { Browser, Page } from 'playwright-core';
import { generateDeviceKeyPair } from '../main/device/ed25519.js';
import { connectedClient, type RawClient } from '../tests/helpers/raw-client.js';
import { startRealGateway, type RealGateway } from '../tests/helpers/openclaw/harness.js';
import { launchChromium, startHost } from '../tests/helpers/browser.js';
import { MainThreadTrace } from './main-thread-trace.js';
import { mb, ms, percentile, ratio, type Section } from './stats.js';

export const ENTRIES = 150;
const ROUNDS = Number(process.env.BENCH_CUI_ROUNDS ?? 3);
const BEACONS_PER_ROUND = 10;
/** Two of each page's 30 s polls of the gateway. */
const IDLE_SECONDS = 60;
/** Between polls: our ages under a minute move on a 10 s grid (shared/format/age.ts), so this spans two of their steps. */
const QUIET_SECONDS = 20;
const HIDDEN_SECONDS = 10;
/**
 * Seconds each page rests after its beacons before the idle windows: V8's memory reducer
 * runs a compacting GC some seconds after a page stops allocating (traced in the renderer
 * bench), a one-off after a burst, not what an idle page costs all day.
 */
const SETTLE_SECONDS = Number(process.env.BENCH_CUI_SETTLE ?? 30);

interface Figures {
  coldLoadMs: number[];
  heapBytes: number[];
  newHostMs: number[];
  changedRowMs: number[];
  perBeaconTotalMs: number[];
  perBeaconLongestMs: number[];
  idleMsPerSecond: number[];
  quietMsPerSecond: number[];
  hiddenMsPerSecond: number[];
}

const empty = (): Figures => ({ coldLoadMs: [], heapBytes: [], newHostMs: [], changedRowMs: [], perBeaconTotalMs: [], perBeaconLongestMs: [], idleMsPerSecond: [], quietMsPerSecond: [], hiddenMsPerSecond: [] });

/**
 * Whether `want` is a whole text node anywhere in the page, shadow roots included (the
 * Control UI renders inside Lit components). Runs in the page: no named inner functions,
 * so the bench runner's transpiler adds no helper the page lacks, and no string
 * evaluation, which our page's CSP refuses.
 */
export function pageHasText(want: string): boolean {
  const stack: Node[] = [document.body];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.nodeType === 3) {
      if (node.textContent?.trim() === want) return true;
      continue;
    }
    const root = (node as Element).shadowRoot;
    if (root) stack.push(root);
    for (const child of Array.from(node.childNodes)) stack.push(child);
  }
  return false;
}

async function beacon(client: RawClient, i: number | string, version: string): Promise<void> {
  const host = `cmp-host-${i}`;
  const params = { text: `Node: ${host} (10.7.${Number.isInteger(i) ? i : 0}.1) · app ${version} · mode ui · reason periodic`, instanceId: `cmp-${i}`, host, version, mode: 'ui', reason: 'periodic' };
  const res = await client.request('system-event', params, 60_000);
  // The real gateway pushes the whole list to every client on each change: drop what we don't read.
  client.frames.length = 0;
  if (!res.ok) throw new Error(`beacon refused: ${JSON.stringify(res.error)}`);
}

export async function seed(client: RawClient): Promise<void> {
  for (let i = 0; i < ENTRIES; i += 1) await beacon(client, i, 'seed');
}

async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/** The least task time in any `seconds` of the window (sliding by 100 ms), per second. */
function quietestPerSecond(tasks: readonly { atMs: number; ms: number }[], windowSeconds: number, seconds: number): number {
  let least = Number.POSITIVE_INFINITY;
  for (let from = 0; from + seconds * 1000 <= windowSeconds * 1000; from += 100) {
    const to = from + seconds * 1000;
    least = Math.min(least, tasks.filter((t) => t.atMs >= from && t.atMs < to).reduce((a, t) => a + t.ms, 0));
  }
  return least / seconds;
}

/** Main-thread task time per second while no user or test acts: over the whole window, and over its quietest `quietSeconds`. */
export async function idleCost(page: Page, seconds: number, quietSeconds = seconds): Promise<{ perSecond: number; quietestPerSecond: number }> {
  const trace = await MainThreadTrace.start(page);
  await page.evaluate(`performance.mark('idle:start:0')`);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await page.evaluate(`performance.mark('idle:end:0')`);
  const [w] = await trace.stop('idle', 0);
  if (!w) return { perSecond: NaN, quietestPerSecond: NaN };
  return { perSecond: w.totalMs / seconds, quietestPerSecond: quietestPerSecond(w.tasks, seconds, quietSeconds) };
}

async function measurePage(browser: Browser, url: string, client: RawClient, round: number, out: Figures): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const t0 = performance.now();
  await page.goto(url);
  // A host that sorts first by name: ours draws only the rows in view (the Machines view orders by status, then name).
  await page.waitForFunction(pageHasText, 'cmp-host-0', { polling: 'raf', timeout: 60_000 });
  out.coldLoadMs.push(performance.now() - t0);
  // Let start-up work (first polls, fonts) settle before measuring steady state.
  await new Promise((r) => setTimeout(r, 3000));
  out.heapBytes.push(await heapAfterGc(page));

  const trace = await MainThreadTrace.start(page);
  for (let n = 0; n < BEACONS_PER_ROUND; n += 1) {
    const version = `v${round}-${n}-${Date.now() % 100_000}`;
    await page.evaluate(`performance.mark('beacon:start:${n}')`);
    const t = performance.now();
    await beacon(client, n % ENTRIES, version);
    await page.waitForFunction(pageHasText, version, { polling: 'raf', timeout: 30_000 });
    out.changedRowMs.push(performance.now() - t);
    await page.evaluate(`performance.mark('beacon:end:${n}')`);
    await new Promise((r) => setTimeout(r, 250));
  }
  for (const w of await trace.stop('beacon', 50)) {
    out.perBeaconTotalMs.push(w.totalMs);
    out.perBeaconLongestMs.push(w.longestMs);
  }
  for (let n = 0; n < BEACONS_PER_ROUND / 2; n += 1) {
    // Named to sort next to cmp-host-0, so it lands in view in either page.
    const id = `0-new-${round}-${n}-${Date.now() % 100_000}`;
    const t = performance.now();
    await beacon(client, id, 'new');
    await page.waitForFunction(pageHasText, `cmp-host-${id}`, { polling: 'raf', timeout: 30_000 });
    out.newHostMs.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
  const idle = await idleCost(page, IDLE_SECONDS, QUIET_SECONDS);
  out.idleMsPerSecond.push(idle.perSecond);
  out.quietMsPerSecond.push(idle.quietestPerSecond);
  // Hidden as a minimised window would be, as far as the page can tell: headless Chromium has no
  // window to minimise, so the page is told it is hidden. Chromium's own throttling of background
  // tabs is left out, so this is the work the page itself chooses to do while hidden.
  await page.evaluate(`
    Object.defineProperty(document, 'visibilityState', { configurable: true, get() { return 'hidden'; } });
    Object.defineProperty(document, 'hidden', { configurable: true, get() { return true; } });
    document.dispatchEvent(new Event('visibilitychange'));
  `);
  out.hiddenMsPerSecond.push((await idleCost(page, HIDDEN_SECONDS)).perSecond);
  await context.close();
}

const p50 = (v: number[]) => percentile(v, 50);
const worst = (v: number[]) => Math.max(...v);

export async function controlUiCompare(): Promise<Section> {
  const real: RealGateway = await startRealGateway();
  const { client } = await connectedClient(real.url, { token: real.token, mode: 'backend', clientId: 'gateway-client', device: generateDeviceKeyPair(), scopes: ['operator.admin'] });
  const host = await startHost({ env: { OPENCLAW_GATEWAY_URL: real.url, OPENCLAW_GATEWAY_TOKEN: real.token } });
  const browser = await launchChromium();
  const ours = empty();
  const theirs = empty();
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      // Fresh rows each round (the gateway forgets entries after 5 minutes), then alternate who goes first.
      await seed(client);
      const order = round % 2 === 0 ? (['ours', 'theirs'] as const) : (['theirs', 'ours'] as const);
      for (const who of order) {
        // Each cold load opens a fresh one-time link, as a user would from serve's output.
        if (who === 'ours') await measurePage(browser, host.newLaunchUrl(), client, round, ours);
        else await measurePage(browser, `http://127.0.0.1:${real.port}/settings/devices#token=${real.token}`, client, round, theirs);
      }
    }
  } finally {
    await browser.close();
    client.close();
    await host.stop();
    await real.stop();
  }
  const line = (label: string, pick: (f: Figures) => number[], fmt: (n: number) => string, summary: (v: number[]) => number = p50) =>
    `${label}: ours ${fmt(summary(pick(ours)))}, Control UI ${fmt(summary(pick(theirs)))} → ${ratio(summary(pick(ours)), summary(pick(theirs)))}`;
  return {
    title: `Side by side with the Control UI (real gateway, ${ENTRIES} entries, ${ROUNDS} alternating rounds)`,
    lines: [
      line('cold load to first row, p50', (f) => f.coldLoadMs, ms),
      line('JS heap after GC, p50', (f) => f.heapBytes, mb),
      line('beacon → changed row text in the DOM, p50', (f) => f.changedRowMs, ms),
      line('beacon → new host in the DOM, p50', (f) => f.newHostMs, ms),
      line('main-thread time per beacon, p50', (f) => f.perBeaconTotalMs, ms),
      line('longest task per beacon, worst', (f) => f.perBeaconLongestMs, ms, worst),
      line(`idle main-thread time per second (visible, ${IDLE_SECONDS} s: two polls of the gateway), worst`, (f) => f.idleMsPerSecond, ms, worst),
      line(`idle main-thread time per second (visible, the quietest ${QUIET_SECONDS} s of those: between polls), worst`, (f) => f.quietMsPerSecond, ms, worst),
      line(`idle main-thread time per second (hidden, ${HIDDEN_SECONDS} s), worst`, (f) => f.hiddenMsPerSecond, ms, worst),
      `samples: ${ours.changedRowMs.length} changed-row and ${ours.newHostMs.length} new-host beacons per page; each page rests ${SETTLE_SECONDS} s after its beacons before the idle windows; the trace's own recording makes task figures an upper bound for both`,
    ],
  };
}
