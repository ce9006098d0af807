/**
 * What a window left open all day costs: both pages (ours and the Control UI) against
 * the same real gateway with 150 entries, each opened and left alone for two minutes
 * before two minutes are measured. The side-by-side (control-ui-compare.ts) measures
 * idle 30 s after a burst of beacons, so its windows also hold V8's collections after
 * that burst; this is the steady state a tray app reaches and stays in.
 *
 * The gateway forgets entries 5 minutes after their last beacon, so each page gets
 * freshly seeded entries, and its rest and window end well inside those 5 minutes:
 * nothing changes in the list but what the gateway and the page do on their own.
 */
import { generateDeviceKeyPair } from '../main/device/ed25519.js';
import { connectedClient } from '../tests/helpers/raw-client.js';
import { startRealGateway } from '../tests/helpers/openclaw/harness.js';
import { launchChromium, startHost } from '../tests/helpers/browser.js';
import { ENTRIES, idleCost, pageHasText, seed } from './control-ui-compare.js';
import { ratio, type Section } from './stats.js';

const REST_SECONDS = Number(process.env.BENCH_IDLE_REST ?? 120);
/** Four of each page's 30 s refreshes. */
const WINDOW_SECONDS = Number(process.env.BENCH_IDLE_WINDOW ?? 120);

export async function steadyIdle(): Promise<Section> {
  const real = await startRealGateway();
  const { client } = await connectedClient(real.url, { token: real.token, mode: 'backend', clientId: 'gateway-client', device: generateDeviceKeyPair(), scopes: ['operator.admin'] });
  const host = await startHost({ env: { OPENCLAW_GATEWAY_URL: real.url, OPENCLAW_GATEWAY_TOKEN: real.token } });
  const browser = await launchChromium();
  const perSecond: Record<'ours' | 'theirs', number> = { ours: NaN, theirs: NaN };
  try {
    for (const who of ['ours', 'theirs'] as const) {
      await seed(client);
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      await page.goto(who === 'ours' ? host.newLaunchUrl() : `http://127.0.0.1:${real.port}/settings/devices#token=${real.token}`);
      await page.waitForFunction(pageHasText, 'cmp-host-0', { polling: 'raf', timeout: 60_000 });
      await new Promise((r) => setTimeout(r, REST_SECONDS * 1000));
      perSecond[who] = (await idleCost(page, WINDOW_SECONDS)).perSecond;
      console.log(`  ${who}: ${perSecond[who].toFixed(2)} ms/s`);
      await context.close();
    }
  } finally {
    await browser.close();
    client.close();
    await host.stop();
    await real.stop();
  }
  return {
    title: `Left open: steady idle against the real gateway (${ENTRIES} entries)`,
    lines: [
      `main-thread time per second, visible, ${WINDOW_SECONDS} s after ${REST_SECONDS} s left alone: ours ${perSecond.ours.toFixed(2)} ms, Control UI ${perSecond.theirs.toFixed(2)} ms → ${ratio(perSecond.ours, perSecond.theirs)}`,
      `each page gets freshly seeded entries and nothing acts on the gateway but the pages themselves and our app's own beacon; the trace's own recording makes the figures an upper bound for both`,
    ],
  };
}
