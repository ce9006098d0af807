/**
 * node.list and system.info from the REAL OpenClaw gateway (2026.9.6): its
 * answers pass our edge schemas and land in `snapshot.known`, with a real
 * `openclaw node run` host in the list, online and then offline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureOpenClawInstalled, startRealGateway, type RealGateway } from '../../helpers/openclaw/harness.js';
import { tempDir, testClient, waitForSnapshot } from '../../helpers/test-client.js';

let gw: RealGateway;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  gw = await startRealGateway();
});
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await gw?.stop();
});

/** `openclaw node run` against the gateway, in its own HOME (so its own device identity). */
function startNodeHost(): { child: ChildProcess; stop: () => Promise<void> } {
  const p = ensureOpenClawInstalled();
  const home = mkdtempSync(path.join(os.tmpdir(), 'openclaw-node-home-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|NODE_ENV$|TEST$|JEST)/.test(k)) env[k] = v;
  const child = spawn(p.node, [p.entry, 'node', 'run', '--host', '127.0.0.1', '--port', String(gw.port)], {
    env: { ...env, HOME: home, OPENCLAW_GATEWAY_TOKEN: gw.token, PATH: `${p.nodeBin}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

describe('known machines from the real gateway', () => {
  it('node.list and system.info parse and land in the snapshot; a node host shows, then shows offline', async () => {
    const dataDir = tempDir();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const { client, logs } = testClient({ url: gw.url, token: gw.token, dataDir, beacon: false, knownReadIntervalMs: 200, pollIntervalMs: 1000 });
    client.start();
    cleanups.push(() => client.stop());

    const first = await waitForSnapshot(client, (s) => s.known?.nodes !== undefined && s.known.gatewayHostStats !== undefined, 30_000, 'node.list and system.info');
    expect(first.known?.note).toBeUndefined();
    const stats = first.known!.gatewayHostStats!;
    expect(stats.cpuCount).toBeGreaterThan(0);
    expect(stats.loadAverage).toHaveLength(3);
    expect(stats.memoryTotalBytes).toBeGreaterThan(stats.memoryFreeBytes ?? Number.POSITIVE_INFINITY);
    expect(logs.filter((l) => /node\.list|system\.info/.test(l))).toEqual([]);

    const host = startNodeHost();
    cleanups.push(() => host.stop());
    const online = await waitForSnapshot(client, (s) => (s.known?.nodes ?? []).some((n) => n.connected === true), 60_000, 'the node host in node.list');
    const node = online.known!.nodes!.find((n) => n.connected === true)!;
    expect(node).toMatchObject({ nodeId: expect.any(String), clientId: 'node-host', clientMode: 'node', paired: true });
    // Its presence row is keyed by the same device id, which is what folds node and row into one machine.
    expect(online.entries.some((e) => e.deviceId === node.nodeId || e.instanceId === node.nodeId)).toBe(true);

    await host.stop();
    const offline = await waitForSnapshot(client, (s) => (s.known?.nodes ?? []).some((n) => n.nodeId === node.nodeId && n.connected === false), 30_000, 'the node host offline');
    const gone = offline.known!.nodes!.find((n) => n.nodeId === node.nodeId)!;
    expect(gone.lastSeenAtMs ?? gone.lastDisconnectedAtMs).toEqual(expect.any(Number));
    expect(offline.connection.kind).toBe('connected');
  });
});
