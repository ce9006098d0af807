/**
 * node.list and system.info in the client, against scripted gateways over real
 * sockets: the good shapes land in `snapshot.known`; a missing method, a missing
 * scope and garbage degrade quietly to presence-only, never touching the connection.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedGateway, type ScriptedGatewayOptions } from '../../helpers/scripted-gateway.js';
import { tempDir, testClient, waitForSnapshot, type TestClientOptions } from '../../helpers/test-client.js';
import type { PresenceClient } from '../../../main/client/presence-client.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ALL_METHODS = ['system-presence', 'system-event', 'node.list', 'system.info'];
const ENTRY = { host: 'alpha', instanceId: 'a-1', mode: 'ui', text: 'Node: alpha', ts: Date.now() };

/** The real gateway 2026.9.6's shapes, with the extra fields it sends. */
const NODE_LIST = {
  ts: 1_000,
  nodes: [
    {
      nodeId: 'node-dev-1',
      displayName: 'vm',
      platform: 'linux',
      version: '2026.9.6',
      clientId: 'node-host',
      clientMode: 'node',
      caps: ['system'],
      commands: ['system.run'],
      permissions: { x: true },
      hostStats: { cpuCount: 4, loadAverage: [0.5, 0.4, 0.3], memoryTotalBytes: 8e9, memoryFreeBytes: 2e9, diskTotalBytes: 1e11, diskAvailableBytes: 4e10, updatedAtMs: 900 },
      approvalState: 'approved',
      lastSeenAtMs: 950,
      lastSeenReason: 'disconnect',
      paired: true,
      connected: false,
    },
    { nodeId: 'pending-2', approvalState: 'pending-approval', pendingRequestId: 'req-42', paired: false, connected: true },
  ],
};
const SYSTEM_INFO = {
  machineName: 'gw',
  hostname: 'gw',
  platform: 'linux',
  cpuCount: 2,
  loadAverage: [1, 2, 3],
  memoryTotalBytes: 100,
  memoryFreeBytes: 25,
  diskTotalBytes: 1000,
  diskAvailableBytes: 500,
  eventLoop: { p99: 1 },
};

async function gateway(o: ScriptedGatewayOptions): Promise<ScriptedGateway> {
  const gw = await ScriptedGateway.start({ presence: [ENTRY], ...o });
  cleanups.push(() => gw.stop());
  return gw;
}

function client(url: string, extra: Partial<TestClientOptions> = {}): { client: PresenceClient; logs: string[] } {
  const dataDir = tempDir();
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const made = testClient({ url, dataDir, beacon: false, knownReadIntervalMs: 50, ...extra });
  made.client.start();
  cleanups.push(() => made.client.stop());
  return made;
}

const asked = (gw: ScriptedGateway, method: string) => gw.requests.filter((r) => r.method === method).length;

describe('known machines in the client', () => {
  it('reads node.list and system.info on connect: nodes and gateway host stats land in the snapshot', async () => {
    const gw = await gateway({
      methods: ALL_METHODS,
      onRequest: (m) => (m === 'node.list' ? { ok: true, payload: NODE_LIST } : m === 'system.info' ? { ok: true, payload: SYSTEM_INFO } : undefined),
    });
    const { client: c } = client(gw.url);
    const s = await waitForSnapshot(c, (x) => x.known?.nodes !== undefined && x.known.gatewayHostStats !== undefined);
    expect(s.known?.note).toBeUndefined();
    expect(s.known?.nodes).toEqual([
      {
        nodeId: 'node-dev-1',
        displayName: 'vm',
        platform: 'linux',
        version: '2026.9.6',
        clientId: 'node-host',
        clientMode: 'node',
        hostStats: { cpuCount: 4, loadAverage: [0.5, 0.4, 0.3], memoryTotalBytes: 8e9, memoryFreeBytes: 2e9, diskTotalBytes: 1e11, diskAvailableBytes: 4e10, updatedAtMs: 900 },
        approvalState: 'approved',
        lastSeenAtMs: 950,
        lastSeenReason: 'disconnect',
        paired: true,
        connected: false,
      },
      { nodeId: 'pending-2', approvalState: 'pending-approval', pendingRequestId: 'req-42', paired: false, connected: true },
    ]);
    expect(s.known?.gatewayHostStats).toMatchObject({ cpuCount: 2, loadAverage: [1, 2, 3], memoryTotalBytes: 100, memoryFreeBytes: 25, diskTotalBytes: 1000, diskAvailableBytes: 500 });
    expect(s.known?.gatewayHostStats?.updatedAtMs).toEqual(expect.any(Number));
    // Big fields we don't show are not carried to the window.
    expect(JSON.stringify(s.known)).not.toContain('system.run');
    expect(s.entries.map((e) => e.host)).toEqual(['alpha']);
  });

  it('reads node.list again after a presence change, at most once per interval, and system.info only on connect and on polls', async () => {
    let nodes: unknown[] = [];
    const gw = await gateway({ methods: ALL_METHODS, onRequest: (m) => (m === 'node.list' ? { ok: true, payload: { ts: 1, nodes } } : m === 'system.info' ? { ok: true, payload: SYSTEM_INFO } : undefined) });
    const { client: c } = client(gw.url, { knownReadIntervalMs: 300 });
    await waitForSnapshot(c, (x) => x.known?.nodes?.length === 0);
    nodes = [{ nodeId: 'late-node', displayName: 'late', connected: true }];
    // A burst of presence events: one read follows, not one per event.
    for (let i = 0; i < 20; i += 1) gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: [{ ...ENTRY, ts: Date.now() + i }] } }));
    const s = await waitForSnapshot(c, (x) => x.known?.nodes?.[0]?.nodeId === 'late-node');
    expect(s.known?.nodes?.[0]).toMatchObject({ displayName: 'late', connected: true });
    expect(asked(gw, 'node.list')).toBeLessThanOrEqual(3);
    // No beacon moves the gateway host's load: the presence changes did not ask for it (only connect did; no poll yet).
    expect(asked(gw, 'system.info')).toBe(1);
  });

  it("a poll is one change: the list it reads and the gateway's host stats go to the window together", async () => {
    // As the real gateway does: its own entry is re-stamped on every read, and its host's load moves.
    let reads = 0;
    const gw = await gateway({
      methods: ALL_METHODS,
      onList: () => [{ ...ENTRY, reason: 'self', ts: Date.now() }],
      onRequest: (m) => (m === 'node.list' ? { ok: true, payload: { ts: 1, nodes: [] } } : m === 'system.info' ? { ok: true, payload: { ...SYSTEM_INFO, loadAverage: [(reads += 1), 0, 0] } } : undefined),
    });
    const { client: c } = client(gw.url, { pollIntervalMs: 200, knownReadIntervalMs: 50 });
    await waitForSnapshot(c, (x) => x.connection.kind === 'connected' && x.known?.gatewayHostStats !== undefined);
    const seen: Array<{ listVersion: number; load: number | undefined }> = [];
    const off = c.subscribe((x) => seen.push({ listVersion: x.listVersion, load: x.known?.gatewayHostStats?.loadAverage?.[0] }));
    await new Promise((r) => setTimeout(r, 1500));
    off();
    // Several polls, each read new stats...
    expect(new Set(seen.map((x) => x.load)).size).toBeGreaterThanOrEqual(4);
    // ...and every change that brought new stats brought the poll's list with it: no push for stats alone.
    for (let i = 1; i < seen.length; i += 1) if (seen[i]!.load !== seen[i - 1]!.load) expect(seen[i]!.listVersion).not.toBe(seen[i - 1]!.listVersion);
    expect(seen.length).toBeLessThanOrEqual(new Set(seen.map((x) => x.listVersion)).size);
  });

  it('a list from an event puts the poll off: no poll while events bring lists, one an interval after they stop', async () => {
    const gw = await gateway({
      methods: ALL_METHODS,
      onRequest: (m) => (m === 'node.list' ? { ok: true, payload: { ts: 1, nodes: [] } } : m === 'system.info' ? { ok: true, payload: SYSTEM_INFO } : undefined),
    });
    const { client: c } = client(gw.url, { pollIntervalMs: 400 });
    await waitForSnapshot(c, (x) => x.connection.kind === 'connected' && x.known?.gatewayHostStats !== undefined);
    const before = asked(gw, 'system-presence');
    // A list every 150 ms for 1.5 s: each as fresh as a poll's.
    for (let i = 1; i <= 10; i += 1) {
      gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: [{ ...ENTRY, ts: Date.now() + i }] } }));
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(asked(gw, 'system-presence')).toBe(before);
    await new Promise((r) => setTimeout(r, 700));
    expect(asked(gw, 'system-presence')).toBeGreaterThanOrEqual(before + 1);
  });

  it('while lists from events keep the poll from running, system.info is still read after a change, at most every two poll intervals', async () => {
    let load = 0;
    const gw = await gateway({
      methods: ALL_METHODS,
      onRequest: (m) => (m === 'node.list' ? { ok: true, payload: { ts: 1, nodes: [] } } : m === 'system.info' ? { ok: true, payload: { ...SYSTEM_INFO, loadAverage: [(load += 1), 0, 0] } } : undefined),
    });
    const { client: c } = client(gw.url, { pollIntervalMs: 200, knownReadIntervalMs: 50 });
    await waitForSnapshot(c, (x) => x.connection.kind === 'connected' && x.known?.gatewayHostStats !== undefined);
    const polls = asked(gw, 'system-presence');
    const start = Date.now();
    while (Date.now() - start < 1800) {
      gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: [{ ...ENTRY, ts: Date.now() }] } }));
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(asked(gw, 'system-presence')).toBe(polls);
    // On connect, then about every 400 ms of the 1.8 s: fresh figures, not one read per change.
    expect(asked(gw, 'system.info')).toBeGreaterThanOrEqual(4);
    expect(asked(gw, 'system.info')).toBeLessThanOrEqual(6);
    expect(asked(gw, 'node.list')).toBeGreaterThan(asked(gw, 'system.info'));
    expect(c.snapshot().known?.gatewayHostStats?.loadAverage?.[0]).toBe(load);
  });

  it("a presence event that comes while the poll's system.info is still on its way is not undone by the poll's older list", async () => {
    const older = [{ ...ENTRY, host: 'alpha', ts: Date.now() }];
    const newer = [{ ...ENTRY, host: 'alpha-renamed', ts: Date.now() + 1 }];
    let truth = older;
    let polls = 0;
    const gw: ScriptedGateway = await gateway({
      methods: ALL_METHODS,
      presence: older,
      onList: () => {
        const answer = truth;
        // The first poll's list is answered at once; 50 ms later the gateway's list changes and says so.
        if ((polls += 1) === 1)
          setTimeout(() => {
            truth = newer;
            gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: newer } }));
          }, 50);
        return answer;
      },
      answerDelayMs: (m) => (m === 'system.info' ? 250 : 0),
      onRequest: (m) => (m === 'node.list' ? { ok: true, payload: { ts: 1, nodes: [] } } : m === 'system.info' ? { ok: true, payload: SYSTEM_INFO } : undefined),
    });
    const { client: c } = client(gw.url, { pollIntervalMs: 700 });
    const hosts: string[] = [];
    c.subscribe((x) => hosts.push(x.entries[0]?.host ?? '-'));
    await waitForSnapshot(c, (x) => x.entries[0]?.host === 'alpha-renamed');
    // Past the first poll's end (its system.info answer) and into the second poll.
    await new Promise((r) => setTimeout(r, 1200));
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(hosts.slice(hosts.indexOf('alpha-renamed'))).not.toContain('alpha');
  });

  it('an unknown method degrades to presence-only with a note, is not asked again, and the connection stays', async () => {
    const gw = await gateway({
      methods: ALL_METHODS,
      onRequest: (m) =>
        m === 'node.list' ? { ok: false, error: { code: 'INVALID_REQUEST', message: 'unknown method: node.list' } } : m === 'system.info' ? { ok: true, payload: SYSTEM_INFO } : undefined,
    });
    const { client: c, logs } = client(gw.url, { pollIntervalMs: 300 });
    const s = await waitForSnapshot(c, (x) => x.known?.note !== undefined && x.known.gatewayHostStats !== undefined);
    expect(s.known?.note).toBe('node.list not available on this gateway');
    expect(s.known?.nodes).toBeUndefined();
    expect(s.connection.kind).toBe('connected');
    // Later presence changes and polls never ask node.list again; polls still ask system.info.
    const infoBefore = asked(gw, 'system.info');
    gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: [{ ...ENTRY, ts: Date.now() + 5 }] } }));
    await expect.poll(() => asked(gw, 'system.info'), { timeout: 5000 }).toBeGreaterThan(infoBefore + 1);
    expect(asked(gw, 'node.list')).toBe(1);
    expect(c.snapshot().connection.kind).toBe('connected');
    expect(logs.some((l) => l.includes('node.list not available'))).toBe(true);
  });

  it('a gateway whose hello-ok lists neither method is never asked, and says so once', async () => {
    const gw = await gateway({ methods: ['system-presence', 'system-event'] });
    const { client: c } = client(gw.url);
    const s = await waitForSnapshot(c, (x) => x.known?.note !== undefined);
    expect(s.known?.note).toBe('node.list not available on this gateway; system.info not available on this gateway');
    expect(asked(gw, 'node.list') + asked(gw, 'system.info')).toBe(0);
    expect(s.connection.kind).toBe('connected');
  });

  it('a missing scope (FORBIDDEN, MISSING_SCOPE) degrades quietly with the scope note', async () => {
    const forbidden = (m: string) => ({ ok: false as const, error: { code: 'FORBIDDEN', message: 'missing scope: operator.read', details: { code: 'MISSING_SCOPE', missingScope: 'operator.read', method: m } } });
    const gw = await gateway({ methods: ALL_METHODS, onRequest: (m) => (m === 'node.list' || m === 'system.info' ? forbidden(m) : undefined) });
    const { client: c } = client(gw.url);
    const s = await waitForSnapshot(c, (x) => x.known?.note !== undefined);
    expect(s.known?.note).toBe('this connection lacks operator.read for node.list; this connection lacks operator.read for system.info');
    expect(s.connection.kind).toBe('connected');
    expect(s.entries).toHaveLength(1);
  });

  it('garbage answers are refused at the edge: bad nodes dropped one by one, a broken list keeps the last good one', async () => {
    let answer: unknown = {
      nodes: [
        { nodeId: 'ok-1', displayName: 'fine' },
        { nodeId: '' },
        { nodeId: 'nan', hostStats: { loadAverage: [Number.NaN] } },
        { nodeId: 'huge', displayName: 'x'.repeat(10_000) },
        { nodeId: 'neg', lastSeenAtMs: -5 },
        'not an object',
        null,
      ],
    };
    const gw = await gateway({
      methods: ALL_METHODS,
      onRequest: (m) => (m === 'node.list' ? { ok: true, payload: answer } : m === 'system.info' ? { ok: true, payload: { loadAverage: 'high', cpuCount: -1 } } : undefined),
    });
    const { client: c, logs } = client(gw.url);
    const s = await waitForSnapshot(c, (x) => x.known?.nodes !== undefined);
    expect(s.known?.nodes).toEqual([{ nodeId: 'ok-1', displayName: 'fine' }]);
    expect(s.known?.gatewayHostStats).toBeUndefined();
    expect(logs.some((l) => /node\.list: dropped 6 malformed/.test(l))).toBe(true);
    expect(logs.some((l) => /system\.info: not a system\.info answer/.test(l))).toBe(true);
    for (const bad of [42, { nodes: 'many' }, { nodes: new Array(20_000).fill({ nodeId: 'x' }) }]) {
      answer = bad;
      const before = asked(gw, 'node.list');
      gw.push(JSON.stringify({ type: 'event', event: 'presence', payload: { presence: [{ ...ENTRY, ts: Date.now() }] } }));
      await expect.poll(() => asked(gw, 'node.list'), { timeout: 5000 }).toBeGreaterThan(before);
    }
    await expect.poll(() => logs.filter((l) => l.includes('kept the last good list')).length, { timeout: 5000 }).toBe(3);
    expect(c.snapshot().known?.nodes).toEqual([{ nodeId: 'ok-1', displayName: 'fine' }]);
    expect(c.snapshot().connection.kind).toBe('connected');
  });
});
