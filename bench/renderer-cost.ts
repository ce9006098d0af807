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
import { MainThreadTrace, type TraceEvent } from './main-thread-trace.js';
import { ms, percentile, type Section } from './stats.js';

type Change = 'one' | 'all';
const FRAME_MS = 1000 / 60;
/** Updates measured per kind (20; fewer for a quick look), and the list sizes (`BENCH_RENDERER_SIZES=200,10000`). */
const ROUNDS = Number(process.env.BENCH_RENDERER_ROUNDS ?? 20);
const SIZES = (process.env.BENCH_RENDERER_SIZES ?? '200,10000').split(',').map(Number);
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
 * `claw:apply`, from the message that completes an update arriving to React's
 * commit of it (decode, the store's wait for a frame during a burst, the render in
 * slices, the commit), and `claw:apply-to-paint`, from the snapshot reaching the
 * store to the frame after it. A string, not a function:
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
    snapshotCommitted() { measure('claw:apply', receivedAt); },
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
  return `longest main-thread task p50 ${ms(percentile(longest, 50))} p95 ${ms(percentile(longest, 95))} max ${ms(Math.max(...longest))} (${over} of ${rounds} updates had a task over one frame); main thread per update p50 ${ms(percentile(tasks.map((t) => t.totalMs), 50))}; message → React commit p50 ${ms(percentile(apply, 50))}; store → next frame p50 ${ms(percentile(toFrame, 50))}`;
}

/** Where an idle window's main-thread time went, ms per second. */
interface IdleParts {
  /** JavaScript: timers, events, frame callbacks (all of it ours: the page runs no one else's). */
  script: number;
  /** Style, layout, paint and compositing. */
  render: number;
  /** V8's and Blink's garbage collection. */
  gc: number;
  /** The rest of the tasks: Chromium's own (IPC, scheduling, idle work). */
  other: number;
}

const SCRIPT_EVENTS = new Set(['FunctionCall', 'TimerFire', 'EventDispatch', 'FireAnimationFrame', 'RunMicrotasks', 'EvaluateScript', 'v8.run', 'v8.callFunction', 'FireIdleCallback']);
const RENDER_EVENTS = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'UpdateLayer', 'HitTest', 'IntersectionObserverController::computeIntersections']);
const partOf = (name: string): keyof IdleParts | undefined =>
  SCRIPT_EVENTS.has(name) ? 'script' : RENDER_EVENTS.has(name) ? 'render' : /GC|^V8\.GC|^BlinkGC|Sweep/.test(name) ? 'gc' : undefined;

/**
 * Main-thread task time per second over `seconds` of nothing but the page's own
 * timers (Chromium's TaskDuration; CPU: its ThreadTime), and, from a trace of the
 * same window, what the tasks did: each task's outermost script, render and GC
 * events, the rest counted as Chromium's own.
 */
async function idleWindow(cdp: CDPSession, page: Page, seconds: number): Promise<{ task: number; cpu: number; parts: IdleParts }> {
  const events: TraceEvent[] = [];
  const onData = (d: { value: unknown[] }) => {
    for (const e of d.value as TraceEvent[]) events.push(e);
  };
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', { categories: 'disabled-by-default-devtools.timeline,devtools.timeline,v8,disabled-by-default-v8.gc,blink.user_timing', transferMode: 'ReportEvents' });
  await page.evaluate(() => performance.mark('idle:start'));
  const before = await threadMs(cdp);
  await page.waitForTimeout(seconds * 1000);
  const after = await threadMs(cdp);
  await page.evaluate(() => performance.mark('idle:end'));
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', onData);

  const start = events.find((e) => e.name === 'idle:start');
  const end = events.find((e) => e.name === 'idle:end');
  const mainTid = events.find((e) => e.pid === start?.pid && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
  const main = events.filter((e) => e.pid === start?.pid && e.tid === mainTid && e.ph === 'X' && start && end && e.ts >= start.ts && e.ts <= end.ts).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const parts: IdleParts = { script: 0, render: 0, gc: 0, other: 0 };
  let task: TraceEvent | undefined;
  let coveredUntil = 0;
  let inTask = 0;
  const closeTask = () => {
    if (task) parts.other += Math.max(0, (task.dur ?? 0) - inTask);
  };
  for (const e of main) {
    if (e.name === 'RunTask') {
      if (task && e.ts < task.ts + (task.dur ?? 0)) continue;
      closeTask();
      task = e;
      coveredUntil = e.ts;
      inTask = 0;
      continue;
    }
    const part = partOf(e.name);
    if (!part || !task || e.ts < coveredUntil || e.ts >= task.ts + (task.dur ?? 0)) continue;
    parts[part] += e.dur ?? 0;
    inTask += e.dur ?? 0;
    coveredUntil = e.ts + (e.dur ?? 0);
  }
  closeTask();
  const perSecond = (us: number) => us / 1000 / seconds;
  return {
    task: (after.task - before.task) / seconds,
    cpu: (after.cpu - before.cpu) / seconds,
    parts: { script: perSecond(parts.script), render: perSecond(parts.render), gc: perSecond(parts.gc), other: perSecond(parts.other) },
  };
}

const describeIdle = (w: { task: number; cpu: number; parts: IdleParts }) =>
  `${ms(w.task)} (CPU ${ms(w.cpu)}; traced: script ${ms(w.parts.script)}, style/layout/paint ${ms(w.parts.render)}, GC ${ms(w.parts.gc)}, Chromium's other ${ms(w.parts.other)})`;

/** Ages under a minute move on a 10 s grid (shared/format/age.ts): a shown window must span whole periods of it. */
const SHOWN_SECONDS = 20;
/**
 * Seconds to let the page settle after the update rounds before the idle windows: V8's memory
 * reducer runs a compacting GC some seconds after a page stops allocating (traced: 20–400 ms of
 * it), a one-off after a burst of updates, not what an idle window costs all day.
 */
const SETTLE_SECONDS = Number(process.env.BENCH_RENDERER_SETTLE ?? 30);
const HIDDEN_SECONDS = 10;

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
      for (const n of SIZES) {
        const rounds = ROUNDS;
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
        // An idle window: a healthy fleet (every entry updated in the last 20 s, so no status
        // changes for over a minute), time to settle, then 20 s of nothing but the page's own
        // timers shown (ages 30–70 s: each changes on the 10 s grid), and 10 s hidden.
        const quiet = `quiet-${Date.now()}`;
        // Entry 0 (the marker) is the newest, so it is the first row drawn in either view; the others'
        // timestamps have different sub-second phases, as real clients' do.
        await pushAndWait(page, gw, benchFleet(n, quiet, 'all', baseTs).map((e, i) => ({ ...e, ts: Date.now() - (i === 0 ? 0 : 1000 + (i % 19) * 1000 + ((i * 137) % 1000)) })), quiet);
        await page.waitForTimeout(SETTLE_SECONDS * 1000);
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const idle = describeIdle(await idleWindow(cdp, page, SHOWN_SECONDS));
        await setHidden(page, true);
        const hidden = describeIdle(await idleWindow(cdp, page, HIDDEN_SECONDS));
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
    `Budget: one frame is ${ms(FRAME_MS)}. An update fits in a frame when no main-thread task while it is received, applied and painted runs longer than that (Chromium trace, top-level tasks); "main thread per update" adds up those tasks, the benchmark's own DOM polling included. "message → React commit" (from rounds without the trace, whose recording slows the page) is from the message that completes an update reaching the page to React's commit of it (React renders each update as a transition, in slices); "store → next frame" is the time until the frame after it (layout, paint and the wait for the frame). The host sends the list once, then only changes; a change to more than 500 entries travels as several messages the page parses in separate tasks and applies at once. Rows are virtualised: only those in view are in the DOM. "Idle window" is all main-thread task time (Chromium's TaskDuration; CPU: its ThreadTime, which a busy machine does not inflate), after ${SETTLE_SECONDS} s for the page to settle, over ${SHOWN_SECONDS} s with no update, every entry updated in the last 20 s before the settling (so ages in view are 30–70 s old during the window, and each changes on the 10 s grid), then over ${HIDDEN_SECONDS} s after the page is told it is hidden (its visibility state and event, as a minimised window gets); a trace of the same window says what the tasks did (the page runs no script but ours). 3 updates of each kind warm the code up and are not counted.`,
  );
  return { title: 'Renderer cost (Chromium)', lines };
}
