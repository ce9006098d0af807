import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GatewayServer, assertSafeBind } from '../../../main/hub/gateway-server.js';
import { generateDeviceKeyPair } from '../../../main/device/ed25519.js';
import { RawClient, connectParams, connectedClient } from '../../helpers/raw-client.js';

const SELF = { host: 'hub-host', ip: '10.9.9.9', version: '0.1.0', platform: 'linux 6.1', deviceFamily: 'Linux' };
const TOKEN = 'secret-token';

let server: GatewayServer;
const clients: RawClient[] = [];

async function open(): Promise<RawClient> {
  const c = await RawClient.open(server.url);
  clients.push(c);
  return c;
}
async function connected(o: Parameters<typeof connectedClient>[1] = {}) {
  const r = await connectedClient(server.url, { token: TOKEN, ...o });
  clients.push(r.client);
  return r;
}

beforeEach(async () => {
  server = new GatewayServer({ self: SELF, token: TOKEN, maxFrameBytes: 64 * 1024, maxConnections: 20 });
  await server.start();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.stop();
});

describe('handshake', () => {
  it('sends connect.challenge, then answers connect with hello-ok carrying the presence snapshot', async () => {
    const c = await open();
    const challenge = c.frames[0]!;
    expect(challenge).toMatchObject({ type: 'event', event: 'connect.challenge' });
    expect(typeof challenge.payload.nonce).toBe('string');
    const res = await c.request('connect', connectParams(c.nonce, { token: TOKEN, instanceId: 'inst-A', displayName: 'laptop-a' }));
    expect(res.ok).toBe(true);
    expect(res.payload).toMatchObject({ type: 'hello-ok', protocol: 4, auth: { role: 'operator', scopes: ['operator.read', 'operator.admin'] } });
    expect(res.payload.snapshot.stateVersion.presence).toBeGreaterThan(0);
    const hosts = res.payload.snapshot.presence.map((e: { host?: string }) => e.host);
    expect(hosts).toEqual(expect.arrayContaining(['hub-host', 'laptop-a']));
  });

  it('refuses a wrong token with AUTH_TOKEN_MISMATCH and closes 1008', async () => {
    const c = await open();
    const res = await c.request('connect', connectParams(c.nonce, { token: 'wrong' }));
    expect(res.ok).toBe(false);
    expect(res.error?.details?.code).toBe('AUTH_TOKEN_MISMATCH');
    expect((await c.waitClosed()).code).toBe(1008);
  });

  it('refuses a missing token with AUTH_TOKEN_MISSING', async () => {
    const c = await open();
    const res = await c.request('connect', connectParams(c.nonce, {}));
    expect(res.error?.details?.code).toBe('AUTH_TOKEN_MISSING');
  });

  it('refuses unknown client ids and unknown keys (closed schema)', async () => {
    const c = await open();
    const res = await c.request('connect', connectParams(c.nonce, { token: TOKEN, clientId: 'my-own-app' }));
    expect(res.ok).toBe(false);
    expect(res.error?.message).toMatch(/invalid connect params: at \/client\/id/);
    const d = await open();
    const res2 = await d.request('connect', { ...connectParams(d.nonce, { token: TOKEN }), extra: 1 });
    expect(res2.error?.message).toMatch(/invalid connect params/);
  });

  it('refuses a protocol range without 4 and closes 1002', async () => {
    const c = await open();
    const res = await c.request('connect', connectParams(c.nonce, { token: TOKEN, minProtocol: 1, maxProtocol: 3 }));
    expect(res.error?.details?.code).toBe('PROTOCOL_MISMATCH');
    expect((await c.waitClosed()).code).toBe(1002);
  });

  it('refuses a device signature over another nonce, and a forged device id', async () => {
    const c = await open();
    const res = await c.request('connect', connectParams('not-the-nonce', { token: TOKEN }));
    expect(res.error?.details?.code).toBe('DEVICE_AUTH_INVALID');
    const d = await open();
    const params = connectParams(d.nonce, { token: TOKEN }) as { device: { id: string } };
    params.device.id = 'f'.repeat(64);
    const res2 = await d.request('connect', params);
    expect(res2.error?.message).toBe('device identity mismatch');
  });

  it('refuses a signature older than two minutes', async () => {
    const c = await open();
    const res = await c.request('connect', connectParams(c.nonce, { token: TOKEN, signedAt: Date.now() - 10 * 60_000 }));
    expect(res.error?.message).toBe('device signature expired');
  });
});

describe('scopes', () => {
  it('grants a ui client without a device no scopes: both methods answer FORBIDDEN', async () => {
    const { client, hello } = await connected({ device: false });
    expect(hello.payload.auth.scopes).toEqual([]);
    const list = await client.request('system-presence');
    expect(list.error).toMatchObject({ code: 'FORBIDDEN', message: 'missing scope: operator.read' });
    const beacon = await client.request('system-event', { text: 'Node: x' });
    expect(beacon.error).toMatchObject({ code: 'FORBIDDEN', message: 'missing scope: operator.admin' });
  });

  it('lets a read-only device list but not beacon', async () => {
    const { client } = await connected({ scopes: ['operator.read'] });
    expect((await client.request('system-presence')).ok).toBe(true);
    expect((await client.request('system-event', { text: 'Node: x' })).error?.code).toBe('FORBIDDEN');
  });
});

describe('presence', () => {
  it('turns a beacon into a row in system-presence with the fields it sent', async () => {
    const { client } = await connected({ instanceId: 'inst-B' });
    const res = await client.request('system-event', {
      text: 'Node: box-b (10.0.0.2) · app 9.9 · last input 12s ago · mode ui · reason periodic',
      instanceId: 'inst-B',
      host: 'box-b',
      ip: '10.0.0.2',
      version: '9.9',
      lastInputSeconds: 12,
      mode: 'ui',
      reason: 'periodic',
      deviceFamily: 'Linux',
      modelIdentifier: 'x86_64',
      platform: 'linux 6.1',
    });
    expect(res).toMatchObject({ ok: true, payload: { ok: true } });
    const list = await client.request('system-presence');
    const row = list.payload.find((e: { instanceId?: string }) => e.instanceId === 'inst-B');
    expect(row).toMatchObject({ host: 'box-b', ip: '10.0.0.2', version: '9.9', lastInputSeconds: 12, mode: 'ui', reason: 'periodic', modelIdentifier: 'x86_64' });
  });

  it('pushes a presence event with a higher version to every operator when the list changes', async () => {
    const watcher = await connected({ scopes: ['operator.read'] });
    const v0 = watcher.hello.payload.snapshot.stateVersion.presence as number;
    const from = watcher.client.frames.length;
    const beaconer = await connected({ instanceId: 'inst-C' });
    await beaconer.client.request('system-event', { text: 'Node: box-c · mode ui', instanceId: 'inst-C', host: 'box-c' });
    const event = await watcher.client.waitFor(
      (f) => f.event === 'presence' && f.payload.presence.some((e: { host?: string }) => e.host === 'box-c'),
      5000,
      from,
    );
    expect(event.stateVersion!.presence).toBeGreaterThan(v0);
    expect(event.seq).toBeGreaterThan(0);
  });

  it('does not list a cli connection', async () => {
    const { client } = await connected({ clientId: 'cli', mode: 'cli', device: false, instanceId: 'cli-1', displayName: 'cli-run' });
    const list = await client.request('system-presence');
    expect(list.ok).toBe(true);
    expect(list.payload.some((e: { instanceId?: string }) => e.instanceId === 'cli-1')).toBe(false);
  });

  it('merges beacons whose instanceId differs only in case into one row', async () => {
    const { client } = await connected({ device: generateDeviceKeyPair() });
    await client.request('system-event', { text: 'Node: box-d', instanceId: 'Inst-D', version: '1' });
    await client.request('system-event', { text: 'Node: box-d', instanceId: 'inst-d ', lastInputSeconds: 3 });
    const list = await client.request('system-presence');
    const rows = list.payload.filter((e: { instanceId?: string }) => e.instanceId?.trim().toLowerCase() === 'inst-d');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ version: '1', lastInputSeconds: 3 });
  });

  it('keeps one row for a client that reconnects with the same instanceId and device', async () => {
    const device = generateDeviceKeyPair();
    const first = await connected({ device, instanceId: 'inst-E', displayName: 'box-e' });
    await first.client.request('system-event', { text: 'Node: box-e', instanceId: 'inst-E', deviceId: device.deviceId });
    first.client.close();
    const second = await connected({ device, instanceId: 'inst-E', displayName: 'box-e' });
    const list = await second.client.request('system-presence');
    expect(list.payload.filter((e: { host?: string }) => e.host === 'box-e')).toHaveLength(1);
  });

  it('sends tick heartbeats with the gateway time, and sweeps expired rows with a presence event', async () => {
    let now = Date.now();
    const ticking = new GatewayServer({ self: SELF, token: TOKEN, tickIntervalMs: 100, clock: () => now });
    await ticking.start();
    try {
      const { client } = await connectedClient(ticking.url, { token: TOKEN, instanceId: 'short-lived', displayName: 'short-lived' });
      const tick = await client.waitFor((f) => f.event === 'tick');
      expect(tick.payload).toEqual({ ts: now });
      const from = client.frames.length;
      now += 5 * 60_000 + 1;
      const swept = await client.waitFor((f) => f.event === 'presence', 5000, from);
      expect(swept.payload.presence.some((e: { host?: string }) => e.host === 'short-lived')).toBe(false);
      client.close();
    } finally {
      await ticking.stop();
    }
  });

  it('sends shutdown before it stops', async () => {
    const { client } = await connected();
    await server.stop('maintenance');
    const frame = await client.waitFor((f) => f.event === 'shutdown');
    expect(frame.payload).toEqual({ reason: 'maintenance' });
  });
});

describe('bad input', () => {
  it('answers non-JSON with a clear error and stays up', async () => {
    const c = await open();
    c.sendRaw('this is not json');
    const err = await c.waitFor((f) => f.type === 'res' && f.ok === false);
    expect(err.error).toMatchObject({ code: 'INVALID_REQUEST', message: 'frame is not valid JSON' });
    expect(c.closed).toBeUndefined();
  });

  it('answers requests before connect', async () => {
    const c = await open();
    const res = await c.request('system-presence');
    expect(res.error).toMatchObject({ code: 'INVALID_REQUEST', message: 'first request must be connect' });
  });

  it('answers unknown methods without closing', async () => {
    const { client } = await connected();
    const res = await client.request('chat.send', {});
    expect(res.error).toMatchObject({ code: 'INVALID_REQUEST', message: 'unknown method: chat.send' });
    expect((await client.request('system-presence')).ok).toBe(true);
  });

  it('answers wrong types in a beacon and keeps the list unchanged', async () => {
    const { client } = await connected();
    const before = (await client.request('system-presence')).payload.length;
    for (const bad of [{ text: 42 }, { text: '   ' }, { text: 'Node: x', lastInputSeconds: -1 }, { text: 'Node: x', roles: 'admin' }, { text: 'Node: x', surprise: true }]) {
      const res = await client.request('system-event', bad);
      expect(res.error?.code).toBe('INVALID_REQUEST');
      expect(res.error?.message).toMatch(/invalid system-event params/);
    }
    expect((await client.request('system-presence')).payload.length).toBe(before);
  });

  it('answers a frame over the size cap with an error frame, and closes only far past it', async () => {
    const { client } = await connected();
    client.sendRaw(JSON.stringify({ type: 'req', id: 'big', method: 'system-event', params: { text: 'x'.repeat(100 * 1024) } }));
    const err = await client.waitFor((f) => f.type === 'res' && f.ok === false);
    expect(err.error?.message).toMatch(/frame too large/);
    expect((await client.request('system-presence')).ok).toBe(true);
    client.sendRaw('x'.repeat(1024 * 1024));
    expect((await client.waitClosed()).code).toBe(1009);
  });

  it('refuses connections past the limit of signed-in connections with 1013', async () => {
    // Only signed-in connections count against maxConnections (sockets still signing in have their own caps).
    for (let i = 0; i < 20; i += 1) await connected();
    const late = new WebSocket(server.url);
    const code = await new Promise<number>((r) => late.once('close', (c) => r(c)));
    expect(code).toBe(1013);
  });
});

describe('binding', () => {
  it('refuses a non-loopback bind without a token', () => {
    expect(() => assertSafeBind('0.0.0.0', {})).toThrow(/without a token/);
    expect(() => assertSafeBind('0.0.0.0', { token: 't' })).not.toThrow();
    expect(() => assertSafeBind('127.0.0.1', {})).not.toThrow();
  });
});
