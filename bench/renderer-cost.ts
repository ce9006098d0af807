/**
 * Renderer cost: applying a presence update and painting it, with 200 entries
 * (the gateway's cap) and 10,000 (a fleet view), and the once-a-second age tick.
 * Main-thread time comes from Chromium's own counters (CDP Performance.getMetrics).
 */
import type { CDPSession, Page } from 'playwright-core';
import { ScriptedGateway } from '../tests/helpers/scripted-gateway.js';
import { launchChromium, startHost } from '../tests/e2e/browser.js';
import { ms, percentile, type Section } from './stats.js';

function entries(n: number, marker: string) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    host: `host-${i}`,
    instanceId: `i-${i}`,
    ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    version: i === 0 ? marker : '1.0.0',
    platform: 'linux 6.1.0',
    deviceFamily: 'Linux',
    mode: 'ui',
    lastInputSeconds: i % 300,
    reason: 'periodic',
    ts: now - (i % 400) * 1000,
    text: `Node: host-${i}`,
  }));
}

async function taskMs(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

async function run(page: Page, cdp: CDPSession, gw: ScriptedGateway, n: number, rounds: number, warmup = 2) {
  const total: number[] = [];
  const mainThread: number[] = [];
  const applyToPaint: number[] = [];
  const parse: number[] = []; // claw:apply
  for (let r = 0; r < rounds + warmup; r += 1) {
    const marker = `m${n}-${r}-${Date.now()}`;
    const measured = r >= warmup;
    const before = await taskMs(cdp);
    const t0 = performance.now();
    gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: entries(n, marker) } }));
    // Poll the DOM only every 50 ms: checking every frame from outside would itself cost frames.
    await page.waitForFunction((v) => [...document.querySelectorAll('tbody td')].some((td) => td.textContent === v), marker, { polling: 50, timeout: 60_000 });
    await page.waitForTimeout(100);
    if (!measured) continue;
    total.push(performance.now() - t0);
    mainThread.push((await taskMs(cdp)) - before);
    applyToPaint.push(
      await page.waitForFunction(() => performance.getEntriesByName('claw:apply-to-paint').at(-1)?.duration, undefined, { timeout: 10_000 }).then((h) => h.jsonValue() as Promise<number>),
    );
    parse.push(await page.evaluate(() => performance.getEntriesByName('claw:apply').at(-1)?.duration ?? NaN));
  }
  // The age tick: one second of nothing but the clock.
  const tickBefore = await taskMs(cdp);
  await page.waitForTimeout(5000);
  const tickMs = ((await taskMs(cdp)) - tickBefore) / 5;
  return { total, mainThread, applyToPaint, parse, tickMs };
}

export async function rendererCost(): Promise<Section> {
  const browser = await launchChromium();
  const lines: string[] = [];
  try {
    for (const [n, rounds] of [[200, 20], [10_000, 5]] as const) {
      const gw = await ScriptedGateway.start({ presence: entries(n, 'start') });
      const host = await startHost({ env: { OPENCLAW_GATEWAY_URL: gw.url }, clientOverrides: { pollIntervalMs: 3_600_000 } });
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.goto(host.url);
      await page.waitForFunction((count) => document.querySelectorAll('tbody tr').length >= Math.min(count, 1), n, { timeout: 60_000 });
      const shown = await page.evaluate(() => document.querySelectorAll('tbody tr').length);
      const r = await run(page, cdp, gw, n, rounds);
      lines.push(
        `${n} entries (${shown} rows in the DOM): apply (JS: parse, decode, selectors, React) p50 ${ms(percentile(r.parse, 50))} max ${ms(Math.max(...r.parse))}; store→next frame p50 ${ms(percentile(r.applyToPaint, 50))} max ${ms(Math.max(...r.applyToPaint))}; main thread per update ${ms(percentile(r.mainThread, 50))}; age tick ${ms(r.tickMs)} of main thread per second`,
      );
      await page.close();
      await host.stop();
      await gw.stop();
    }
  } finally {
    await browser.close();
  }
  lines.push('Budget: one frame is 16.7 ms. "apply" is the page JavaScript for one pushed update, up to the React commit; "store→next frame" adds layout, paint and the wait for the frame; the host sends the list once and then only changes; "main thread per update" is all main-thread time of the page around one update (style, layout, paint, GC and the DOM polling of the benchmark included). The first 2 updates of each size warm the code up and are not counted. Rows are virtualised: only those in view are in the DOM.');
  return { title: 'Renderer cost (Chromium)', lines };
}
