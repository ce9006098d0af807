/**
 * A gone machine stays listed after an app restart: a real InstancesService
 * against our hub (with a short TTL), a real beacon client that stops, its entry
 * expires, the service remembers it (the fold makes it Gone), and a new service
 * on the same data folder still has it, with its history; Forget removes it.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { InstancesService } from '../../../main/core/instances-service.js';
import { FileSecretStore } from '../../../main/core/settings-store.js';
import { HubServer } from '../../../main/hub/hub-server.js';
import type { GatewayView } from '../../../shared/ipc/contract.js';
import { onlyGateway } from '../../helpers/view-snapshot.js';
import { foldMachines, machineStatus } from '../../../shared/view/machines.js';
import { tempDir, testClient, waitForSnapshot } from '../../helpers/test-client.js';

const TOKEN = 'hist-token';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function service(dataDir: string, home: string, url: string): InstancesService {
  const s = new InstancesService({
    dataDir,
    secrets: new FileSecretStore(dataDir),
    idleSeconds: () => undefined,
    env: { OPENCLAW_GATEWAY_URL: url, OPENCLAW_GATEWAY_TOKEN: TOKEN },
    home,
    hostInfo: () => ({ host: 'viewer', ip: '10.0.0.9', platform: 'linux 6.1.0', deviceFamily: 'Linux', modelIdentifier: 'Viewer' }),
    // The viewer beacons faster than the short TTL, so only the stopped client expires.
    clientOverrides: { beaconIntervalMs: 300, pollIntervalMs: 300, backoff: { baseMs: 100, maxMs: 500 } },
  });
  cleanups.push(() => s.stop());
  return s;
}

/** The service's one gateway (here: the environment's), once `match` holds. */
function waitFor(s: InstancesService, match: (x: GatewayView) => boolean, what: string, timeoutMs = 15_000): Promise<GatewayView> {
  return new Promise((resolve, reject) => {
    const check = (snapshot: Parameters<Parameters<InstancesService['subscribe']>[0]>[0]) => {
      const x = onlyGateway(snapshot);
      if (!match(x)) return false;
      clearTimeout(timer);
      unsubscribe();
      resolve(x);
      return true;
    };
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}; last: ${JSON.stringify(s.snapshot()).slice(0, 2000)}`));
    }, timeoutMs);
    const unsubscribe = s.subscribe(check);
    check(s.snapshot());
  });
}

/** The machine view's verdict on the machine whose host is `host`. */
function statusOf(s: GatewayView, host: string) {
  const machines = foldMachines({
    entries: s.entries,
    ...(s.remembered ? { remembered: s.remembered } : {}),
    ...(s.known?.nodes ? { nodes: s.known.nodes } : {}),
    selfDeviceId: s.self.deviceId,
  });
  const m = machines.find((x) => x.fields.host === host);
  return m ? { key: m.key, ...machineStatus(m, s.gatewayNowMs, s.statusThresholds) } : undefined;
}

describe('history through the app core', () => {
  it('a beacon client that stops and expires is Gone, and still there after a restart, until forgotten', async () => {
    const hub = new HubServer({ self: { host: 'hub', version: '0.1.0' }, token: TOKEN, limits: { ttlMs: 1500, maxEntries: 200 } });
    await hub.start();
    cleanups.push(() => hub.stop());
    const dataDir = tempDir('claw-history-svc-');
    const home = tempDir('claw-history-home-');
    const beaconDir = tempDir('claw-history-beacon-');
    cleanups.push(() => {
      for (const d of [dataDir, home, beaconDir]) rmSync(d, { recursive: true, force: true });
    });

    const first = service(dataDir, home, hub.url);
    await first.start();
    const beacon = testClient({ url: hub.url, token: TOKEN, dataDir: beaconDir, host: { host: 'leaver' }, beaconIntervalMs: 300 }).client;
    beacon.start();
    cleanups.push(() => beacon.stop());
    await waitFor(first, (s) => statusOf(s, 'leaver')?.status === 'active', 'the beacon client, Active');
    await waitForSnapshot(beacon, (s) => s.lastBeacon?.ok === true);
    await beacon.stop();

    // Its entry expires after the TTL; the history keeps it.
    const gone = await waitFor(first, (s) => !s.entries.some((e) => e.host === 'leaver') && statusOf(s, 'leaver')?.status === 'gone', 'the beacon client, Gone');
    const leaver = statusOf(gone, 'leaver')!;
    const remembered = gone.remembered!.find((m) => m.key === leaver.key)!;
    expect(remembered.entry).toMatchObject({ host: 'leaver', ip: '10.20.30.40' });
    expect(leaver.sinceMs).toBe(remembered.lastSeenAtMs);
    await first.stop();

    // A new app on the same data folder: the Gone machine is there before and after the list arrives.
    const second = service(dataDir, home, hub.url);
    await second.start();
    const early = await waitFor(second, (s) => s.remembered?.some((m) => m.key === leaver.key) === true, 'the remembered machine after restart');
    expect(early.remembered!.find((m) => m.key === leaver.key)!.lastSeenAtMs).toBe(remembered.lastSeenAtMs);
    const listed = await waitFor(second, (s) => s.listVersion > 0 && s.entries.some((e) => e.host === 'viewer'), 'the list after restart');
    expect(statusOf(listed, 'leaver')).toMatchObject({ key: leaver.key, status: 'gone' });
    const history = await second.getMachineHistory(`${early.id}/${leaver.key}`);
    expect(history.statusChanges.map((c) => c.status)).toEqual(['active', 'gone']);
    expect(history.lastSeenAtMs).toBe(remembered.lastSeenAtMs);

    await second.forgetMachine(`${early.id}/${leaver.key}`);
    const after = await waitFor(second, (s) => !(s.remembered ?? []).some((m) => m.key === leaver.key), 'the forgotten machine gone from the snapshot');
    expect(statusOf(after, 'leaver')).toBeUndefined();
    expect((await second.getMachineHistory(`${early.id}/${leaver.key}`)).statusChanges).toEqual([]);
  });
});
