/**
 * The gateway killed hard (SIGKILL, no shutdown event) and restarted: the client
 * reconnects within its backoff, beacons, and its row returns, once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/openclaw/harness.js';
import { testClient, waitForSnapshot } from '../../helpers/test-client.js';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

async function startHubProcess(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/gateway-cli.ts', '--port', String(port), '--token', 'K'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => /listening/.test(d.toString()) && resolve());
    child.once('exit', (code) => reject(new Error(`gateway exited ${code}`)));
  });
  return child;
}

describe('gateway killed hard', () => {
  it('reconnects within the backoff cap after a restart, beacons, and shows one row', async () => {
    const port = await freePort();
    let hub = await startHubProcess(port);
    const maxBackoffMs = 1000;
    const { client } = testClient({ url: `ws://127.0.0.1:${port}`, token: 'K', host: { host: 'lazarus' }, backoff: { baseMs: 100, maxMs: maxBackoffMs } });
    client.start();
    try {
      await waitForSnapshot(client, (s) => s.lastBeacon?.ok === true);
      hub.kill('SIGKILL');
      const down = await waitForSnapshot(client, (s) => s.connection.kind === 'reconnecting', 10_000, 'reconnecting');
      expect(down.entries.some((e) => e.host === 'lazarus')).toBe(true);
      hub = await startHubProcess(port);
      const upAt = Date.now();
      const back = await waitForSnapshot(client, (s) => s.connection.kind === 'connected' && s.lastBeacon?.reason === 'connect' && s.lastBeacon.ok, 15_000, 'back');
      // The next retry comes at most one capped backoff after the gateway is back (plus handshake time).
      expect(Date.now() - upAt).toBeLessThan(maxBackoffMs + 2000);
      await client.refresh();
      expect(client.snapshot().entries.filter((e) => e.host === 'lazarus')).toHaveLength(1);
      expect(back.connection.kind).toBe('connected');
    } finally {
      await client.stop();
    }
  });
});
