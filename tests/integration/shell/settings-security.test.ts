/**
 * Issue 12 attacks on the app core's settings, performed for real: the real
 * InstancesService, its files on disk, and real WebSocket gateways (scripted)
 * that record every connect and count live sockets.
 */
import { onlyGateway } from '../../helpers/view-snapshot.js';
import { readdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InstancesService, type InstancesServiceOptions } from '../../../main/core/instances-service.js';
import { FileSecretStore } from '../../../main/core/settings-store.js';
import { ScriptedGateway } from '../../helpers/scripted-gateway.js';
import { tempDir } from '../../helpers/test-client.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function temp(prefix: string): string {
  const dir = tempDir(prefix);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function service(o: Partial<InstancesServiceOptions> = {}): Promise<{ service: InstancesService; dataDir: string; logs: string[] }> {
  const dataDir = o.dataDir ?? temp('claw-settings-');
  const logs: string[] = [];
  const s = new InstancesService({
    dataDir,
    secrets: new FileSecretStore(dataDir),
    idleSeconds: () => undefined,
    env: {},
    home: temp('claw-settings-home-'),
    clientOverrides: { backoff: { baseMs: 50, maxMs: 200 } },
    log: (l) => logs.push(l),
    ...o,
  });
  await s.start();
  cleanups.push(() => s.stop());
  return { service: s, dataDir, logs };
}

/** A real gateway that counts its live sockets and remembers the most it ever had at once. */
async function countingGateway(): Promise<ScriptedGateway & { live(): number; maxLive(): number; connects(): Array<{ auth?: { token?: string; password?: string } }> }> {
  const gw = await ScriptedGateway.start();
  cleanups.push(() => gw.stop());
  let live = 0;
  let max = 0;
  gw.wss.on('connection', (socket) => {
    live += 1;
    max = Math.max(max, live);
    socket.on('close', () => (live -= 1));
  });
  return Object.assign(gw, {
    live: () => live,
    maxLive: () => max,
    connects: () => gw.requests.filter((r) => r.method === 'connect').map((r) => r.params as { auth?: { token?: string; password?: string } }),
  });
}

const connected = (s: InstancesService) => onlyGateway(s.snapshot()).connection.kind === 'connected';

/** The saved remote gateway (these tests keep one), as Settings shows it. */
const remote = (s: InstancesService) => s.getSettings().gateways.find((g) => g.kind === 'remote' && g.editable);

/**
 * Points the one saved gateway at `url`, as the Settings dialog does when the user edits it:
 * the same gateway (same id) with a new URL, and a secret only if one is typed.
 */
function useGateway(s: InstancesService, url: string, extra: { secret?: string | null; authKind?: 'token' | 'password' } = {}) {
  const id = remote(s)?.id;
  return s.saveSettings({ gateways: [{ kind: 'remote', ...(id ? { id } : {}), url, ...extra }] });
}

/** Removes every saved gateway: the built-in one runs again. */
const useBuiltIn = (s: InstancesService) => s.saveSettings({ gateways: [] });

describe('a saved secret belongs to its URL (V1)', () => {
  it('sends no token to a new URL saved without one, and says none is saved', async () => {
    const first = await countingGateway();
    const attacker = await countingGateway();
    const { service: s } = await service();
    expect(await useGateway(s, first.url, { secret: 'tok-for-first' })).toMatchObject({ ok: true });
    expect(remote(s)).toMatchObject({ url: first.url, hasSecret: true });
    await expect.poll(() => first.connects().length).toBeGreaterThan(0);
    expect(first.connects()[0]!.auth).toEqual({ token: 'tok-for-first' });

    expect(await useGateway(s, attacker.url)).toMatchObject({ ok: true });
    expect(remote(s)).toMatchObject({ url: attacker.url, hasSecret: false });
    await expect.poll(() => attacker.connects().length).toBeGreaterThan(0);
    expect(attacker.connects().map((c) => c.auth)).toEqual(attacker.connects().map(() => undefined));

    // Going back doesn't bring it back either: it was forgotten, not parked.
    await useGateway(s, first.url);
    await expect.poll(() => first.connects().length).toBeGreaterThan(1);
    expect(first.connects().at(-1)!.auth).toBeUndefined();
  });

  it('keeps the secret while the URL stays, and binds a new one to the new URL', async () => {
    const a = await countingGateway();
    const b = await countingGateway();
    const { service: s, dataDir } = await service();
    await useGateway(s, a.url, { secret: 'tok-a' });
    await s.saveSettings({ shareActivity: false, beaconIntervalSeconds: 30 });
    await useGateway(s, a.url, { authKind: 'token' });
    expect(remote(s)?.hasSecret).toBe(true);
    await useGateway(s, b.url, { secret: 'tok-b' });
    await expect.poll(() => b.connects().length).toBeGreaterThan(0);
    expect(b.connects()[0]!.auth).toEqual({ token: 'tok-b' });
    expect(JSON.parse(readFileSync(path.join(dataDir, 'gateway-secret'), 'utf8'))).toEqual({ v: 2, gateways: { [remote(s)!.id]: { url: b.url, secret: 'tok-b' } } });
  });

  it('binds a secret saved by an older version (plain text) to the URL it was saved with', async () => {
    const a = await countingGateway();
    const b = await countingGateway();
    const dataDir = temp('claw-settings-legacy-');
    writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ gatewayUrl: a.url }), { mode: 0o600 });
    writeFileSync(path.join(dataDir, 'gateway-secret'), 'legacy-token', { mode: 0o600 });
    const { service: s } = await service({ dataDir });
    await expect.poll(() => a.connects().length).toBeGreaterThan(0);
    expect(a.connects()[0]!.auth).toEqual({ token: 'legacy-token' });
    // A hand edit of the URL no longer carries the secret along.
    writeFileSync(path.join(dataDir, 'settings.json'), readFileSync(path.join(dataDir, 'settings.json'), 'utf8').replace(a.url, b.url), { mode: 0o600 });
    await s.saveSettings({ beaconIntervalSeconds: 45 });
    await expect.poll(() => b.connects().length).toBeGreaterThan(0);
    expect(b.connects()[0]!.auth).toBeUndefined();
  });
});

describe('settings changes are serialised (V8)', () => {
  it('leaves exactly one live connection after 20 concurrent saves, never two at once, and none after going back to the built-in gateway', async () => {
    const gw = await countingGateway();
    const { service: s } = await service();
    // Twenty different URLs for one real server: each save is a change of gateway.
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.saveSettings({ gateways: [{ kind: 'remote', url: `${gw.url}/?n=${i}`, secret: `tok-${i}` }] })));
    expect(results.every((r) => r.ok)).toBe(true);
    await expect.poll(() => connected(s), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => gw.live()).toBe(1);
    expect(gw.maxLive()).toBe(1);
    // The last save won, with its own token.
    expect(remote(s)?.url).toBe(`${gw.url}/?n=19`);
    expect(gw.connects().at(-1)!.auth).toEqual({ token: 'tok-19' });

    await useBuiltIn(s);
    await expect.poll(() => gw.live()).toBe(0);
    await expect.poll(() => connected(s), { timeout: 10_000 }).toBe(true);
    expect(onlyGateway(s.snapshot()).gateway.kind).toBe('embedded');
    expect(s.hub).toBeDefined();
    const total = gw.connects().length;
    // Nothing reconnects to the old gateway later either.
    await s.refresh();
    expect(gw.live()).toBe(0);
    expect(gw.connects().length).toBe(total);
  });

  it('closes a client still in its handshake before the next one starts', async () => {
    // A gateway that never answers connect: the first client hangs in its handshake.
    const silent = await ScriptedGateway.start();
    cleanups.push(() => silent.stop());
    let silentLive = 0;
    silent.wss.removeAllListeners('connection');
    silent.wss.on('connection', (socket) => {
      silentLive += 1;
      socket.on('close', () => (silentLive -= 1));
    });
    const { service: s } = await service();
    await useGateway(s, silent.url);
    await expect.poll(() => silentLive).toBe(1);
    // The switch doesn't wait out the old handshake's 10 s timeout: the old socket is dropped at once.
    const startedAt = performance.now();
    await useBuiltIn(s);
    expect(performance.now() - startedAt).toBeLessThan(3_000);
    await expect.poll(() => silentLive).toBe(0);
    await expect.poll(() => connected(s), { timeout: 10_000 }).toBe(true);
  });
});

describe('no credentials in gateway URLs (V9)', () => {
  it('refuses ws://user:secret@host from Settings with a clear error and stores nothing of it', async () => {
    const gw = await countingGateway();
    const { service: s, dataDir } = await service();
    const url = gw.url.replace('ws://', 'ws://user:hunter2@');
    const result = await useGateway(s, url);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/remove the user name and password from the URL/) });
    expect(remote(s)).toBeUndefined();
    // Every file in the data folder, the built-in gateway's own folder included.
    for (const f of readdirSync(dataDir, { recursive: true, encoding: 'utf8' })) {
      if (statSync(path.join(dataDir, f)).isFile()) expect(readFileSync(path.join(dataDir, f), 'utf8'), f).not.toContain('hunter2');
    }
    expect(gw.connects()).toEqual([]);
    expect((await useGateway(s, 'ws://:pw@127.0.0.1:1')).ok).toBe(false);
  });

  it('refuses it from OPENCLAW_GATEWAY_URL: says why, connects nowhere, shows and logs it redacted', async () => {
    const gw = await countingGateway();
    const { service: s, logs } = await service({ env: { OPENCLAW_GATEWAY_URL: gw.url.replace('ws://', 'ws://user:hunter2@') } });
    const snap = s.snapshot();
    expect(onlyGateway(snap).connection).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/remove the user name and password/) });
    expect(JSON.stringify(snap)).not.toContain('hunter2');
    expect(logs.join('\n')).not.toContain('hunter2');
    expect(logs.join('\n')).toContain('***@127.0.0.1');
    expect(s.getSettings().gateways.find((g) => g.source === 'environment')).toMatchObject({ editable: false, url: expect.stringContaining('***@127.0.0.1') });
    expect(gw.connects()).toEqual([]);
    expect(s.hub).toBeUndefined();
  });
});

describe('URLs in what the window shows and the logs (V9)', () => {
  it('hides query values (a proxy token) in snapshots and logs', async () => {
    const gw = await countingGateway();
    const { service: s, logs } = await service();
    await useGateway(s, `${gw.url}/?access_token=qs-secret-123`);
    await expect.poll(() => connected(s), { timeout: 10_000 }).toBe(true);
    const snap = s.snapshot();
    expect(onlyGateway(snap).gateway.url).toBe(`${gw.url}/?access_token=***`);
    expect(JSON.stringify(snap)).not.toContain('qs-secret-123');
    expect(logs.join('\n')).not.toContain('qs-secret-123');
    expect(logs.some((l) => l.includes('access_token=***'))).toBe(true);
  });
});

describe('settings on disk', () => {
  it('moves a damaged settings file aside and says so, instead of silently resetting it', async () => {
    const dataDir = temp('claw-settings-damaged-');
    writeFileSync(path.join(dataDir, 'settings.json'), '{"gatewayUrl": "ws://127.0.0.1:1", oops', { mode: 0o600 });
    const { service: s, logs } = await service({ dataDir });
    expect(remote(s)).toBeUndefined();
    const aside = readdirSync(dataDir).filter((f) => f.startsWith('settings.json.damaged-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(dataDir, aside[0]!), 'utf8')).toContain('oops');
    expect(logs.some((l) => l.includes('settings.json was unreadable') && l.includes(aside[0]!))).toBe(true);
    await s.saveSettings({ beaconIntervalSeconds: 30 });
    expect(JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ beaconIntervalSeconds: 30 });
  });
});
