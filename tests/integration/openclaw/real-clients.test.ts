/**
 * The real OpenClaw tools (2026.9.6) against our built-in gateway, as a new
 * user would run them: the node host, `gateway call system-presence`,
 * `system event`, `health`, `status` and `gateway probe`. One hub for the file;
 * the CLI starts slowly, so timeouts are generous.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubServer } from '../../../main/hub/hub-server.js';
import type { PresenceEntry } from '../../../shared/presence/entry.js';
import { tempDir } from '../../helpers/test-client.js';
import { CliHome, startNodeHost } from '../../helpers/openclaw/real-cli.js';

const TOKEN = 'compat-token';
const SLOW = 180_000;

let dataDir: string;
let hub: HubServer;
let cli: CliHome;

/** Our gateway, on `port` (0: a free one; the CLI's config names the port, so a restart keeps it). */
async function startHub(port = 0): Promise<HubServer> {
  const server = new HubServer({ self: { host: 'hub-self', version: '0.1.0' }, token: TOKEN, dataDir, port });
  await server.start();
  return server;
}

/** Resolves with the list once `match` holds for it (checked now and on every change). */
function waitForList(server: HubServer, match: (list: PresenceEntry[]) => boolean, what: string, timeoutMs = 60_000): Promise<PresenceEntry[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const list = server.store.list();
      if (!match(list)) return false;
      clearTimeout(timer);
      off();
      resolve(list);
      return true;
    };
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(server.store.list())}`));
    }, timeoutMs);
    const off = server.store.onChange(() => void check());
    check();
  });
}

interface NodeListPayload {
  ts: number;
  nodes: Array<Record<string, unknown>>;
}

beforeAll(async () => {
  dataDir = tempDir('claw-hub-data-');
  hub = await startHub();
  cli = new CliHome(hub.port, TOKEN);
});
afterAll(async () => {
  await hub?.stop();
  cli?.remove();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the real openclaw CLI against our gateway', () => {
  it('`gateway call system-presence` prints our list, with the gateway row and its stable instanceId', { timeout: SLOW }, async () => {
    const list = (await cli.call('system-presence')) as PresenceEntry[];
    const self = list.find((e) => e.mode === 'gateway');
    expect(self).toMatchObject({ host: 'hub-self', reason: 'self', instanceId: hub.instanceId });
  });

  it('`system event --text hi` answers ok (it calls `wake`)', { timeout: SLOW }, async () => {
    const r = await cli.run(['system', 'event', '--text', 'hi', '--url', `ws://127.0.0.1:${hub.port}`, '--token', TOKEN]);
    expect(r.stderr).not.toMatch(/unknown method/);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('ok');
  });

  it('`health` reports the gateway healthy', { timeout: SLOW }, async () => {
    const r = await cli.run(['health', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const health = JSON.parse(r.stdout) as { ok?: boolean; agents?: unknown[] };
    expect(health.ok).toBe(true);
  });

  it('`status` shows the gateway reachable', { timeout: SLOW }, async () => {
    const r = await cli.run(['status']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Gateway\\s+│ local · ws://127\\.0\\.0\\.1:${hub.port} \\(local loopback\\) · reachable`));
  });

  it('`gateway probe` finds it reachable', { timeout: SLOW }, async () => {
    const r = await cli.run(['gateway', 'probe']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Reachable: yes/);
    expect(r.stdout).toMatch(new RegExp(`ws://127\\.0\\.0\\.1:${hub.port}\\s+Connect: ok`));
  });
});

describe('the real node host against our gateway', () => {
  it('shows as a node row and in node.list; when it stops, node.list says offline with when it was last seen, across a restart', { timeout: 300_000 }, async () => {
    const node = await startNodeHost(hub.port, TOKEN);
    let stopped = false;
    try {
      const list = await waitForList(hub, (l) => l.some((e) => e.mode === 'node'), 'the node row');
      const row = list.find((e) => e.mode === 'node')!;
      // The real gateway's node row: client id, device as instance id, role node, reason connect.
      expect(row).toMatchObject({ clientId: 'node-host', mode: 'node', roles: ['node'], reason: 'connect', text: expect.stringMatching(/^Node: .+ · mode node$/) });
      expect(row.instanceId).toBe(row.deviceId);
      expect(row.deviceId).toMatch(/^[0-9a-f]{64}$/);

      const listed = (await cli.call('node.list')) as NodeListPayload;
      const entry = listed.nodes.find((n) => n.nodeId === row.deviceId);
      expect(entry).toMatchObject({ clientId: 'node-host', clientMode: 'node', platform: process.platform, paired: true, connected: true, lastSeenReason: 'connect' });
      expect(entry?.lastConnectedAtMs).toEqual(expect.any(Number));
      // The node host reports its host figures right after connecting.
      expect(entry?.hostStats).toMatchObject({ cpuCount: expect.any(Number), memoryTotalBytes: expect.any(Number), updatedAtMs: expect.any(Number) });

      const beforeStop = Date.now();
      await node.stop();
      stopped = true;
      await waitForList(hub, (l) => l.some((e) => e.mode === 'node' && e.reason === 'disconnect'), 'the node row to say disconnect');
      const after = (await cli.call('node.list')) as NodeListPayload;
      const gone = after.nodes.find((n) => n.nodeId === row.deviceId);
      expect(gone).toMatchObject({ connected: false, paired: true, lastSeenReason: 'disconnect' });
      expect(gone?.lastSeenAtMs).toBeGreaterThanOrEqual(beforeStop);
      expect(gone?.lastDisconnectedAtMs).toBe(gone?.lastSeenAtMs);
      expect(gone?.hostStats).toBeDefined();

      // Remembered across a restart of the gateway, in its data folder; its own id stays too.
      const { instanceId, port } = hub;
      await hub.stop();
      hub = await startHub(port);
      expect(hub.instanceId).toBe(instanceId);
      const restarted = (await cli.call('node.list')) as NodeListPayload;
      expect(restarted.nodes.find((n) => n.nodeId === row.deviceId)).toMatchObject({ connected: false, lastSeenAtMs: gone?.lastSeenAtMs });
    } finally {
      if (!stopped) await node.stop();
    }
  });
});
