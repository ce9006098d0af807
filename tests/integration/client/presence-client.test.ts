/** Our presence client against our hub and against scripted gateways, over real sockets. */
import { afterEach, describe, expect, it } from 'vitest';
import { HubServer } from '../../../main/hub/hub-server.js';
import { testClient, waitForSnapshot } from '../../helpers/test-client.js';
import { ScriptedGateway } from '../../helpers/scripted-gateway.js';
import { OFFSET_NOISE_MS, type PresenceClient } from '../../../main/client/presence-client.js';

const SELF = { host: 'hub', version: '0.1.0' };
const TOKEN = 't0k';
/** Entry times near now: the client drops timestamps more than a day from the gateway's clock (issue 12, V5). */
const T = Date.now();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hub(o: Partial<ConstructorParameters<typeof HubServer>[0]> = {}): Promise<HubServer> {
  const server = new HubServer({ self: SELF, token: TOKEN, ...o });
  await server.start();
  cleanups.push(() => server.stop());
  return server;
}
function started(client: PresenceClient): PresenceClient {
  client.start();
  cleanups.push(() => client.stop());
  return client;
}

describe('presence client with our hub', () => {
  it('beacons at launch, then every interval, and sees its own row', async () => {
    const server = await hub();
    const { client } = testClient({ url: server.url, token: TOKEN, beaconIntervalMs: 150, host: { host: 'beaconer' }, idle: 3 });
    started(client);
    await waitForSnapshot(client, (s) => s.lastBeacon?.reason === 'launch' && s.lastBeacon.ok);
    const s = await waitForSnapshot(client, (x) => x.lastBeacon?.reason === 'periodic' && x.entries.some((e) => e.host === 'beaconer' && e.reason === 'periodic'));
    const mine = s.entries.filter((e) => e.instanceId === s.self.instanceId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ host: 'beaconer', lastInputSeconds: 3, mode: 'ui' });
  });

  it('updates live from presence events when another client beacons', async () => {
    const server = await hub();
    const viewer = started(testClient({ url: server.url, token: TOKEN, beacon: false }).client);
    await waitForSnapshot(viewer, (s) => s.connection.kind === 'connected');
    started(testClient({ url: server.url, token: TOKEN, host: { host: 'newcomer' } }).client);
    const s = await waitForSnapshot(viewer, (x) => x.entries.some((e) => e.host === 'newcomer' && e.reason === 'launch'));
    expect(s.entries.find((e) => e.host === 'newcomer')?.mode).toBe('ui');
  });

  it('withdraws the idle time when the user turns activity sharing off', async () => {
    const server = await hub();
    const { client } = testClient({ url: server.url, token: TOKEN, idle: 8, host: { host: 'private' } });
    started(client);
    await waitForSnapshot(client, (s) => s.entries.some((e) => e.host === 'private' && e.lastInputSeconds === 8));
    client.updatePreferences({ shareActivity: false });
    const s = await waitForSnapshot(client, (x) => x.entries.some((e) => e.host === 'private' && e.lastInputSeconds === undefined));
    expect(s.entries.find((e) => e.host === 'private')).not.toHaveProperty('lastInputSeconds');
  });

  it('estimates the gateway clock when it is 10 minutes ahead', async () => {
    const skew = 10 * 60_000;
    const server = await hub({ clock: () => Date.now() + skew, tickIntervalMs: 100 });
    const { client } = testClient({ url: server.url, token: TOKEN });
    started(client);
    const s = await waitForSnapshot(client, (x) => x.connection.kind === 'connected');
    expect(Math.abs(s.clockOffsetMs - skew)).toBeLessThan(2000);
  });

  it("keeps its estimate of the gateway's clock through latency noise, and follows a real step", async () => {
    const gw = await ScriptedGateway.start({ presence: [{ host: 'a', instanceId: 'a', text: 'Node: a', ts: T }] });
    cleanups.push(() => gw.stop());
    const client = started(testClient({ url: gw.url, beacon: false }).client);
    await waitForSnapshot(client, (x) => x.connection.kind === 'connected');
    /** A tick carrying the gateway's time, then a list change, whose snapshot says the offset in use. */
    const offsetAfterTick = async (aheadMs: number, n: number) => {
      gw.push(JSON.stringify({ type: 'event', event: 'tick', payload: { ts: Date.now() + aheadMs } }));
      gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: [{ host: 'a', instanceId: 'a', text: 'Node: a', ts: T + n }] } }));
      return (await waitForSnapshot(client, (x) => x.entries[0]?.ts === T + n)).clockOffsetMs;
    };
    // The gateway's clock 5 s ahead, read through latencies that differ by up to 60 ms: each later
    // sample a new best. Every row a window draws carries the offset, so it must not move.
    const offsets: number[] = [];
    for (let n = 1; n <= 6; n += 1) offsets.push(await offsetAfterTick(5000 + n * 10, n));
    expect(new Set(offsets).size).toBe(1);
    expect(Math.abs(offsets[0]! - 5000)).toBeLessThan(OFFSET_NOISE_MS);
    // The gateway's clock stepped 3 s: followed at once.
    expect(Math.abs((await offsetAfterTick(8000, 7)) - 8000)).toBeLessThan(OFFSET_NOISE_MS);
  });

  it('survives the gateway stopping and restarting: reconnects, beacons, one row', async () => {
    const first = new HubServer({ self: SELF, token: TOKEN });
    const port = await first.start();
    const { client } = testClient({ url: first.url, token: TOKEN, host: { host: 'phoenix' } });
    started(client);
    await waitForSnapshot(client, (s) => s.lastBeacon?.ok === true);
    await first.stop();
    const down = await waitForSnapshot(client, (s) => s.connection.kind === 'reconnecting');
    const why = down.connection.kind === 'reconnecting' ? down.connection.lastError : '';
    // Each retry still says why the gateway is down, so the window's banner never blinks out between attempts.
    const retrying = await waitForSnapshot(client, (s) => s.connection.kind === 'connecting');
    expect(retrying.connection).toMatchObject({ kind: 'connecting', lastError: expect.any(String) });
    expect(why).toMatch(/\S/);
    const second = await hub({ port });
    const s = await waitForSnapshot(client, (x) => x.connection.kind === 'connected' && x.lastBeacon?.reason === 'connect' && x.entries.some((e) => e.host === 'phoenix'), 20_000);
    expect(s.entries.filter((e) => e.host === 'phoenix')).toHaveLength(1);
    expect(second.connectionCount).toBe(1);
    expect(s.connection).not.toHaveProperty('lastError');
  });
});

describe('presence client with scripted gateways', () => {
  it('reports a missing operator.read scope instead of showing an empty list, and why beacons fail', async () => {
    const gw = await ScriptedGateway.start({ scopes: [] });
    cleanups.push(() => gw.stop());
    const { client } = testClient({ url: gw.url });
    started(client);
    const s = await waitForSnapshot(client, (x) => x.connection.kind === 'connected' && x.lastBeacon !== undefined);
    expect(s.missingScope).toBe('operator.read');
    expect(s.lastBeacon).toMatchObject({ ok: false, error: 'this connection lacks operator.admin' });
    expect(gw.requests.some((r) => r.method === 'system-event' || r.method === 'system-presence')).toBe(false);
  });

  it("a beacon answered as the last one was is not announced on its own: no push, while the client's report keeps its time", async () => {
    // This gateway sends no presence event for a beacon: whatever the client pushes after one is its report alone.
    let refuse = false;
    const gw = await ScriptedGateway.start({
      presence: [{ host: 'a', ts: T + 1 }],
      onRequest: (m) => (m === 'system-event' && refuse ? { ok: false, error: { code: 'UNAVAILABLE', message: 'busy' } } : undefined),
    });
    cleanups.push(() => gw.stop());
    const { client } = testClient({ url: gw.url, beaconIntervalMs: 100, pollIntervalMs: 60_000 });
    started(client);
    const first = await waitForSnapshot(client, (x) => x.lastBeacon?.reason === 'periodic' && x.lastBeacon.ok);
    const pushes: number[] = [];
    const off = client.subscribe((x) => pushes.push(x.lastBeacon?.atMs ?? 0));
    await new Promise((r) => setTimeout(r, 700));
    off();
    const beacons = gw.requests.filter((r) => r.method === 'system-event').length;
    expect(beacons).toBeGreaterThanOrEqual(6);
    expect(pushes).toEqual([]);
    expect(client.snapshot().lastBeacon!.atMs).toBeGreaterThan(first.lastBeacon!.atMs);
    // A changed outcome is news: announced at once.
    refuse = true;
    const failed = await waitForSnapshot(client, (x) => x.lastBeacon?.ok === false);
    expect(failed.lastBeacon).toMatchObject({ reason: 'periodic', error: expect.stringContaining('busy') });
  });

  it('re-fetches the list when an event sequence number is skipped', async () => {
    let lists = 0;
    const gw = await ScriptedGateway.start({ presence: [{ host: 'a', ts: T + 1 }], onList: () => (lists += 1, [{ host: 'fetched', ts: T + 2 }]) });
    cleanups.push(() => gw.stop());
    const { client } = testClient({ url: gw.url, beacon: false });
    started(client);
    await waitForSnapshot(client, (s) => s.connection.kind === 'connected');
    gw.push(JSON.stringify({ type: 'event', event: 'presence', seq: 1, payload: { presence: [{ host: 'one', ts: T + 3 }] } }));
    await waitForSnapshot(client, (s) => s.entries[0]?.host === 'one');
    expect(lists).toBe(0);
    gw.push(JSON.stringify({ type: 'event', event: 'presence', seq: 5, payload: { presence: [{ host: 'five', ts: T + 4 }] } }));
    await waitForSnapshot(client, (s) => s.entries[0]?.host === 'fetched');
    expect(lists).toBe(1);
  });

  it('takes a burst of presence events as the newest list, at most one per 25 ms (issue 14, the storm)', async () => {
    const gw = await ScriptedGateway.start({ presence: [{ host: 'a', ts: T + 1 }] });
    cleanups.push(() => gw.stop());
    const { client } = testClient({ url: gw.url, beacon: false });
    started(client);
    await waitForSnapshot(client, (s) => s.connection.kind === 'connected' && s.entries.length === 1);
    const versions = new Set<number>();
    const off = client.subscribe((s) => versions.add(s.listVersion));
    cleanups.push(off);
    const burst = 200;
    const t0 = performance.now();
    // The whole list each time, as the real gateway sends it: 40 rows, one of them changed.
    for (let i = 1; i <= burst; i += 1) {
      const presence = Array.from({ length: 40 }, (_, r) => ({ host: `h${r}`, instanceId: `i${r}`, ts: T + (r === i % 40 ? i : 0), text: r === i % 40 ? `beacon ${i}` : '' }));
      gw.push(JSON.stringify({ type: 'event', event: 'presence', seq: i, payload: { presence } }));
    }
    const last = await waitForSnapshot(client, (s) => s.entries.some((e) => e.text === `beacon ${burst}`));
    const elapsedMs = performance.now() - t0;
    expect(last.entries).toHaveLength(40);
    // The first list at once, then one per 25 ms at most.
    expect(versions.size).toBeLessThanOrEqual(2 + Math.ceil(elapsedMs / 25));
    expect(versions.size).toBeLessThan(burst);
  });

  it('drops a socket that goes silent past 2.5 ticks and reconnects', async () => {
    const gw = await ScriptedGateway.start({ tickIntervalMs: 200 });
    cleanups.push(() => gw.stop());
    const { client, logs } = testClient({ url: gw.url, beacon: false });
    started(client);
    await waitForSnapshot(client, (s) => s.connection.kind === 'connected');
    await waitForSnapshot(client, (s) => s.connection.kind !== 'connected', 5000, 'drop after silence');
    await waitForSnapshot(client, (s) => s.connection.kind === 'connected', 5000, 'reconnect');
    expect(logs.some((l) => /no frame from the gateway/.test(l))).toBe(true);
    expect(gw.requests.filter((r) => r.method === 'connect').length).toBeGreaterThanOrEqual(2);
  });

  it('keeps good rows and drops malformed ones from a list, logging what was wrong', async () => {
    const gw = await ScriptedGateway.start({ presence: [{ host: 'good', ts: T + 1 }, { host: 42, ts: 'yesterday' }, { host: 'also-good', ts: T + 2, futureField: { x: 1 } }] });
    cleanups.push(() => gw.stop());
    const { client, logs } = testClient({ url: gw.url, beacon: false });
    started(client);
    const s = await waitForSnapshot(client, (x) => x.entries.length > 0);
    expect(s.entries.map((e) => e.host)).toEqual(['good', 'also-good']);
    expect(s.entries[1]?.futureField).toEqual({ x: 1 });
    expect(logs.some((l) => /dropped 1 malformed entry/.test(l))).toBe(true);
    // The window is told too, and a good list clears it.
    expect(s.unreadEntries).toEqual({ count: 1, problem: expect.stringMatching(/^host: /), keptLastList: false });
    gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: [{ host: 'good', ts: T + 3 }] } }));
    expect((await waitForSnapshot(client, (x) => x.entries[0]?.ts === T + 3)).unreadEntries).toBeUndefined();
  });

  it('keeps the last good list when no entry of a new one can be read, and says so', async () => {
    const gw = await ScriptedGateway.start({ presence: [{ host: 'good', ts: T + 1 }] });
    cleanups.push(() => gw.stop());
    const { client } = testClient({ url: gw.url, beacon: false });
    started(client);
    await waitForSnapshot(client, (x) => x.entries.length > 0);
    gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: [{ host: 42, ts: T + 2 }, { host: 'x', ts: 'soon' }] } }));
    const s = await waitForSnapshot(client, (x) => x.unreadEntries !== undefined);
    expect(s.unreadEntries).toEqual({ count: 2, problem: expect.stringMatching(/^host: /), keptLastList: true });
    expect(s.entries.map((e) => e.host)).toEqual(['good']);
  });
});

describe('list versions', () => {
  it('never repeat across clients, so a restarted client is never mistaken for the same list', async () => {
    const server = await hub();
    const first = started(testClient({ url: server.url, token: TOKEN, beacon: false }).client);
    const a = await waitForSnapshot(first, (s) => s.listVersion > 0);
    await first.stop();
    const second = started(testClient({ url: server.url, token: TOKEN, beacon: false }).client);
    const b = await waitForSnapshot(second, (s) => s.listVersion > 0);
    expect(b.listVersion).toBeGreaterThan(a.listVersion);
  });
});
