/**
 * The Linux idle path for real: an X server (Xvfb), the MIT-SCREEN-SAVER idle
 * counter read through xprintidle, and synthetic input from xdotool.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { linuxIdleProbe } from '../../../main/system/idle/idle-probes.js';
import { IdleTime } from '../../../main/system/idle/idle-time.js';
import { HubServer } from '../../../main/hub/hub-server.js';
import { loadOrCreateIdentity } from '../../../main/client/identity.js';
import { tempDir, testClient, waitForSnapshot } from '../../helpers/test-client.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');
const TOOLS = ['Xvfb', 'xprintidle', 'xdotool'];

function requireTools(): void {
  const missing = TOOLS.filter((tool) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  // Fail, never skip: a machine without these would otherwise pass without testing anything.
  if (missing.length) throw new Error(`missing ${missing.join(', ')}: run bash scripts/install-system-deps.sh`);
}

/**
 * Starts Xvfb on the first free display; it tells us which through -displayfd.
 * `-noreset`: an X server resets (and zeroes its idle counter, refusing clients
 * meanwhile) each time its last client leaves. A desktop always has clients (the
 * window manager); here each xprintidle is the only one.
 */
async function startXvfb(): Promise<{ xvfb: ChildProcess; display: string }> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-noreset', '-screen', '0', '640x480x24'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it was ready`)));
    xvfb.once('error', reject);
  });
  return { xvfb, display };
}

describe('Linux idle time under X11', () => {
  let xvfb: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    requireTools();
    const started = await startXvfb();
    xvfb = started.xvfb;
    // Only what the probe needs: a display and a PATH; no session type, no logind session.
    env = { PATH: process.env.PATH, DISPLAY: started.display };
  });

  afterAll(async () => {
    if (xvfb && xvfb.exitCode === null) {
      const exited = new Promise((r) => xvfb!.once('exit', r));
      xvfb.kill();
      await exited;
    }
  });

  it('is a number that grows while nothing happens and falls back after input', async () => {
    const probe = linuxIdleProbe({ env });
    const first = await probe();
    expect(typeof first).toBe('number');
    // Wait for the X server's own counter to pass a full second more (it counts, we read).
    let later = first!;
    const deadline = Date.now() + 15_000;
    while (later < first! + 1 && Date.now() < deadline) later = (await probe())!;
    expect(later).toBeGreaterThanOrEqual(first! + 1);

    await run('xdotool', ['mousemove', '--sync', '20', '30'], { env });
    const afterInput = await probe();
    expect(afterInput).toBeLessThan(later);
    expect(afterInput).toBeLessThan(1);
  });

  it('reaches readers through IdleTime, refreshed in the background', async () => {
    const idle = new IdleTime(linuxIdleProbe({ env }), { refreshMs: 200 });
    expect(idle.latest()).toBeUndefined();
    await idle.start();
    try {
      const seen = idle.latest();
      expect(typeof seen).toBe('number');
      await run('xdotool', ['mousemove', '--sync', '40', '50'], { env });
      await idle.refresh();
      expect(idle.latest()).toBeLessThan(1);
    } finally {
      idle.stop();
    }
  });

  it('does not trust X11 on a Wayland session (XWayland misses native input)', async () => {
    // Same live display; the session says Wayland and names no logind session we have.
    const probe = linuxIdleProbe({ env: { ...env, XDG_SESSION_TYPE: 'wayland', XDG_SESSION_ID: 'claw-instances-test-none' } });
    expect(await probe()).toBeUndefined();
  });

  it('the headless beacon sends lastInputSeconds with a display, and none without a way to know', async () => {
    const hub = new HubServer({ self: { host: 'gw', platform: 'linux 6.1', deviceFamily: 'Linux', version: 't' }, token: 'T' });
    await hub.start();
    const dirs = [tempDir('claw-idle-a-'), tempDir('claw-idle-b-'), tempDir('claw-idle-r-')];
    const children: ChildProcess[] = [];
    const reader = testClient({ url: hub.url, token: 'T', dataDir: dirs[2], beacon: false });
    try {
      const beacon = (dataDir: string, extraEnv: NodeJS.ProcessEnv) => {
        // Made before the CLI starts, so both use this one identity.
        const { instanceId } = loadOrCreateIdentity(dataDir);
        const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/beacon-cli.ts', '--gateway', hub.url, '--data-dir', dataDir], {
          cwd: ROOT,
          // No DISPLAY unless given, and a logind session that does not exist: the probe has nothing to ask.
          env: { PATH: process.env.PATH, HOME: process.env.HOME, OPENCLAW_GATEWAY_TOKEN: 'T', XDG_SESSION_ID: 'claw-instances-test-none', ...extraEnv },
          stdio: 'ignore',
        });
        children.push(child);
        return instanceId;
      };
      const withDisplay = beacon(dirs[0]!, { DISPLAY: env.DISPLAY });
      const without = beacon(dirs[1]!, {});
      reader.client.start();
      const s = await waitForSnapshot(
        reader.client,
        (snap) => [withDisplay, without].every((id) => snap.entries.some((e) => e.instanceId === id && e.reason === 'launch')),
        30_000,
        'both beacons',
      );
      const row = (id: string) => s.entries.find((e) => e.instanceId === id)!;
      expect(typeof row(withDisplay).lastInputSeconds).toBe('number');
      expect(row(withDisplay).lastInputSeconds).toBeLessThan(60);
      expect(row(without)).not.toHaveProperty('lastInputSeconds');
    } finally {
      for (const c of children) c.kill('SIGKILL');
      await reader.client.stop();
      await hub.stop('test done');
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });
});
