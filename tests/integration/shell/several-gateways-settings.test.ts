/**
 * Settings for several gateways (issue 14) through the real core: the list
 * survives a restart, each gateway gets only its own secret, no secret ever
 * reaches what the window reads (settings or snapshots), and removing a gateway
 * removes its secret. Real WebSocket gateways (scripted) record every connect.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InstancesService } from '../../../main/core/instances-service.js';
import { FileSecretStore } from '../../../main/core/settings-store.js';
import { ScriptedGateway } from '../../helpers/scripted-gateway.js';
import { tempDir } from '../../helpers/test-client.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function gateway(): Promise<ScriptedGateway & { tokens(): Array<string | undefined> }> {
  const gw = await ScriptedGateway.start();
  cleanups.push(() => gw.stop());
  return Object.assign(gw, { tokens: () => gw.requests.filter((r) => r.method === 'connect').map((r) => (r.params as { auth?: { token?: string } }).auth?.token) });
}

async function core(dataDir: string, home: string): Promise<InstancesService> {
  const s = new InstancesService({ dataDir, secrets: new FileSecretStore(dataDir), idleSeconds: () => undefined, env: {}, home, clientOverrides: { backoff: { baseMs: 50, maxMs: 200 } } });
  await s.start();
  cleanups.push(() => s.stop());
  return s;
}

const connectedIds = (s: InstancesService) => s.snapshot().gateways.filter((g) => g.connection.kind === 'connected').map((g) => g.id);

describe('several gateways in settings', () => {
  it('keeps the list across a restart, gives each gateway only its own secret, and never shows a secret to the window', async () => {
    const home = await gateway();
    const work = await gateway();
    const dataDir = tempDir('claw-several-');
    const homeDir = tempDir('claw-several-home-');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }), () => rmSync(homeDir, { recursive: true, force: true }));

    const first = await core(dataDir, homeDir);
    const saved = await first.saveSettings({
      gateways: [
        { kind: 'remote', name: 'work', url: work.url, secret: 'tok-work-81f2', colour: '#009e73' },
        { kind: 'builtin', run: 'on' },
        { kind: 'remote', name: 'home', url: home.url, secret: 'tok-home-77c1', beacon: false },
      ],
    });
    expect(saved.ok).toBe(true);
    await expect.poll(() => connectedIds(first).length, { timeout: 10_000 }).toBe(3);
    // A gateway with nothing new hands out the same view object, so the stream skips it.
    const a = first.snapshot();
    expect(first.snapshot().gateways.every((g, i) => g === a.gateways[i])).toBe(true);
    expect(new Set(home.tokens())).toEqual(new Set(['tok-home-77c1']));
    expect(new Set(work.tokens())).toEqual(new Set(['tok-work-81f2']));
    // Home's beacon switch is off: it is watched, never beaconed to.
    expect(home.requests.filter((r) => r.method === 'system-event')).toEqual([]);
    await expect.poll(() => work.requests.filter((r) => r.method === 'system-event').length).toBeGreaterThan(0);
    const before = first.getSettings();
    for (const seen of [JSON.stringify(before), JSON.stringify(first.snapshot())]) {
      expect(seen).not.toContain('tok-work-81f2');
      expect(seen).not.toContain('tok-home-77c1');
    }
    await first.stop();

    // A new core on the same folder: the same list, in order, with both secrets, each to its own gateway.
    const homeConnects = home.tokens().length;
    const workConnects = work.tokens().length;
    const second = await core(dataDir, homeDir);
    expect(second.getSettings()).toEqual(before);
    expect(second.getSettings().gateways.map((g) => [g.name, g.kind, g.hasSecret, g.beacon])).toEqual([
      ['work', 'remote', true, true],
      ['Built-in', 'builtin', false, true],
      ['home', 'remote', true, false],
    ]);
    expect(second.gatewayIds).toEqual(before.gateways.map((g) => g.id));
    await expect.poll(() => connectedIds(second).length, { timeout: 10_000 }).toBe(3);
    expect(home.tokens().slice(homeConnects)).toEqual(home.tokens().slice(homeConnects).map(() => 'tok-home-77c1'));
    expect(work.tokens().slice(workConnects)).toEqual(work.tokens().slice(workConnects).map(() => 'tok-work-81f2'));

    // Removing work removes its secret from the store; home's stays.
    const homeId = before.gateways[2]!.id;
    await second.saveSettings({ gateways: [{ kind: 'builtin' }, { kind: 'remote', id: homeId, url: home.url }] });
    const secrets = JSON.parse(readFileSync(path.join(dataDir, 'gateway-secret'), 'utf8')) as { gateways: Record<string, { url: string; secret: string }> };
    expect(secrets.gateways).toEqual({ [homeId]: { url: home.url, secret: 'tok-home-77c1' } });
    expect(second.gatewayIds).toEqual(['builtin', homeId]);
  });

  it('refuses an id the list does not hold, and a gateway given twice, changing nothing', async () => {
    const dataDir = tempDir('claw-several-bad-');
    const homeDir = tempDir('claw-several-bad-home-');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }), () => rmSync(homeDir, { recursive: true, force: true }));
    const s = await core(dataDir, homeDir);
    const before = s.getSettings();
    expect(await s.saveSettings({ gateways: [{ kind: 'remote', id: 'gw-nope', url: 'ws://127.0.0.1:1' }] })).toEqual({ ok: false, error: 'no saved gateway has the id gw-nope' });
    expect(await s.saveSettings({ gateways: [{ kind: 'builtin' }, { kind: 'builtin' }] })).toEqual({ ok: false, error: 'the built-in gateway is listed twice' });
    expect(await s.saveSettings({ gateways: [{ kind: 'remote', url: 'ws://127.0.0.1:9/' }, { kind: 'remote', url: 'ws://127.0.0.1:9' }] })).toEqual({ ok: false, error: 'ws://127.0.0.1:9 is listed twice' });
    expect(s.getSettings()).toEqual(before);
  });
});
