/**
 * Memory per gateway connection, in a process of its own (bench/core-storm.ts
 * starts it with `--expose-gc`): connects 1, then 11, then 51 presence clients
 * to a gateway holding a full list, and reads the heap after GC and the RSS at
 * each step. What each extra connection costs is the growth divided by the
 * connections added. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateIdentity } from '../main/client/identity.js';
import { PresenceClient } from '../main/client/presence-client.js';

export interface MemoryStep {
  readonly clients: number;
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
}

const [url, token, entriesArg] = process.argv.slice(2) as [string, string, string];
const wantEntries = Number(entriesArg);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function settle(): MemoryStep & { clients: 0 } {
  for (let i = 0; i < 3; i += 1) gc!();
  const m = process.memoryUsage();
  return { clients: 0, heapUsedBytes: m.heapUsed, rssBytes: m.rss };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'claw-bench-mem-'));
const clients: PresenceClient[] = [];
try {
  const identity = loadOrCreateIdentity(dataDir);
  const connectOne = () =>
    new Promise<void>((resolve) => {
      const client = new PresenceClient({
        gateway: { url, token: token || undefined, kind: 'remote' },
        identity,
        version: '0.0.0-bench',
        hostInfo: () => ({ host: 'mem-bench', ip: '10.0.0.1', platform: 'linux 6.1.0', deviceFamily: 'Linux', modelIdentifier: 'Bench' }),
        idleSeconds: () => undefined,
      });
      const off = client.subscribe((s) => {
        if (s.entries.length >= wantEntries) {
          off();
          resolve();
        }
      });
      clients.push(client);
      client.start();
    });
  const steps: MemoryStep[] = [];
  for (const n of [1, 11, 51]) {
    while (clients.length < n) await connectOne();
    // Let answers in flight (node.list, system.info, the first beacon) land before reading.
    await new Promise((r) => setTimeout(r, 2000));
    steps.push({ ...settle(), clients: n });
  }
  console.log(JSON.stringify({ steps }));
} finally {
  await Promise.all(clients.map((c) => c.stop()));
  rmSync(dataDir, { recursive: true, force: true });
}
