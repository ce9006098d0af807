/**
 * Issue 12 attacks on the browser shell, performed for real: raw HTTP requests
 * and WebSockets on 127.0.0.1 against the real BrowserShell and app core, with
 * real gateways (scripted WebSocket servers) recording what arrives.
 */
import http from 'node:http';
import net from 'node:net';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { InstancesService } from '../../../main/core/instances-service.js';
import { FileSecretStore } from '../../../main/core/settings-store.js';
import { BrowserShell } from '../../../main/serve/browser-shell.js';
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

async function startHost(): Promise<{ host: BrowserShell; link: string; port: number; service: InstancesService; logs: string[] }> {
  const dataDir = temp('claw-shellsec-');
  const rendererDir = path.join(temp('claw-shellsec-renderer-'), 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Claw Instances</title><script type="module" src="/app.js"></script>');
  writeFileSync(path.join(rendererDir, 'app.js'), 'console.log("app")');
  const logs: string[] = [];
  const service = new InstancesService({ dataDir, secrets: new FileSecretStore(dataDir), idleSeconds: () => undefined, env: {}, home: temp('claw-shellsec-home-'), log: (l) => logs.push(l) });
  await service.start();
  const host = new BrowserShell({ service, rendererDir, log: (l) => logs.push(l) });
  const link = await host.start();
  cleanups.push(async () => {
    await host.stop();
    await service.stop();
  });
  return { host, link, port: Number(new URL(link).port), service, logs };
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, with exactly the path and headers given (no URL normalisation on the way). */
function request(port: number, o: { path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: o.path, method: o.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...o.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Opens `/api` like a browser (or anyone) would; resolves to the HTTP status of a refusal, or 101 when it opened. */
function openApi(port: number, headers: Record<string, string>): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', () => resolve({ status: 0 }));
  });
}

function call(ws: WebSocket, method: string, arg?: unknown): Promise<{ ok: boolean; value?: unknown; error?: string }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as { type: string; id?: number; ok: boolean; value?: unknown; error?: string };
      if (msg.type === 'result' && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, method, ...(arg === undefined ? {} : { arg }) }));
  });
}

async function trade(port: number, token: string, origin = `http://127.0.0.1:${port}`): Promise<RawResponse> {
  return request(port, { path: '/session', method: 'POST', headers: { Origin: origin, 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
}

describe('browser shell: a bad escape (V2)', () => {
  it('answers /%ff and friends with 400, and keeps serving', async () => {
    const { port } = await startHost();
    for (const p of ['/%ff', '/%E0%A4%A', '/assets/%c0%af', '/session%ff', '/%']) {
      expect((await request(port, { path: p })).status, p).toBe(400);
    }
    // Unparseable HTTP too: a 400 from the server, not an exception.
    const raw = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n'));
      let out = '';
      s.on('data', (d) => (out += d.toString()));
      s.on('close', () => resolve(out));
      s.on('error', () => resolve(out));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    const page = await request(port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Claw Instances</title>');
  });
});

describe('browser shell: the Host allowlist (V4)', () => {
  it('answers exactly 127.0.0.1, localhost and [::1] on its port, and nothing else', async () => {
    const { port } = await startHost();
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      expect((await request(port, { path: '/', headers: { Host: host } })).status, host).toBe(200);
    }
    for (const host of [`undefined:${port}`, `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `127.0.0.1.nip.io:${port}`, `0.0.0.0:${port}`]) {
      expect((await request(port, { path: '/', headers: { Host: host } })).status, host).toBe(421);
    }
  });

  it('refuses the socket to a rebinding name even with a session', async () => {
    const { port, link } = await startHost();
    const cookie = (await trade(port, new URL(link).searchParams.get('token')!)).headers['set-cookie']![0]!.split(';')[0]!;
    expect((await openApi(port, { Host: `undefined:${port}`, Origin: `http://undefined:${port}`, Cookie: cookie })).status).toBe(403);
    expect((await openApi(port, { Host: `127.0.0.1:${port}`, Origin: `http://undefined:${port}`, Cookie: cookie })).status).toBe(403);
    const ok = await openApi(port, { Origin: `http://127.0.0.1:${port}`, Cookie: cookie });
    expect(ok.status).toBe(101);
    ok.ws!.close();
  });
});

describe('browser shell: the per-run secret (V1)', () => {
  it('refuses /api to a local process with the right Origin but no cookie, and to a wrong cookie', async () => {
    const { port } = await startHost();
    const origin = `http://127.0.0.1:${port}`;
    expect((await openApi(port, { Origin: origin })).status).toBe(403);
    expect((await openApi(port, { Origin: origin, Cookie: `claw_session_${port}=guessed` })).status).toBe(403);
    expect((await request(port, { path: '/session' })).status).toBe(401);
  });

  it('trades the printed token once for an HttpOnly, SameSite=Strict cookie; a wrong or used token gets none', async () => {
    const { port, link } = await startHost();
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[A-Za-z0-9_-]{43}$`));
    const token = new URL(link).searchParams.get('token')!;

    const wrong = await trade(port, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`);
    expect(wrong.status).toBe(403);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    // From another origin (a web page in the user's browser), even the right token gets nothing, and isn't used up.
    const foreign = await trade(port, token, 'http://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers['set-cookie']).toBeUndefined();

    const good = await trade(port, token);
    expect(good.status).toBe(204);
    const setCookie = good.headers['set-cookie']![0]!;
    expect(setCookie).toMatch(new RegExp(`^claw_session_${port}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$`));
    const cookie = setCookie.split(';')[0]!;

    const again = await trade(port, token);
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();

    expect((await request(port, { path: '/session', headers: { Cookie: cookie } })).status).toBe(204);
    const opened = await openApi(port, { Origin: `http://127.0.0.1:${port}`, Cookie: cookie });
    expect(opened.status).toBe(101);
    expect(await call(opened.ws!, 'getSettings')).toMatchObject({ ok: true, value: { gateways: [expect.objectContaining({ kind: 'builtin', run: 'auto' })] } });
    opened.ws!.close();
  });

  it('puts the token in no page a local process can fetch', async () => {
    const { port, link, host } = await startHost();
    const tokens = [new URL(link).searchParams.get('token')!, new URL(host.newLaunchUrl()).searchParams.get('token')!];
    for (const p of ['/', '/index.html', '/app.js', '/session', '/?token=x']) {
      const res = await request(port, { path: p });
      for (const t of tokens) {
        expect(res.body, p).not.toContain(t);
        expect(JSON.stringify(res.headers), p).not.toContain(t);
      }
    }
  });
});
