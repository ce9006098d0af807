/**
 * The real OpenClaw tools, run as a new user would against any gateway (ours
 * or the real one): the `openclaw` CLI and the node host, under the cached
 * Node 24, each with a temporary HOME whose config points at the gateway.
 *
 * Everything here is asynchronous on purpose: the gateway under test may be
 * our hub running in this very process, which must keep answering while the
 * CLI waits for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureOpenClawInstalled } from './harness.js';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The runner's environment less what makes openclaw act as if under test (it goes quiet then). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|NODE_ENV$|TEST$|JEST|OPENCLAW_)/.test(k)) env[k] = v;
  return env;
}

/** A temporary HOME whose `~/.openclaw/openclaw.json` points the CLI at `port` with `token`. */
export class CliHome {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'openclaw-cli-home-'));

  constructor(
    readonly port: number,
    readonly token: string,
  ) {
    mkdirSync(path.join(this.dir, '.openclaw'), { recursive: true });
    writeFileSync(
      path.join(this.dir, '.openclaw', 'openclaw.json'),
      JSON.stringify({ gateway: { mode: 'local', port, auth: { mode: 'token', token } } }, null, 2),
    );
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const p = ensureOpenClawInstalled();
    return { ...cleanEnv(), HOME: this.dir, PATH: `${p.nodeBin}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
  }

  /** Runs `openclaw ARGS` to completion (killed after `timeoutMs`). */
  run(args: readonly string[], timeoutMs = 90_000): Promise<CliResult> {
    const p = ensureOpenClawInstalled();
    return new Promise((resolve, reject) => {
      const child = spawn(p.node, [p.entry, ...args], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
  }

  /** `openclaw gateway call METHOD --json`, parsed. */
  async call(method: string, params?: unknown): Promise<unknown> {
    const args = ['gateway', 'call', method, '--url', `ws://127.0.0.1:${this.port}`, '--token', this.token, '--json'];
    if (params !== undefined) args.push('--params', JSON.stringify(params));
    const r = await this.run(args);
    if (r.status !== 0) throw new Error(`openclaw gateway call ${method} exited ${r.status}:\n${r.stdout}\n${r.stderr}`.slice(-3000));
    return JSON.parse(r.stdout) as unknown;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface NodeHost {
  readonly home: CliHome;
  readonly output: () => string;
  /** SIGTERM, then waits for the process to end. */
  stop(): Promise<void>;
}

/**
 * `openclaw node run --host 127.0.0.1 --port P` with the token in
 * `OPENCLAW_GATEWAY_TOKEN` and a fresh HOME (so a fresh device identity);
 * resolves once it says it is connected.
 */
export async function startNodeHost(port: number, token: string, readyTimeoutMs = 90_000): Promise<NodeHost> {
  const p = ensureOpenClawInstalled();
  const home = new CliHome(port, token);
  const child: ChildProcess = spawn(p.node, [p.entry, 'node', 'run', '--host', '127.0.0.1', '--port', String(port)], {
    env: home.env({ OPENCLAW_GATEWAY_TOKEN: token }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node host did not connect in time:\n${out.slice(-3000)}`));
    }, readyTimeoutMs);
    const onData = (d: Buffer) => {
      out = (out + d.toString()).slice(-100_000);
      if (/node host gateway connected/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node host exited (${code}) before connecting:\n${out.slice(-3000)}`));
    });
  });
  return {
    home,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      home.remove();
    },
  };
}
