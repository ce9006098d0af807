/**
 * Our real presence client, set up for tests: its identity in a temporary
 * folder, fixed host facts (so rows are recognisable), quick retries.
 */
import type { InstancesSnapshot } from '../../shared/client/view-state.js';
import { loadOrCreateIdentity } from '../../main/client/identity.js';
import { PresenceClient, type PresenceClientOptions } from '../../main/client/presence-client.js';
import type { HostInfo } from '../../main/system/host-info.js';
import { tempDir } from './temp-dirs.js';

export { tempDir };

export interface TestClientOptions extends Partial<Omit<PresenceClientOptions, 'identity' | 'hostInfo'>> {
  readonly url: string;
  readonly token?: string;
  readonly dataDir?: string;
  readonly host?: Partial<HostInfo>;
  readonly idle?: number;
}

export function testClient(o: TestClientOptions): { client: PresenceClient; dataDir: string; host: HostInfo; logs: string[] } {
  const dataDir = o.dataDir ?? tempDir();
  const identity = loadOrCreateIdentity(dataDir);
  const host: HostInfo = { host: 'test-box', ip: '10.20.30.40', platform: 'linux 6.1.0', deviceFamily: 'Linux', modelIdentifier: 'TestModel1,1', ...o.host };
  const logs: string[] = [];
  const client = new PresenceClient({
    gateway: { url: o.url, token: o.token, kind: 'remote' },
    identity,
    version: o.version ?? '0.1.0-test',
    hostInfo: () => host,
    idleSeconds: () => o.idle,
    backoff: { baseMs: 100, maxMs: 1000 },
    log: (line) => logs.push(line),
    ...o,
  });
  return { client, dataDir, host, logs };
}

/** Resolves with the first snapshot (current or future) that matches. */
export function waitForSnapshot(client: PresenceClient, match: (s: InstancesSnapshot) => boolean, timeoutMs = 15_000, what = 'snapshot'): Promise<InstancesSnapshot> {
  return new Promise((resolve, reject) => {
    const now = client.snapshot();
    if (match(now)) {
      resolve(now);
      return;
    }
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}; last: ${JSON.stringify(client.snapshot()).slice(0, 1500)}`));
    }, timeoutMs);
    const unsubscribe = client.subscribe((s) => {
      if (match(s)) {
        clearTimeout(timer);
        unsubscribe();
        resolve(s);
      }
    });
  });
}
