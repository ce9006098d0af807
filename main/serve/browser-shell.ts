/**
 * The browser shell: serves the built renderer on 127.0.0.1 and speaks the
 * same API as the Electron preload over one WebSocket (`/api`), so the app runs
 * on a headless server and its real UI can be tested in Chromium.
 *
 * Guards: loopback bind by default; every response carries the strict CSP; the
 * Host header must be exactly one of this server's loopback names (DNS
 * rebinding); the WebSocket Origin must be this server (another site open in
 * the same browser can't drive it); and the socket needs the session cookie
 * that only the holder of the printed link gets (another local user can't
 * drive it either; see session-auth.ts). A malformed request gets a 4xx, never
 * an exception that would take the process and its built-in gateway down.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { isBridgeName } from '../../shared/ipc/bridge.js';
import type { ViewSnapshot } from '../../shared/ipc/contract.js';
import { SnapshotEncoder, WINDOW_PUSH_INTERVAL_MS } from '../../shared/ipc/snapshot-stream.js';
import { paced } from '../../shared/events/paced.js';
import { nodeTimers } from '../system/timers.js';
import { CallFrameSchema, SESSION_PATH, SOCKET_PATH, type HostFrame } from '../../shared/ipc/socket-frames.js';
import type { InstancesService } from '../core/instances-service.js';
import { answerCall, coreHandlers, streamCaller } from '../page/bridge-handlers.js';
import { contentType, decodePagePath, pageCsp, pageFile } from '../page/page-files.js';
import { isAllowedHost, isAllowedOrigin } from './host-check.js';
import { SessionAuth } from './session-auth.js';

const MAX_SESSION_BODY = 1024;

/** The app's CSP, plus the page's own origin for its `/api` socket. */
export const BROWSER_CSP = pageCsp("'self'");

export interface BrowserShellOptions {
  readonly service: InstancesService;
  readonly rendererDir: string;
  readonly host?: string;
  readonly port?: number;
  readonly log?: (line: string) => void;
}

export class BrowserShell {
  readonly #o: BrowserShellOptions;
  #server?: http.Server;
  #wss?: WebSocketServer;
  #auth?: SessionAuth;

  constructor(options: BrowserShellOptions) {
    this.#o = options;
  }

  /** Starts serving; resolves to the link to open (with a one-time launch token), as `serve` prints it. */
  async start(): Promise<string> {
    if (!existsSync(path.join(this.#o.rendererDir, 'index.html'))) {
      throw new Error(`the renderer is not built (${this.#o.rendererDir}); run npm run build`);
    }
    const server = http.createServer((req, res) => {
      try {
        this.#onRequest(req, res);
      } catch (err) {
        // Whatever a request does, the process and its gateway live on.
        this.#o.log?.(`request failed: ${(err as Error).name}`);
        if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain' });
        res.end('bad request');
      }
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
    server.on('upgrade', (req, socket, head) => {
      // A peer that resets mid-upgrade must not become an unhandled 'error' that ends the process.
      socket.on('error', () => socket.destroy());
      const port = this.#port();
      const allowed =
        req.url === SOCKET_PATH && isAllowedHost(req.headers.host, port) && isAllowedOrigin(req.headers.origin, port) && this.#auth?.isAuthorised(req.headers.cookie) === true;
      if (!allowed) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.#onSocket(ws));
    });
    server.on('clientError', (_err, socket) => {
      // Unparseable HTTP: answer 400 and close, as Node would, without an unhandled error.
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    this.#server = server;
    this.#wss = wss;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#o.port ?? 0, this.#o.host ?? '127.0.0.1', () => resolve());
    });
    this.#auth = new SessionAuth(this.#port());
    return this.newLaunchUrl();
  }

  /** Another one-time link (a second browser, a test's fresh page); only this process can mint one. */
  newLaunchUrl(): string {
    if (!this.#auth) throw new Error('the browser shell is not started');
    return `${this.url}/?token=${this.#auth.mintLaunchToken()}`;
  }

  get url(): string {
    const address = this.#server?.address() as AddressInfo | undefined;
    return `http://${this.#o.host ?? '127.0.0.1'}:${address?.port ?? 0}`;
  }

  async stop(): Promise<void> {
    for (const ws of this.#wss?.clients ?? []) ws.terminate();
    this.#wss?.close();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  #port(): number {
    return (this.#server?.address() as AddressInfo | undefined)?.port ?? 0;
  }

  #onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers = {
      'Content-Security-Policy': BROWSER_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    const port = this.#port();
    if (!isAllowedHost(req.headers.host, port)) {
      res.writeHead(421, headers).end('misdirected request');
      return;
    }
    // `/%ff` and friends: a URIError here once took the whole process down (issue 12, V2).
    const urlPath = decodePagePath(new URL(req.url ?? '/', 'http://x').pathname);
    if (urlPath === undefined) {
      res.writeHead(400, { ...headers, 'Content-Type': 'text/plain' }).end('bad request');
      return;
    }
    if (urlPath === SESSION_PATH) {
      this.#onSession(req, res, headers);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    const file = pageFile(urlPath, this.#o.rendererDir);
    if (file === undefined || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': contentType(file) });
    createReadStream(file).pipe(res);
  }

  /**
   * GET: 204 when the request carries our session cookie, 401 when not (the
   * page then asks for the printed link). POST `{"token":…}` from our own
   * origin: trades a launch token for the cookie; a wrong or used token gets 403
   * and no cookie.
   */
  #onSession(req: http.IncomingMessage, res: http.ServerResponse, headers: Record<string, string>): void {
    const auth = this.#auth!;
    if (req.method === 'GET') {
      res.writeHead(auth.isAuthorised(req.headers.cookie) ? 204 : 401, headers).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, headers).end();
      return;
    }
    if (!isAllowedOrigin(req.headers.origin, this.#port())) {
      res.writeHead(403, headers).end();
      return;
    }
    let body = '';
    let tooLong = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_SESSION_BODY && !tooLong) {
        tooLong = true;
        res.writeHead(413, headers).end();
        req.destroy();
      }
    });
    req.on('error', () => {});
    req.on('end', () => {
      if (tooLong) return;
      let token: unknown;
      try {
        token = (JSON.parse(body) as { token?: unknown } | null)?.token;
      } catch {
        token = undefined;
      }
      const session = auth.trade(token);
      if (!session) {
        this.#o.log?.('refused a launch token that is wrong or already used');
        res.writeHead(403, headers).end();
        return;
      }
      res.writeHead(204, { ...headers, 'Set-Cookie': auth.cookieFor(session) }).end();
    });
  }

  #onSocket(ws: WebSocket): void {
    const { service } = this.#o;
    const send = (frame: HostFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    // Each window gets the list once, then only what changed (see snapshot-stream.ts).
    const encoder = new SnapshotEncoder();
    const pushes = paced((snapshot: ViewSnapshot) => {
      for (const message of encoder.encode(snapshot)) send({ type: 'snapshot', message });
    }, WINDOW_PUSH_INTERVAL_MS, nodeTimers);
    const off = service.subscribe((snapshot: ViewSnapshot) => pushes.push(snapshot));
    const unsubscribe = () => {
      off();
      pushes.cancel();
    };
    ws.on('close', unsubscribe);
    ws.on('error', () => unsubscribe());
    const handlers = coreHandlers(service);
    const caller = streamCaller(encoder, (message) => send({ type: 'snapshot', message }));
    ws.on('message', async (data) => {
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        send({ type: 'error', error: 'not JSON' });
        return;
      }
      const call = CallFrameSchema.safeParse(raw);
      if (!call.success) {
        send({ type: 'error', error: 'invalid call' });
        return;
      }
      const { id, method, arg } = call.data;
      if (!isBridgeName(method)) {
        send({ type: 'result', id, ok: false, error: `unknown call: ${JSON.stringify(method)}` });
        return;
      }
      try {
        send({ type: 'result', id, ok: true, value: await answerCall(handlers, method, arg, caller) });
      } catch (err) {
        send({ type: 'result', id, ok: false, error: (err as Error).message });
      }
    });
  }
}
