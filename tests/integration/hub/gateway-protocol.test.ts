import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HubServer, assertSafeBind } from '../../../main/hub/hub-server.js';
import { generateDeviceKeyPair } from '../../../main/device/ed25519.js';
import { RawClient, connectParams, connectedClient } from '../../helpers/raw-client.js';

const SELF = { host: 'hub-host', ip: '10.9.9.9', version: '0.1.0', platform: 'linux 6.1', deviceFamily: 'Linux' };
const TOKEN = 'secret-token';

let server: HubServer;
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
  server = new HubServer({ self: SELF, token: TOKEN, maxFrameBytes: 64 * 1024, maxConnections: 20 });
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
    const ticking = new HubServer({ self: SELF, token: TOKEN, tickIntervalMs: 100, clock: () => now });
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

/** Connect params as the real node host 2026.9.6 sends them (measured), with a fresh device. */
function nodeHostExtra(): Record<string, unknown> {
  return {
    caps: ['browser', 'file', 'system'],
    commands: ['system.run', 'system.which', 'file.stat'],
    pathEnv: '/usr/local/bin:/usr/bin:/bin',
    permissions: { 'system.run': true },
    modelCatalog: { agentId: 'main', sessionKey: 'agent:main:main' },
    workerRuns: { bundleHash: 'a'.repeat(64), openclawVersion: '2026.9.6', protocolFeatures: ['node-worker-supervisor-v6'] },
    computerUse: { displays: [] },
  };
}

describe('real OpenClaw clients (issue 10): connect', () => {
  it('accepts a node host connect and lists it as the real gateway does: one node row, in node.list', async () => {
    const { client, hello } = await connected({ clientId: 'node-host', mode: 'node', role: 'node', scopes: [], displayName: 'vm', platform: 'linux', extra: nodeHostExtra() });
    expect(hello.payload).toMatchObject({ protocol: 4, auth: { role: 'node', scopes: [] } });
    // A node may not read the list; an operator can.
    const { client: op } = await connected({ scopes: ['operator.read'] });
    const list = (await op.request('system-presence')).payload as Array<Record<string, unknown>>;
    const row = list.find((e) => e.mode === 'node')!;
    expect(row).toMatchObject({ host: 'vm', clientId: 'node-host', mode: 'node', roles: ['node'], reason: 'connect', text: 'Node: vm · mode node' });
    expect(row.instanceId).toBe(row.deviceId);
    expect(row).not.toHaveProperty('scopes');
    expect(row).not.toHaveProperty('onlineSince');
    const nodes = (await op.request('node.list')).payload as { ts: number; nodes: Array<Record<string, unknown>> };
    expect(nodes.nodes).toEqual([
      expect.objectContaining({ nodeId: row.deviceId, displayName: 'vm', clientId: 'node-host', clientMode: 'node', caps: [], commands: [], paired: true, connected: true, approvalState: 'unapproved', lastSeenReason: 'connect' }),
    ]);

    client.close();
    await op.waitFor((f) => f.event === 'presence' && f.payload.presence.some((e: { mode?: string; reason?: string }) => e.mode === 'node' && e.reason === 'disconnect'));
    const after = (await op.request('node.list')).payload as { nodes: Array<Record<string, unknown>> };
    expect(after.nodes[0]).toMatchObject({ connected: false, lastSeenReason: 'disconnect', lastSeenAtMs: expect.any(Number), lastDisconnectedAtMs: expect.any(Number) });
  });

  it('lets a node host speak protocol 3 (as the real gateway), but not an operator', async () => {
    const node = await open();
    const res = await node.request('connect', connectParams(node.nonce, { token: TOKEN, clientId: 'node-host', mode: 'node', role: 'node', scopes: [], minProtocol: 3, maxProtocol: 3 }));
    expect(res.ok).toBe(true);
    expect(res.payload.protocol).toBe(4);
    const op = await open();
    const refused = await op.request('connect', connectParams(op.nonce, { token: TOKEN, minProtocol: 3, maxProtocol: 3 }));
    expect(refused.error?.details?.code).toBe('PROTOCOL_MISMATCH');
  });

  it('accepts every auth field of the real schema, and still refuses unknown keys and unbounded lists', async () => {
    const c = await open();
    const params = connectParams(c.nonce, { token: TOKEN }) as { auth: Record<string, string> };
    params.auth = { ...params.auth, bootstrapToken: 'b', approvalRuntimeToken: 'a', agentRuntimeIdentityToken: 'i', deviceToken: 'd' };
    expect((await c.request('connect', params)).ok).toBe(true);
    for (const bad of [{ auth: { token: TOKEN, sessionCookie: 'x' } }, { commands: Array.from({ length: 600 }, (_, i) => `cmd.${i}`) }, { pathEnv: 'x'.repeat(40_000) }, { workerRuns: { bundleHash: 'nothex' } }]) {
      const d = await open();
      const res = await d.request('connect', { ...connectParams(d.nonce, { token: TOKEN }), ...bad });
      expect(res.ok).toBe(false);
      expect(res.error?.message).toMatch(/^invalid connect params/);
    }
  });

  it('refuses a role other than operator or node', async () => {
    const c = await open();
    const res = await c.request('connect', connectParams(c.nonce, { token: TOKEN, role: 'worker', scopes: [] }));
    expect(res.error?.message).toBe('invalid role');
    expect((await c.waitClosed()).code).toBe(1008);
  });

  it('accepts the v2 device payload the Control UI signs, and refuses a v2 signature over another nonce', async () => {
    const { hello } = await connected({ clientId: 'openclaw-control-ui', mode: 'webchat', payloadVersion: 'v2', scopes: ['operator.admin', 'operator.read'] });
    expect(hello.payload.auth.scopes).toEqual(['operator.admin', 'operator.read']);
    const c = await open();
    const res = await c.request('connect', connectParams('another-nonce', { token: TOKEN, payloadVersion: 'v2' }));
    expect(res.error?.details?.code).toBe('DEVICE_AUTH_INVALID');
  });
});

describe('real OpenClaw clients (issue 10): scopes', () => {
  it('lets operator.admin alone read (as the real gateway), and operator.write read too', async () => {
    for (const scopes of [['operator.admin'], ['operator.write']]) {
      const { client, hello } = await connected({ scopes });
      expect(hello.payload.snapshot.presence.length).toBeGreaterThan(0);
      for (const method of ['system-presence', 'node.list', 'system.info', 'health', 'status', 'last-heartbeat']) {
        expect((await client.request(method)).ok, `${method} with ${scopes}`).toBe(true);
      }
    }
  });

  it('answers a missing scope with the real MISSING_SCOPE details', async () => {
    const { client } = await connected({ scopes: ['operator.read'] });
    const res = await client.request('wake', { mode: 'now', text: 'hi' });
    expect(res.error).toEqual({ code: 'FORBIDDEN', message: 'missing scope: operator.write', details: { code: 'MISSING_SCOPE', missingScope: 'operator.write', requiredScopes: ['operator.write'] } });
  });

  it('keeps node methods to nodes and operator methods to operators', async () => {
    const { client: node } = await connected({ clientId: 'node-host', mode: 'node', role: 'node', scopes: [] });
    expect((await node.request('system-presence')).error).toMatchObject({ code: 'INVALID_REQUEST', message: 'unauthorized role: node' });
    const { client: op } = await connected();
    expect((await op.request('node.event', { event: 'node.host.stats' })).error).toMatchObject({ code: 'INVALID_REQUEST', message: 'unauthorized role: operator' });
  });
});

describe('real OpenClaw clients (issue 10): methods', () => {
  it('answers health, status, last-heartbeat and wake in the real shapes, honestly empty', async () => {
    const { client } = await connected();
    expect((await client.request('health')).payload).toMatchObject({ ok: true, ts: expect.any(Number), plugins: { loaded: [], errors: [] }, channels: {}, agents: [], sessions: { count: 0, recent: [] } });
    expect((await client.request('status')).payload).toMatchObject({ runtimeVersion: '0.1.0', heartbeat: { agents: [] }, channelSummary: [], sessions: { count: 0, recent: [] } });
    const heartbeat = await client.request('last-heartbeat');
    expect(heartbeat.ok).toBe(true);
    expect(heartbeat.payload).toBeNull();
    expect((await client.request('wake', { mode: 'now', text: 'hi' })).payload).toEqual({ ok: true });
    const bad = await client.request('wake', { text: 'hi' });
    expect(bad.error?.message).toMatch(/^invalid wake params: at \/mode/);
    const unknown = await client.request('sessions.list', {});
    expect(unknown.error).toEqual({ code: 'INVALID_REQUEST', message: 'unknown method: sessions.list', details: { code: 'UNKNOWN_METHOD' } });
  });

  it('answers system.info with this machine’s real figures', async () => {
    const os = await import('node:os');
    const { client } = await connected();
    const info = (await client.request('system.info')).payload as Record<string, unknown>;
    expect(info).toMatchObject({ hostname: os.hostname(), platform: os.platform(), release: os.release(), arch: os.arch(), cpuCount: os.cpus().length, memoryTotalBytes: os.totalmem(), port: server.port, pid: process.pid });
    expect(info.memoryFreeBytes).toBeLessThanOrEqual(os.totalmem());
    expect(info.uptimeMs).toEqual(expect.any(Number));
    if (os.platform() !== 'win32') expect(info.loadAverage).toHaveLength(3);
    const disks = info.disks as Array<{ totalBytes: number; availableBytes: number }>;
    expect(disks[0]!.totalBytes).toBeGreaterThan(0);
    expect(disks[0]!.availableBytes).toBeLessThanOrEqual(disks[0]!.totalBytes);
    expect(info.diskTotalBytes).toBe(disks[0]!.totalBytes);
    expect((await client.request('system.info', { verbose: true })).error?.code).toBe('INVALID_REQUEST');
  });

  it('keeps a node’s reported host stats in node.list, and refuses impossible ones', async () => {
    const { client: node } = await connected({ clientId: 'node-host', mode: 'node', role: 'node', scopes: [], displayName: 'statbox' });
    const stats = { cpuCount: 8, loadAverage: [0.5, 0.4, 0.3], memoryTotalBytes: 1000, memoryFreeBytes: 400, diskTotalBytes: 5000, diskAvailableBytes: 1000 };
    expect((await node.request('node.event', { event: 'node.host.stats', payloadJSON: JSON.stringify(stats) })).payload).toEqual({ ok: true, event: 'node.host.stats', handled: true });
    expect((await node.request('node.event', { event: 'node.host.stats', payloadJSON: JSON.stringify({ ...stats, memoryFreeBytes: 2000 }) })).error?.code).toBe('INVALID_REQUEST');
    expect((await node.request('node.event', { event: 'voice.transcript', payloadJSON: '{}' })).payload).toMatchObject({ handled: false });
    const { client: op } = await connected();
    const list = (await op.request('node.list')).payload as { nodes: Array<{ hostStats?: unknown }> };
    expect(list.nodes[0]?.hostStats).toEqual({ ...stats, updatedAtMs: expect.any(Number) });
  });

  it('advertises exactly the methods of its table in hello-ok', async () => {
    const { hello } = await connected();
    expect([...hello.payload.features.methods].sort()).toEqual(['health', 'last-heartbeat', 'node.event', 'node.list', 'status', 'system-event', 'system-presence', 'system.info', 'wake'].sort());
  });
});

describe('real OpenClaw clients (issue 10): rows', () => {
  it('lists no row for a probe connect', async () => {
    const before = server.store.list().length;
    await connected({ clientId: 'cli', mode: 'probe', device: false, scopes: ['operator.read'] });
    expect(server.store.list()).toHaveLength(before);
  });

  it('gives a ui connect row the real fields: clientId, timeZone, the client id as host, onlineSince', async () => {
    const t0 = Date.now();
    await connected({ clientId: 'openclaw-control-ui', mode: 'webchat', timeZone: 'Europe/Berlin' });
    const row = server.store.list().find((e) => e.clientId === 'openclaw-control-ui');
    expect(row).toMatchObject({ host: 'openclaw-control-ui', clientId: 'openclaw-control-ui', timeZone: 'Europe/Berlin', mode: 'webchat', reason: 'connect' });
    expect(row?.onlineSince).toBeGreaterThanOrEqual(t0);
  });

  it('stores a fractional lastInputSeconds as sent (a negative one is still refused)', async () => {
    const { client } = await connected();
    expect((await client.request('system-event', { text: 'Node: frac-host · mode ui', host: 'frac-host', lastInputSeconds: 12.75 })).ok).toBe(true);
    expect(server.store.list().find((e) => e.host === 'frac-host')?.lastInputSeconds).toBe(12.75);
    expect((await client.request('system-event', { text: 'Node: frac-host', host: 'frac-host', lastInputSeconds: -0.5 })).error?.code).toBe('INVALID_REQUEST');
  });
});

describe('the gateway’s data folder', () => {
  it('keeps the gateway row’s instanceId across restarts, and starts afresh (file kept aside) when it is damaged', async () => {
    const { mkdtempSync, readdirSync, rmSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'claw-hub-state-'));
    try {
      const logs: string[] = [];
      const first = new HubServer({ self: SELF, dataDir, log: (l) => logs.push(l) });
      const second = new HubServer({ self: SELF, dataDir, log: (l) => logs.push(l) });
      expect(second.instanceId).toBe(first.instanceId);
      expect(first.store.list().find((e) => e.mode === 'gateway')?.instanceId).toBe(first.instanceId);
      writeFileSync(path.join(dataDir, 'gateway-identity.json'), '{"instanceId": 42');
      const third = new HubServer({ self: SELF, dataDir, log: (l) => logs.push(l) });
      expect(third.instanceId).not.toBe(first.instanceId);
      expect(readdirSync(dataDir).some((f) => f.startsWith('gateway-identity.json.damaged-'))).toBe(true);
      expect(logs.join('\n')).toMatch(/gateway-identity\.json was unreadable/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
