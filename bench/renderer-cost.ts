/**
 * Renderer cost: applying a presence update and painting it, with 200 entries
 * (the gateway's cap) and 10,000 (a fleet view), in the Connections view (one
 * row per entry) and the Machines view (entries folded five to a machine: 10,000
 * entries into 2,000 machines), and what an idle window costs, shown and hidden.
 *
 * Two kinds of update per size: one beacon (one entry changed, what the gateway
 * sends on almost every presence event) and a fleet-wide change (every entry new:
 * a first list, a gateway restart that every client reconnects to). Whether an
 * update fits in a frame is read from Chromium's trace: the longest main-thread
 * task while it is received, applied and painted.
 */
import type { CDPSession, Page } from 'playwright-core';
import { BENCH_HOOKS_GLOBAL } from '../renderer/bench-hooks.js';
import { ScriptedGateway } from '../tests/helpers/scripted-gateway.js';
import { fleet } from '../tests/helpers/fleet.js';
import { launchChromium, startHost } from '../tests/helpers/browser.js';
import { MainThreadTrace } from './main-thread-trace.js';
import { ms, percentile, type Section } from './stats.js';

type Change = 'one' | 'all';
const FRAME_MS = 1000 / 60;
/** Prefix of the marks that bracket each traced update. */
const MARK = 'update';

/** Folding: `1` keeps one machine per entry; `5` puts entries i, i + n/5, … on one device (the Machines view's load). */
let perMachine = 1;

/**
 * The benchmark's fleet (tests/helpers/fleet.ts: ages spread over 400 s, so every status shows)
 * whose entries keep their timestamps unless `change` is `all`; entry 0 carries the marker and
 * is always just updated, so it is the first row drawn in either view.
 */
function benchFleet(n: number, marker: string, change: Change, baseTs: number) {
  const now = Date.now();
  const [first, ...rest] = fleet({ entries: n, machines: Math.ceil(n / perMachine), ts: change === 'all' ? now : baseTs, maxAgeMs: 400_000, name: 'host' });
  return [{ ...first!, version: marker, ts: now }, ...rest];
}

/** Main-thread task time (wall clock) and main-thread CPU time so far, ms. */
async function threadMs(cdp: CDPSession): Promise<{ task: number; cpu: number }> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { task: get('TaskDuration'), cpu: get('ThreadTime') };
}

/**
 * The page's timing hooks (renderer/bench-hooks.ts), installed before it loads;
 * the app itself has none. They keep the latest of two User Timing measures:
 * `claw:apply`, the JavaScript work of applying the message that completes an
 * update (decode, selectors, React render and commit: the microtask queued after
 * the listeners ran comes after React's), and `claw:apply-to-paint`, from the
 * snapshot reaching the store to the frame after it. A string, not a function:
 * tsx would wrap a function's inner arrows in a helper the page lacks.
 */
const TIMING_HOOKS = `globalThis[${JSON.stringify(BENCH_HOOKS_GLOBAL)}] = (() => {
  let receivedAt = 0;
  const measure = (name, start) => {
    performance.clearMeasures(name);
    performance.measure(name, { start });
  };
  return {
    messageReceived() { receivedAt = performance.now(); },
    snapshotApplied() { const start = receivedAt; queueMicrotask(() => measure('claw:apply', start)); },
    snapshotStored() { const start = performance.now(); requestAnimationFrame(() => setTimeout(() => measure('claw:apply-to-paint', start), 0)); },
  };
})();`;

const lastMeasure = (page: Page, name: string) => page.evaluate((n) => performance.getEntriesByName(n).at(-1)?.duration ?? NaN, name);

/** Pushes one update and waits until its marker is on screen; `traced` brackets it with marks for the trace. */
async function pushAndWait(page: Page, gw: ScriptedGateway, presence: unknown[], marker: string, traced?: number) {
  const mark = (edge: 'start' | 'end') => page.evaluate((name) => performance.mark(name), `${MARK}:${edge}:${traced}`);
  if (traced !== undefined) await mark('start');
  gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence } }));
  // Poll the DOM only every 50 ms: checking every frame from outside would itself cost frames.
  await page.waitForFunction((v) => [...document.querySelectorAll('tbody td')].some((td) => td.textContent === v), marker, { polling: 50, timeout: 60_000 });
  if (traced !== undefined) await mark('end');
  await page.waitForTimeout(100);
}

async function measure(page: Page, gw: ScriptedGateway, n: number, change: Change, rounds: number, baseTs: number, warmup = 3) {
  const round = (r: number, traced?: number) => {
    const marker = `m${n}-${change}-${r}-${Date.now()}`;
    return pushAndWait(page, gw, benchFleet(n, marker, change, baseTs), marker, traced);
  };
  for (let r = 0; r < warmup; r += 1) await round(r);
  // The page's own measures come from rounds without the trace, whose recording slows the page.
  const apply: number[] = [];
  const toFrame: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    await round(warmup + r);
    apply.push(await lastMeasure(page, 'claw:apply'));
    toFrame.push(await lastMeasure(page, 'claw:apply-to-paint'));
  }
  const trace = await MainThreadTrace.start(page);
  for (let r = 0; r < rounds; r += 1) await round(warmup + rounds + r, r);
  const tasks = await trace.stop(MARK, 20);
  const longest = tasks.map((t) => t.longestMs);
  const over = tasks.filter((t) => t.overFrame > 0).length;
  return `longest main-thread task p50 ${ms(percentile(longest, 50))} p95 ${ms(percentile(longest, 95))} max ${ms(Math.max(...longest))} (${over} of ${rounds} updates had a task over one frame); main thread per update p50 ${ms(percentile(tasks.map((t) => t.totalMs), 50))}; decode → React commit p50 ${ms(percentile(apply, 50))}; store → next frame p50 ${ms(percentile(toFrame, 50))}`;
}

/** Main-thread task and CPU time per second over `seconds` of nothing but the page's own timers. */
async function idleMsPerSecond(cdp: CDPSession, page: Page, seconds: number): Promise<string> {
  const before = await threadMs(cdp);
  await page.waitForTimeout(seconds * 1000);
  const after = await threadMs(cdp);
  return `${ms((after.task - before.task) / seconds)} (CPU ${ms((after.cpu - before.cpu) / seconds)})`;
}

/** Tells the page it is hidden (or shown) as a minimised window's would: the visibility state and its event. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  // A string, not a function: tsx would wrap a function's inner arrows in a helper the page lacks.
  await page.evaluate(`(() => {
    const h = ${hidden};
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  })()`);
}

const VIEWS = [
  { view: 'connections', perMachine: 1 },
  { view: 'machines', perMachine: 5 },
] as const;

export async function rendererCost(): Promise<Section> {
  const browser = await launchChromium();
  const lines: string[] = [];
  try {
    for (const { view, perMachine: fold } of VIEWS) {
      perMachine = fold;
      for (const [n, rounds] of [[200, 20], [10_000, 20]] as const) {
        const baseTs = Date.now();
        const gw = await ScriptedGateway.start({ presence: benchFleet(n, 'start', 'all', baseTs) });
        const host = await startHost({ env: { OPENCLAW_GATEWAY_URL: gw.url }, clientOverrides: { pollIntervalMs: 3_600_000 } });
        const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
        await page.addInitScript(TIMING_HOOKS);
        // The view is chosen as a user's saved choice would be (renderer/view-prefs.ts).
        await page.addInitScript((grouping) => localStorage.setItem('claw-instances.view.v1', JSON.stringify({ grouping })), view);
        await page.goto(host.url);
        await page.waitForFunction(() => document.querySelectorAll('tbody tr').length > 0, undefined, { timeout: 60_000 });
        const shown = await page.evaluate(() => document.querySelectorAll('tbody tr').length);
        const one = await measure(page, gw, n, 'one', rounds, baseTs);
        const all = await measure(page, gw, n, 'all', rounds, baseTs);
        // An idle window: a healthy fleet (every entry updated in the last 50 s, so no status
        // changes for a minute, and every age in view still counts seconds), then five seconds
        // of nothing but the page's own timers, shown and then hidden.
        const quiet = `quiet-${Date.now()}`;
        // Entry 0 (the marker) is the newest, so it is the first row drawn in either view; the others'
        // timestamps have different sub-second phases, as real clients' do.
        await pushAndWait(page, gw, benchFleet(n, quiet, 'all', baseTs).map((e, i) => ({ ...e, ts: Date.now() - (i === 0 ? 0 : 1000 + (i % 49) * 1000 + ((i * 137) % 1000)) })), quiet);
        await page.waitForTimeout(1000);
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const idle = await idleMsPerSecond(cdp, page, 5);
        await setHidden(page, true);
        const hidden = await idleMsPerSecond(cdp, page, 5);
        await setHidden(page, false);
        const what = view === 'machines' ? `${n} entries in ${Math.ceil(n / fold)} machines, Machines view` : `${n} entries, Connections view`;
        lines.push(`${what} (${shown} rows in the DOM), one beacon (1 entry changed): ${one}`);
        lines.push(`${what}, fleet-wide change (all ${n} entries new): ${all}`);
        lines.push(`${what}, idle window: ${idle} of main thread per second shown, ${hidden} hidden`);
        await page.close();
        await host.stop();
        await gw.stop();
      }
    }
  } finally {
    await browser.close();
  }
  lines.push(
    `Budget: one frame is ${ms(FRAME_MS)}. An update fits in a frame when no main-thread task while it is received, applied and painted runs longer than that (Chromium trace, top-level tasks); "main thread per update" adds up those tasks, the benchmark's own DOM polling included. "decode → React commit" (from rounds without the trace, whose recording slows the page) is the page's JavaScript for the message that completes an update, from decoding it to React's commit; "store → next frame" is the time until the frame after it (layout, paint and the wait for the frame). The host sends the list once, then only changes; a change to more than 500 entries travels as several messages the page parses in separate tasks and applies at once. Rows are virtualised: only those in view are in the DOM. "Idle window" is all main-thread task time (Chromium's TaskDuration; CPU: its ThreadTime, which a busy machine does not inflate) over 5 s with no update, every entry updated in the last 50 s (so each age in view changes every second), then over 5 s after the page is told it is hidden (its visibility state and event, as a minimised window gets). 3 updates of each kind warm the code up and are not counted.`,
  );
  return { title: 'Renderer cost (Chromium)', lines };
}
