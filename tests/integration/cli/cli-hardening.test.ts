/**
 * The CLIs under attack, as real processes: a second local user reading the
 * process list (V11), a hostile host name in `beacon --list` and a hostile
 * gateway's 100 KB error full of escape sequences (V10).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HubServer } from '../../../main/hub/hub-server.js';
import { LOG_LINE_MAX_CHARS } from '../../../main/system/safe-log.js';
import { tempDir, testClient, waitForSnapshot } from '../../helpers/test-client.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');
const ESC = '\x1b';
const SELF = { host: 'gw-host', platform: 'linux 6.1', deviceFamily: 'Linux', version: '0.1.0-test' };

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

function cli(script: 'beacon-cli' | 'gateway-cli', args: string[], env: NodeJS.ProcessEnv = {}): Cli {
  const clean = { ...process.env };
  delete clean.OPENCLAW_GATEWAY_TOKEN;
  delete clean.OPENCLAW_GATEWAY_PASSWORD;
  delete clean.OPENCLAW_GATEWAY_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', `main/cli/${script}.ts`, ...args], { cwd: ROOT, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

function waitForOutput(c: Cli, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = c.stdout().match(pattern);
      if (m) {
        clearInterval(timer);
        resolve(m);
      } else if (c.child.exitCode !== null || Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`no ${pattern} from the CLI; stdout: ${c.stdout()} stderr: ${c.stderr()}`));
      }
    };
    const deadline = Date.now() + timeoutMs;
    const timer = setInterval(check, 50);
    c.child.stdout!.on('data', check);
  });
}

async function stop(c: Cli): Promise<void> {
  if (c.child.exitCode === null) c.child.kill('SIGKILL');
  await c.exited;
}

function scratch(): string {
  const dir = tempDir('claw-cli-');
  dirs.push(dir);
  return dir;
}

/** The process list as another local user sees it. */
async function psAsNobody(): Promise<string> {
  return (await run('runuser', ['-u', 'nobody', '--', 'ps', '-eo', 'pid,args', '--no-headers'])).stdout;
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the token on the command line (V11)', () => {
  beforeAll(() => {
    // Fail, never skip: without a second user there is no attack to perform.
    if (process.getuid?.() !== 0) throw new Error('these tests play a second local user (nobody) through runuser, so they must run as root (as CI does)');
  });

  it('--token-file keeps the token out of ps for another user; the beacon signs in with a file too', async () => {
    const token = `tok-${randomBytes(12).toString('hex')}`;
    const dir = scratch();
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const gateway = cli('gateway-cli', ['--port', '0', '--token-file', tokenFile]);
    const [, url] = await waitForOutput(gateway, /listening on (ws:\/\/\S+)/);
    try {
      const ps = await psAsNobody();
      // nobody does see the process, just not the secret.
      expect(ps).toContain(`gateway-cli.ts --port 0 --token-file ${tokenFile}`);
      expect(ps).not.toContain(token);
      expect(gateway.stderr()).not.toMatch(/warning/);

      const beacon = cli('beacon-cli', ['--gateway', url!, '--token-file', tokenFile, '--list', '--data-dir', scratch()]);
      expect(await beacon.exited).toBe(0);
      expect(beacon.stdout()).toMatch(/^STATUS\s+HOST/);
    } finally {
      await stop(gateway);
    }
  });

  it('--token still works, warns, and is visible to another user (which is why it warns)', async () => {
    const token = `tok-${randomBytes(12).toString('hex')}`;
    const gateway = cli('gateway-cli', ['--port', '0', '--token', token]);
    await waitForOutput(gateway, /listening on ws:\/\//);
    try {
      expect(await psAsNobody()).toContain(`--token ${token}`);
      expect(gateway.stderr()).toContain('warning: --token is visible to every user of this machine (ps, /proc); use --token-file or OPENCLAW_GATEWAY_TOKEN instead');
    } finally {
      await stop(gateway);
    }
  });

  it('the environment variable keeps the token out of ps too', async () => {
    const token = `tok-${randomBytes(12).toString('hex')}`;
    const gateway = cli('gateway-cli', ['--port', '0'], { OPENCLAW_GATEWAY_TOKEN: token });
    const [, url] = await waitForOutput(gateway, /listening on (ws:\/\/\S+)/);
    try {
      expect(await psAsNobody()).not.toContain(token);
      // A wrong token from the environment is refused: the gateway really took this one.
      const wrong = cli('beacon-cli', ['--gateway', url!, '--list', '--data-dir', scratch()], { OPENCLAW_GATEWAY_TOKEN: 'wrong' });
      expect(await wrong.exited).toBe(1);
      expect(wrong.stderr()).toContain('The gateway refused the token.');
    } finally {
      await stop(gateway);
    }
  });

  it('refuses an empty or missing token file, and both forms at once, with a clear error', async () => {
    const dir = scratch();
    const empty = path.join(dir, 'empty');
    writeFileSync(empty, '\n', { mode: 0o600 });
    const a = cli('gateway-cli', ['--port', '0', '--token-file', empty]);
    expect(await a.exited).toBe(2);
    expect(a.stderr()).toContain(`the token file ${empty} is empty`);
    const b = cli('beacon-cli', ['--gateway', 'ws://127.0.0.1:9', '--token-file', path.join(dir, 'nope'), '--list']);
    expect(await b.exited).toBe(2);
    expect(b.stderr()).toContain(`could not read the token file ${path.join(dir, 'nope')}: ENOENT`);
    const c = cli('beacon-cli', ['--gateway', 'ws://127.0.0.1:9', '--token', 'x', '--token-file', empty, '--list']);
    expect(await c.exited).toBe(2);
    expect(c.stderr()).toContain('give --token or --token-file, not both');
  });
});

describe('terminal and log injection (V10)', () => {
  let hub: HubServer;
  const TOKEN = 'hub-token';

  beforeAll(async () => {
    hub = new HubServer({ self: SELF, token: TOKEN });
    await hub.start();
  });

  afterAll(async () => {
    await hub.stop('test done');
  });

  it('beacon --list prints a hostile host name escaped, never raw ESC or BEL', async () => {
    const hostile = 'pwn\x1b[2J\x1b[H\x1b]0;owned\x07\u202Egnp.exe';
    const dataDir = scratch();
    const { client } = testClient({ url: hub.url, token: TOKEN, dataDir, host: { host: hostile } });
    client.start();
    try {
      await waitForSnapshot(client, (s) => s.lastBeacon?.ok === true, 15_000, 'the hostile beacon');
      const table = cli('beacon-cli', ['--gateway', hub.url, '--list', '--data-dir', scratch()], { OPENCLAW_GATEWAY_TOKEN: TOKEN });
      expect(await table.exited).toBe(0);
      expect(table.stdout()).not.toContain(ESC);
      expect(table.stdout()).not.toContain('\x07');
      expect(table.stdout()).not.toContain('\u202E');
      expect(table.stdout()).toContain('pwn\\x1b[2J\\x1b[H\\x1b]0;owned\\x07\\u202egnp.exe');

      const json = cli('beacon-cli', ['--gateway', hub.url, '--list', '--json', '--data-dir', scratch()], { OPENCLAW_GATEWAY_TOKEN: TOKEN });
      expect(await json.exited).toBe(0);
      expect(json.stdout()).not.toContain(ESC);
      expect(json.stdout()).not.toContain('\u202E');
      expect(json.stdout()).toContain('\\u202e');
      const rows = JSON.parse(json.stdout()) as Array<{ host?: string }>;
      // JSON keeps the value exact for programs, escaped for the terminal.
      expect(rows.map((r) => r.host)).toContain(hostile);
    } finally {
      await client.stop();
    }
  });

  it("logs a hostile gateway's 100 KB error capped and escaped", async () => {
    const payload = `invalid connect params: ${'\x1b[2J\x1b]0;pwned\x07\r\n[beacon] connected to ws://trusted\u202E'.repeat(2_000)}`.padEnd(100_000, 'A');
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    wss.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'event', event: 'connect.challenge', payload: { nonce: 'n', ts: Date.now() } }));
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { id: string };
        socket.send(JSON.stringify({ type: 'res', id: frame.id, ok: false, error: { code: 'INVALID_REQUEST', message: payload } }));
      });
    });
    try {
      const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
      const beacon = cli('beacon-cli', ['--gateway', url, '--data-dir', scratch(), '--no-activity']);
      expect(await beacon.exited).toBe(1);
      const err = beacon.stderr();
      expect(err).toContain('The gateway rejected our hello: invalid connect params: \\x1b[2J\\x1b]0;pwned\\x07\\r\\n[beacon] connected');
      expect(err).toMatch(/… \(\d+ more\)/);
      expect(err).not.toContain(ESC);
      expect(err).not.toContain('\x07');
      expect(err).not.toContain('\r');
      expect(err).not.toContain('\u202E');
      // No forged line: every line is one of ours, and none is long.
      const lines = err.trimEnd().split('\n');
      for (const line of lines) expect(line.length).toBeLessThan(LOG_LINE_MAX_CHARS + 30);
      expect(lines.filter((l) => l.startsWith('[beacon] connected'))).toHaveLength(0);
    } finally {
      await new Promise((r) => wss.close(r));
    }
  });
});
