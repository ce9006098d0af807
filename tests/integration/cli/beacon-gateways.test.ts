/**
 * `beacon` with several gateways, as a real process against two of our hubs and a
 * port with nothing listening (issue 14, item 5). Each hub sits behind a
 * recording proxy: a real WebSocket relay that keeps every frame the CLI sent,
 * so the tests can say exactly which secret went over which wire.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HubServer } from '../../../main/hub/hub-server.js';
import { loadOrCreateIdentity } from '../../../main/client/identity.js';
import type { PresenceClient } from '../../../main/client/presence-client.js';
import { tempDir, testClient, waitForSnapshot } from '../../helpers/test-client.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TOKEN_A = 'hub-a-token-3f9c1d';

/** A WebSocket relay in front of a gateway that records every text frame the client sends. */
class RecordingProxy {
  readonly frames: string[] = [];
  readonly #live = new Set<WebSocket>();
  #onEmpty: Array<() => void> = [];

  private constructor(
    readonly wss: WebSocketServer,
    upstreamUrl: string,
  ) {
    wss.on('connection', (client) => {
      this.#live.add(client);
      const upstream = new WebSocket(upstreamUrl);
      const queued: Array<{ data: Buffer; binary: boolean }> = [];
      upstream.on('open', () => {
        for (const q of queued.splice(0)) upstream.send(q.data, { binary: q.binary });
      });
      upstream.on('message', (data: Buffer, binary) => client.send(data, { binary }));
      upstream.on('close', () => client.close());
      upstream.on('error', () => client.terminate());
      client.on('message', (data: Buffer, binary) => {
        if (!binary) this.frames.push(data.toString());
        if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary });
        else queued.push({ data, binary });
      });
      client.on('close', () => {
        upstream.close();
        this.#live.delete(client);
        if (this.#live.size === 0) for (const resolve of this.#onEmpty.splice(0)) resolve();
      });
    });
  }

  static async start(upstreamUrl: string): Promise<RecordingProxy> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    return new RecordingProxy(wss, upstreamUrl);
  }

  get port(): number {
    return (this.wss.address() as AddressInfo).port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get clients(): number {
    return this.#live.size;
  }

  /** The `auth` of every `connect` request that went through. */
  connectAuths(): Array<{ token?: string; password?: string } | undefined> {
    return this.frames
      .map((f) => JSON.parse(f) as { method?: string; params?: { auth?: { token?: string; password?: string } } })
      .filter((f) => f.method === 'connect')
      .map((f) => f.params?.auth);
  }

  /** Resolves once no client is connected through the proxy. */
  noClients(): Promise<void> {
    return this.#live.size === 0 ? Promise.resolve() : new Promise((resolve) => this.#onEmpty.push(resolve));
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise((resolve) => this.wss.close(resolve));
  }
}

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

function beacon(args: string[], env: NodeJS.ProcessEnv = {}): Cli {
  const clean = { ...process.env };
  delete clean.OPENCLAW_GATEWAY_TOKEN;
  delete clean.OPENCLAW_GATEWAY_PASSWORD;
  delete clean.OPENCLAW_GATEWAY_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/beacon-cli.ts', ...args], { cwd: ROOT, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves when stderr matches, on the data event that makes it match. */
function waitForStderr(c: Cli, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = c.stderr().match(pattern);
      if (m) {
        done();
        resolve(m);
      }
    };
    const onExit = () => {
      done();
      reject(new Error(`the CLI exited before ${pattern}; stdout: ${c.stdout()} stderr: ${c.stderr()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no ${pattern} from the CLI; stderr: ${c.stderr()}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      c.child.stderr!.off('data', check);
      c.child.off('exit', onExit);
    };
    c.child.stderr!.on('data', check);
    c.child.once('exit', onExit);
    check();
  });
}

/** A loopback port with nothing listening on it. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function tokenFile(token: string): string {
  const file = path.join(tempDir('claw-beacon-gw-'), 'token');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return file;
}

let hubA: HubServer;
let hubB: HubServer;
let proxyA: RecordingProxy;
let proxyB: RecordingProxy;
let dead: string;
let deadLabel: string;
let fileA: string;

beforeAll(async () => {
  hubA = new HubServer({ self: { host: 'hub-a', platform: 'linux 6.1', deviceFamily: 'Linux', version: '0.1.0-test' }, token: TOKEN_A });
  hubB = new HubServer({ self: { host: 'hub-b', platform: 'linux 6.1', deviceFamily: 'Linux', version: '0.1.0-test' } });
  await Promise.all([hubA.start(), hubB.start()]);
  proxyA = await RecordingProxy.start(hubA.url);
  proxyB = await RecordingProxy.start(hubB.url);
  const port = await deadPort();
  dead = `ws://127.0.0.1:${port}`;
  deadLabel = `127.0.0.1:${port}`;
  fileA = tokenFile(TOKEN_A);
});

afterAll(async () => {
  await Promise.all([proxyA?.close(), proxyB?.close()]);
  await Promise.all([hubA?.stop('test done'), hubB?.stop('test done')]);
});

beforeEach(() => {
  proxyA.frames.length = 0;
  proxyB.frames.length = 0;
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Hub B must never see hub A's token, in any frame, in any form. */
function expectNoTokenA(proxy: RecordingProxy): void {
  expect(proxy.frames.length).toBeGreaterThan(0);
  for (const frame of proxy.frames) expect(frame).not.toContain(TOKEN_A);
  for (const auth of proxy.connectAuths()) expect(auth?.token).toBeUndefined();
}

describe('beacon to three gateways, one of them down', () => {
  const viewers: PresenceClient[] = [];
  afterEach(async () => {
    await Promise.all(viewers.splice(0).map((v) => v.stop()));
  });

  it('shows this machine on both live hubs with one instanceId, keeps retrying the dead one, and stops all on SIGTERM', async () => {
    const dataDir = tempDir('claw-beacon-gw-');
    const me = loadOrCreateIdentity(dataDir);
    const cli = beacon(['--gateway', proxyA.url, '--token-file', fileA, '--name', 'alpha', '--gateway', proxyB.url, '--gateway', dead, '--data-dir', dataDir, '--no-activity']);

    // What each hub lists, read by an ordinary viewer of that hub.
    const viewA = testClient({ url: hubA.url, token: TOKEN_A, beacon: false }).client;
    const viewB = testClient({ url: hubB.url, beacon: false }).client;
    viewers.push(viewA, viewB);
    viewA.start();
    viewB.start();
    const mine = (s: { entries: readonly { instanceId?: string; deviceId?: string }[] }) => s.entries.some((e) => e.instanceId === me.instanceId && e.deviceId === me.deviceId);
    await Promise.all([waitForSnapshot(viewA, mine, 30_000, 'the beacon on hub A'), waitForSnapshot(viewB, mine, 30_000, 'the beacon on hub B')]);

    // The dead gateway is retried, again and again, under its own prefix; the others carry on.
    await waitForStderr(cli, new RegExp(`\\[beacon ${deadLabel}\\] reconnecting in [\\d.]+ s \\(attempt 2 failed: cannot reach ${dead}: connect ECONNREFUSED`));
    expect(cli.child.exitCode).toBeNull();
    expect(cli.stderr()).toContain(`[beacon] instanceId ${me.instanceId}`);
    expect(cli.stderr()).toMatch(/\[beacon alpha\] connected to ws:\/\/127\.0\.0\.1:\d+ \(gateway/);
    expect(cli.stderr()).toContain(`[beacon 127.0.0.1:${proxyB.port}] connected to ${proxyB.url}`);
    expect(proxyA.clients).toBe(1);
    expect(proxyB.clients).toBe(1);

    // The token went to hub A, and only there.
    expect(proxyA.connectAuths()).toEqual([{ token: TOKEN_A }]);
    expectNoTokenA(proxyB);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    for (const label of ['alpha', `127.0.0.1:${proxyB.port}`, deadLabel]) expect(cli.stderr()).toContain(`[beacon ${label}] stopped`);
    // Both connections were closed, not left to time out.
    await Promise.all([proxyA.noClients(), proxyB.noClients()]);
  });
});

describe('one gateway in trouble never stops the others', () => {
  it('a gateway that refuses the token is given up with the fix; the other keeps beaconing', async () => {
    const wrong = tokenFile('not-the-token');
    const cli = beacon(['--gateway', proxyA.url, '--token-file', wrong, '--name', 'alpha', '--gateway', proxyB.url, '--data-dir', tempDir('claw-beacon-gw-'), '--no-activity']);
    await waitForStderr(cli, /\[beacon alpha\] not retrying ws:\/\/127\.0\.0\.1:\d+: The gateway refused the token\.\n\[beacon alpha\] Open Settings/);
    await waitForStderr(cli, new RegExp(`\\[beacon 127\\.0\\.0\\.1:${proxyB.port}\\] connected to`));
    expect(cli.child.exitCode).toBeNull();
    expect(proxyB.clients).toBe(1);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('exits 1 once every gateway has refused for good', async () => {
    const wrong = tokenFile('not-the-token');
    const cli = beacon(['--gateway', proxyA.url, '--token-file', wrong, '--gateway', hubA.url, '--token-file', wrong, '--data-dir', tempDir('claw-beacon-gw-'), '--no-activity']);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr().match(/The gateway refused the token\./g)).toHaveLength(2);
  });

  it('Ctrl-C while a gateway is still in its handshake (it never answers) stops at once', async () => {
    // Accepts the WebSocket, then says nothing: no challenge, so our connect waits.
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => silent.once('listening', resolve));
    const opened = new Promise((resolve) => silent.once('connection', resolve));
    const silentUrl = `ws://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const cli = beacon(['--gateway', silentUrl, '--name', 'silent', '--gateway', proxyB.url, '--data-dir', tempDir('claw-beacon-gw-'), '--no-activity']);
      await opened;
      await waitForStderr(cli, new RegExp(`\\[beacon 127\\.0\\.0\\.1:${proxyB.port}\\] connected to`));
      const sentAt = Date.now();
      cli.child.kill('SIGINT');
      expect(await cli.exited).toBe(0);
      // Well inside the 5 s stop deadline: nothing waited for the silent gateway.
      expect(Date.now() - sentAt).toBeLessThan(4_000);
      expect(cli.stderr()).toContain('[beacon silent] stopped');
      expect(cli.stderr()).not.toContain('exiting anyway');
    } finally {
      for (const c of silent.clients) c.terminate();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('beacon --list with several gateways', () => {
  it('prints one table with a GATEWAY column and both hubs, and a line for the unreachable one', async () => {
    const cli = beacon(['--list', '--gateway', proxyA.url, '--token-file', fileA, '--name', 'alpha', '--gateway', proxyB.url, '--gateway', dead, '--data-dir', tempDir('claw-beacon-gw-')]);
    expect(await cli.exited).toBe(0);
    const lines = cli.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^GATEWAY\s+STATUS\s+HOST\s+IP/);
    const rows = lines.slice(1).map((l) => l.split(/\s{2,}/));
    expect(rows).toContainEqual(expect.arrayContaining(['alpha', 'Active', 'hub-a']));
    expect(rows).toContainEqual(expect.arrayContaining([`127.0.0.1:${proxyB.port}`, 'Active', 'hub-b']));
    // Rows stay with their gateway: hub B's own row is never listed under A.
    expect(rows.filter((r) => r[2] === 'hub-b').map((r) => r[0])).toEqual([`127.0.0.1:${proxyB.port}`]);
    expect(rows.every((r) => r[0] === 'alpha' || r[0] === `127.0.0.1:${proxyB.port}`)).toBe(true);
    expect(cli.stderr()).toMatch(new RegExp(`^\\[beacon ${deadLabel}\\] could not read the list: cannot reach ${dead}: connect ECONNREFUSED`, 'm'));
    expectNoTokenA(proxyB);
  });

  it('--json lists every gateway in order with ok, error and entries', async () => {
    const cli = beacon(['--list', '--json', '--gateway', proxyA.url, '--token-file', fileA, '--gateway', proxyB.url, '--gateway', dead, '--data-dir', tempDir('claw-beacon-gw-')]);
    expect(await cli.exited).toBe(0);
    const out = JSON.parse(cli.stdout()) as { gateways: Array<{ name: string; url: string; ok: boolean; error?: string; gatewayNowMs?: number; entries: Array<{ host?: string; ts: number }> }> };
    expect(out.gateways.map((g) => [g.name, g.url, g.ok])).toEqual([
      [`127.0.0.1:${proxyA.port}`, proxyA.url, true],
      [`127.0.0.1:${proxyB.port}`, proxyB.url, true],
      [deadLabel, dead, false],
    ]);
    expect(out.gateways[0]!.entries.map((e) => e.host)).toContain('hub-a');
    expect(out.gateways[1]!.entries.map((e) => e.host)).toContain('hub-b');
    expect(out.gateways[0]!.entries.map((e) => e.host)).not.toContain('hub-b');
    expect(out.gateways[2]).toMatchObject({ entries: [], error: expect.stringContaining('ECONNREFUSED') });
    // Ages can be read on each gateway's clock.
    for (const g of out.gateways.slice(0, 2)) for (const e of g.entries) expect(g.gatewayNowMs! - e.ts).toBeLessThan(300_000);
  });

  it('without --gateway, lists OPENCLAW_GATEWAY_URL and the local OpenClaw config gateway, each with its own token', async () => {
    const config = path.join(tempDir('claw-beacon-gw-'), 'openclaw.json');
    writeFileSync(config, JSON.stringify({ gateway: { port: proxyB.port } }));
    const cli = beacon(['--list', '--data-dir', tempDir('claw-beacon-gw-')], { OPENCLAW_GATEWAY_URL: proxyA.url, OPENCLAW_GATEWAY_TOKEN: TOKEN_A, OPENCLAW_CONFIG_PATH: config });
    expect(await cli.exited).toBe(0);
    const gateways = cli.stdout().trimEnd().split('\n').slice(1).map((l) => l.split(/\s{2,}/)[0]);
    expect(new Set(gateways)).toEqual(new Set([`127.0.0.1:${proxyA.port}`, `127.0.0.1:${proxyB.port}`]));
    expect(proxyA.connectAuths()).toEqual([{ token: TOKEN_A }]);
    expectNoTokenA(proxyB);
  });

  it('exits 1 when no gateway could be read', async () => {
    const other = `ws://127.0.0.1:${await deadPort()}`;
    const cli = beacon(['--list', '--gateway', dead, '--gateway', other, '--data-dir', tempDir('claw-beacon-gw-')]);
    expect(await cli.exited).toBe(1);
    expect(cli.stdout()).toBe('');
    expect(cli.stderr().trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('a secret goes only to the gateway it was given for', () => {
  it('a --token-file after the second --gateway reaches that gateway alone', async () => {
    const cli = beacon(['--list', '--gateway', proxyB.url, '--gateway', proxyA.url, '--token-file', fileA, '--data-dir', tempDir('claw-beacon-gw-')]);
    expect(await cli.exited).toBe(0);
    expect(proxyA.connectAuths()).toEqual([{ token: TOKEN_A }]);
    expectNoTokenA(proxyB);
  });

  it('OPENCLAW_GATEWAY_TOKEN goes only to the gateway OPENCLAW_GATEWAY_URL names', async () => {
    const cli = beacon(['--list', '--gateway', proxyB.url, '--gateway', proxyA.url, '--data-dir', tempDir('claw-beacon-gw-')], {
      OPENCLAW_GATEWAY_URL: proxyA.url,
      OPENCLAW_GATEWAY_TOKEN: TOKEN_A,
    });
    expect(await cli.exited).toBe(0);
    expect(proxyA.connectAuths()).toEqual([{ token: TOKEN_A }]);
    expectNoTokenA(proxyB);
  });

  it('refuses, before connecting anywhere, an OPENCLAW_GATEWAY_TOKEN that no --gateway is named for', async () => {
    const cli = beacon(['--gateway', proxyB.url, '--gateway', proxyA.url, '--data-dir', tempDir('claw-beacon-gw-')], { OPENCLAW_GATEWAY_TOKEN: TOKEN_A });
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain('OPENCLAW_GATEWAY_TOKEN is set, but 2 gateways are given and OPENCLAW_GATEWAY_URL names none of them');
    expect(proxyA.frames).toEqual([]);
    expect(proxyB.frames).toEqual([]);
  });

  it('refuses a --token-file before the first of several gateways', async () => {
    const cli = beacon(['--token-file', fileA, '--gateway', proxyB.url, '--gateway', proxyA.url, '--list', '--data-dir', tempDir('claw-beacon-gw-')]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain('--token-file comes before the first --gateway, so it is not clear which of the 2 gateways it is for');
    expect(proxyB.frames).toEqual([]);
  });
});
