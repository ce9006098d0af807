/**
 * A hostile gateway: 10,000 random and malformed frames, then a 50 MB frame.
 * The client (and the window over it) must stay up, keep its memory bounded and
 * keep showing the last good list.
 */
import { onlyGateway } from '../../helpers/view-snapshot.js';
import { afterAll, describe, expect, it } from 'vitest';
import { ScriptedGateway } from '../../helpers/scripted-gateway.js';
import { hostileFrame, seededRandom } from '../../helpers/garbage.js';
import { launchChromium, startHost } from '../../helpers/browser.js';

const GOOD = [
  { host: 'good-one', instanceId: 'g1', ts: Date.now(), text: 'Node: good-one' },
  { host: 'good-two', instanceId: 'g2', ts: Date.now(), text: 'Node: good-two' },
];
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (vitest.config.ts sets it for the integration project)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const hosts = (entries: readonly { host?: string }[]) => entries.map((e) => e.host);

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('hostile gateway', () => {
  it('survives 10,000 malformed frames and a 50 MB frame, keeping the last good list and bounded memory', async () => {
    const gw = await ScriptedGateway.start({ presence: GOOD });
    cleanups.push(() => gw.stop());
    const host = await startHost({ env: { OPENCLAW_GATEWAY_URL: gw.url }, clientOverrides: { backoff: { baseMs: 100, maxMs: 500 }, pollIntervalMs: 60_000 } });
    cleanups.push(() => host.stop());
    const service = host.service;
    await until(() => onlyGateway(service.snapshot()).connection.kind === 'connected' && onlyGateway(service.snapshot()).entries.length === 2, 10_000, 'first list');
    // The window, watching throughout.
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.newPage();
    await page.goto(host.url);
    const pageHosts = () => page.locator('tbody .host').allTextContents();
    await page.waitForFunction(() => document.querySelectorAll('tbody .host').length === 2);
    const heapBefore = heapAfterGc();

    const random = seededRandom(20261125);
    for (let i = 0; i < 10_000; i += 1) {
      gw.push(hostileFrame(random, i));
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    // A good frame after the storm proves the client is still reading, in order.
    gw.push(JSON.stringify({ type: 'event', event: 'tick', payload: { ts: Date.now() } }));
    await until(() => gw.requests.length > 0 && onlyGateway(service.snapshot()).connection.kind === 'connected', 10_000, 'still connected');
    await new Promise((r) => setTimeout(r, 200));
    expect(hosts(onlyGateway(service.snapshot()).entries)).toEqual(['good-one', 'good-two']);
    expect(await pageHosts()).toEqual(['good-one', 'good-two']);

    const connectsBefore = gw.requests.filter((r) => r.method === 'connect').length;
    gw.push(Buffer.alloc(50 * 1024 * 1024, 0x61));
    // ws refuses the frame (1009) past the 32 MB cap; the client reconnects and gets a good hello.
    await until(() => gw.requests.filter((r) => r.method === 'connect').length > connectsBefore, 20_000, 'reconnect after the 50 MB frame');
    await until(() => onlyGateway(service.snapshot()).connection.kind === 'connected', 10_000, 'connected again');
    expect(hosts(onlyGateway(service.snapshot()).entries)).toEqual(['good-one', 'good-two']);
    await page.waitForFunction(() => document.querySelector('[data-testid=connection]')?.textContent === 'Connected');
    expect(await pageHosts()).toEqual(['good-one', 'good-two']);

    const heapGrowthMb = (heapAfterGc() - heapBefore) / 1024 / 1024;
    expect(heapGrowthMb).toBeLessThan(32);
  });
});
