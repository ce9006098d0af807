/**
 * The official npm client `@openclaw/gateway-client` (pinned), installed once
 * into a cache folder beside the real openclaw (it needs Node >= 22.19, so it
 * runs under the cached Node 24 as a child process, never in the test runner).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { cacheDir, ensureOpenClawInstalled, NODE24_VERSION } from '../../helpers/openclaw/harness.js';

export const GATEWAY_CLIENT_VERSION = '2026.9.1';

function clientDir(): string {
  return path.join(path.dirname(cacheDir()), `gateway-client-${GATEWAY_CLIENT_VERSION}-node${NODE24_VERSION}`);
}

/** Installs once (about 2 s); later calls find the marker and return the package's entry. */
export function ensureGatewayClientInstalled(): string {
  const node = ensureOpenClawInstalled();
  const dir = clientDir();
  const entry = path.join(dir, 'node_modules', '@openclaw', 'gateway-client', 'dist', 'index.mjs');
  const marker = path.join(dir, 'installed.json');
  const want = JSON.stringify({ '@openclaw/gateway-client': GATEWAY_CLIENT_VERSION });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want && existsSync(entry)) return entry;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'gateway-client-harness', private: true }, null, 2));
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--save-exact', `@openclaw/gateway-client@${GATEWAY_CLIENT_VERSION}`], {
    cwd: dir,
    env: { ...process.env, PATH: `${node.nodeBin}${path.delimiter}${process.env.PATH}` },
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(entry)) throw new Error(`npm install @openclaw/gateway-client failed:\n${r.stdout}\n${r.stderr}`.slice(-3000));
  writeFileSync(marker, want);
  return entry;
}

/** One line the fixture script prints: what the official client saw. */
export type ClientReport =
  | { kind: 'hello'; protocol: number; scopes: string[]; presence: Array<Record<string, unknown>> }
  | { kind: 'list'; presence: Array<Record<string, unknown>> }
  | { kind: 'event'; event: string; presence?: Array<Record<string, unknown>> }
  | { kind: 'error'; message: string };

export interface RunningClient {
  /** Resolves with the first report that matches. */
  next(match: (r: ClientReport) => boolean, what: string, timeoutMs?: number): Promise<ClientReport>;
  stop(): Promise<void>;
}

/** Runs the official client with its defaults (`gateway-client`, `backend`, `operator.admin`) against `url`. */
export function runGatewayClient(url: string, token: string): RunningClient {
  const entry = ensureGatewayClientInstalled();
  const node = ensureOpenClawInstalled();
  const script = path.resolve('tests/integration/openclaw/fixtures/gateway-client-watch.mjs');
  const child = spawn(node.node, [script], { env: { ...process.env, GC_ENTRY: entry, GC_URL: url, GC_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
  const reports: ClientReport[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-10_000)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      reports.push(JSON.parse(line) as ClientReport);
    } catch {
      return;
    }
    for (const w of waiters) w();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    next(match, what, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = () => {
          for (; seen < reports.length; seen++) {
            const r = reports[seen]!;
            if (r.kind === 'error') return finish(() => reject(new Error(`gateway-client: ${r.message}`)));
            if (match(r)) return finish(() => resolve(r));
          }
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`gateway-client: no ${what} in time; saw ${JSON.stringify(reports).slice(-2000)}; stderr ${stderr}`))), timeoutMs);
        const finish = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
