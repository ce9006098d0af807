/**
 * The real OpenClaw gateway, for compatibility tests: installs pinned `node@24`
 * and `openclaw` into a cache folder outside the app's dependencies (reused
 * between runs), starts the gateway on a free 127.0.0.1 port with a temporary
 * HOME, and stops it after.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import WebSocket from 'ws';
import os from 'node:os';
import path from 'node:path';

export const OPENCLAW_VERSION = '2026.9.6';
/** openclaw 2026.9.6 needs Node >= 24.16 (its own install check). */
export const NODE24_VERSION = '24.21.0';

export function cacheDir(): string {
  const base = process.env.CLAW_OPENCLAW_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'claw-instances');
  return path.join(base, `openclaw-${OPENCLAW_VERSION}-node${NODE24_VERSION}`);
}

function paths(dir = cacheDir()) {
  return {
    dir,
    node: path.join(dir, 'node_modules', 'node', 'bin', 'node'),
    nodeBin: path.join(dir, 'node_modules', 'node', 'bin'),
    entry: path.join(dir, 'node_modules', 'openclaw', 'openclaw.mjs'),
    marker: path.join(dir, 'installed.json'),
  };
}

function npm(args: string[], cwd: string, extraPath?: string): void {
  const env = { ...process.env, PATH: extraPath ? `${extraPath}${path.delimiter}${process.env.PATH}` : process.env.PATH };
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`.slice(-4000));
}

/** Installs once; later calls find the marker and return at once. */
export function ensureOpenClawInstalled(log: (line: string) => void = () => {}): ReturnType<typeof paths> {
  const p = paths();
  const want = JSON.stringify({ openclaw: OPENCLAW_VERSION, node: NODE24_VERSION });
  if (existsSync(p.marker) && readFileSync(p.marker, 'utf8') === want && existsSync(p.node) && existsSync(p.entry)) return p;
  log(`installing node@${NODE24_VERSION} and openclaw@${OPENCLAW_VERSION} into ${p.dir} (about 800 MB, once)`);
  mkdirSync(p.dir, { recursive: true });
  // npm 11 runs a dependency's install script only when allowScripts approves it:
  // node@24's script fetches its own platform binary from the npm registry.
  writeFileSync(path.join(p.dir, 'package.json'), JSON.stringify({ name: 'openclaw-test-harness', private: true, allowScripts: { node: true } }, null, 2));
  npm(['install', '--no-audit', '--no-fund', '--loglevel=error', `node@${NODE24_VERSION}`], p.dir);
  // openclaw's engine check reads the running Node, so install it with Node 24 first on PATH.
  npm(['install', '--no-audit', '--no-fund', '--loglevel=error', `openclaw@${OPENCLAW_VERSION}`], p.dir, p.nodeBin);
  if (!existsSync(p.entry)) throw new Error(`openclaw installed but ${p.entry} is missing`);
  writeFileSync(p.marker, want);
  return p;
}

/**
 * The test runner's environment, less what makes openclaw act as if under test
 * (it goes quiet when VITEST or NODE_ENV=test is set, and we read its log).
 */
function gatewayEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|NODE_ENV$|TEST$|JEST)/.test(k)) env[k] = v;
  return env;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface RealGateway {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly pid: number;
  readonly home: string;
  readonly output: () => string;
  /** Runs the openclaw CLI against this gateway (same HOME, Node 24). */
  cli(args: string[]): { status: number | null; stdout: string; stderr: string };
  /** SIGTERM (graceful, sends shutdown) or SIGKILL (hard). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  readonly port?: number;
  readonly token?: string;
  readonly home?: string;
  readonly readyTimeoutMs?: number;
  /** Written to HOME/.openclaw/openclaw.json before start (e.g. gateway.trustedProxies). */
  readonly config?: Record<string, unknown>;
}

/** Whether a one-off `cli` connect (never listed in presence) succeeds. */
function acceptsConnect(url: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 3000);
    ws.on('message', (data) => {
      let frame: { type?: string; event?: string; ok?: boolean };
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return done(false);
      }
      if (frame.event === 'connect.challenge') {
        const client = { id: 'cli', version: '0.0.0', platform: process.platform, mode: 'cli' };
        ws.send(JSON.stringify({ type: 'req', id: 'ready', method: 'connect', params: { minProtocol: 4, maxProtocol: 4, client, role: 'operator', scopes: [], auth: { token } } }));
      } else if (frame.type === 'res') done(frame.ok === true);
    });
    ws.on('error', () => done(false));
    ws.on('close', () => done(false));
  });
}

/** Starts `openclaw gateway run` and resolves once it logs that it is ready. */
export async function startRealGateway(o: StartOptions = {}): Promise<RealGateway> {
  const p = ensureOpenClawInstalled();
  const port = o.port ?? (await freePort());
  const token = o.token ?? 'test-token';
  const home = o.home ?? mkdtempSync(path.join(os.tmpdir(), 'openclaw-home-'));
  const ownsHome = o.home === undefined;
  if (o.config) {
    mkdirSync(path.join(home, '.openclaw'), { recursive: true });
    writeFileSync(path.join(home, '.openclaw', 'openclaw.json'), JSON.stringify(o.config, null, 2));
  }
  const child: ChildProcess = spawn(
    p.node,
    [p.entry, 'gateway', 'run', '--port', String(port), '--auth', 'token', '--token', token, '--bind', 'loopback', '--allow-unconfigured'],
    {
      env: { ...gatewayEnv(), HOME: home, PATH: `${p.nodeBin}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const onData = (d: Buffer) => {
    out = (out + d.toString()).slice(-200_000);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + (o.readyTimeoutMs ?? 90_000);
  while (!/\[gateway\][^\n]*\bready\b/.test(out)) {
    if (child.exitCode !== null) throw new Error(`openclaw gateway exited (${child.exitCode}) before it was ready:\n${out.slice(-3000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`openclaw gateway not ready in time:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // "ready" is logged before the gateway takes connections (measured: first sockets close with
  // 1006, then connects answer UNAVAILABLE "gateway starting"), so wait until a connect succeeds.
  while (!(await acceptsConnect(`ws://127.0.0.1:${port}`, token))) {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`openclaw gateway never accepted a connect:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    token,
    pid: child.pid!,
    home,
    output: () => out,
    cli(args: string[]) {
      const r = spawnSync(p.node, [p.entry, ...args], { env: { ...gatewayEnv(), HOME: home, PATH: `${p.nodeBin}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      if (ownsHome) rmSync(home, { recursive: true, force: true });
    },
  };
}
