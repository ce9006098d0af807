/**
 * Beacon to row: time from a client's `system-event` to the updated row being
 * painted in Chromium, through the push path (presence events) and through the
 * poll-only fallback (no events; the client polls every second).
 */
import type { Page } from 'playwright-core';
import { HubServer } from '../main/hub/hub-server.js';
import { connectedClient } from '../tests/helpers/raw-client.js';
import { launchChromium, startHost } from '../tests/helpers/browser.js';
import { generateDeviceKeyPair } from '../main/device/ed25519.js';
import { ms, percentile, type Section } from './stats.js';

async function measure(page: Page, gatewayUrl: string, token: string | undefined, count: number, gapMs: number): Promise<number[]> {
  const { client } = await connectedClient(gatewayUrl, { token, clientId: 'openclaw-linux', mode: 'backend', device: generateDeviceKeyPair(), scopes: ['operator.admin'] });
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const marker = `b${i}-${Date.now()}`;
    const t0 = performance.now();
    client.sendRaw(JSON.stringify({ type: 'req', id: marker, method: 'system-event', params: { text: 'Node: bench-host', instanceId: 'bench-beaconer', host: 'bench-host', version: marker } }));
    await page.waitForFunction((v) => [...document.querySelectorAll('tbody td')].some((td) => td.textContent === v), marker, { polling: 'raf', timeout: 30_000 });
    samples.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  client.close();
  return samples;
}

export async function beaconToRow(): Promise<Section> {
  const browser = await launchChromium();
  const lines: string[] = [];
  try {
    // Push path: the app's own built-in gateway, presence events on.
    const host = await startHost();
    const page = await browser.newPage();
    await page.goto(host.url);
    await page.waitForSelector('tbody tr');
    const push = await measure(page, host.service.hub!.url, undefined, 200, 60);
    lines.push(`push path (presence events), 200 beacons: p50 ${ms(percentile(push, 50))}, p95 ${ms(percentile(push, 95))}, max ${ms(Math.max(...push))}`);
    await page.close();
    await host.stop();

    // Poll-only: a gateway that sends no presence events; the client polls every 1 s.
    const quiet = new HubServer({ self: { host: 'quiet', version: '0' }, token: 'P', presenceEvents: false });
    await quiet.start();
    const pollHost = await startHost({ env: { OPENCLAW_GATEWAY_URL: quiet.url, OPENCLAW_GATEWAY_TOKEN: 'P' }, clientOverrides: { pollIntervalMs: 1000 } });
    const pollPage = await browser.newPage();
    await pollPage.goto(pollHost.url);
    await pollPage.waitForSelector('tbody tr');
    const poll = await measure(pollPage, quiet.url, 'P', 30, 137);
    lines.push(`poll-only fallback (1 s poll; the app's default is 30 s), 30 beacons: p50 ${ms(percentile(poll, 50))}, p95 ${ms(percentile(poll, 95))}`);
    lines.push(`ratio poll/push at p50: ${(percentile(poll, 50) / percentile(push, 50)).toFixed(1)}×`);
    await pollPage.close();
    await pollHost.stop();
    await quiet.stop();
  } finally {
    await browser.close();
  }
  return { title: 'Beacon to row (Chromium, browser shell)', lines };
}
