/**
 * The browser shell: serves the built renderer on 127.0.0.1 and speaks the
 * same API as the Electron preload over one WebSocket (`/api`), so the app runs
 * on a headless server and its real UI can be tested in Chromium.
 *
 * Guards: loopback bind by default; every response carries the strict CSP; the
 * Host header must name this server (DNS rebinding) and the WebSocket Origin
 * must be this server (another site open in the same browser can't drive it).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { HostRequestSchema, type ViewSnapshot } from '../../shared/ipc/contract.js';
import { SnapshotEncoder } from '../../shared/ipc/snapshot-stream.js';
import type { InstancesService } from '../core/instances-service.js';

export const BROWSER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.json': 'application/json',
};

export interface BrowserHostOptions {
  readonly service: InstancesService;
  readonly rendererDir: string;
  readonly host?: string;
  readonly port?: number;
  readonly log?: (line: string) => void;
}

export class BrowserHost {
  readonly #o: BrowserHostOptions;
  #server?: http.Server;
  #wss?: WebSocketServer;

  constructor(options: BrowserHostOptions) {
    this.#o = options;
  }

  async start(): Promise<string> {
    if (!existsSync(path.join(this.#o.rendererDir, 'index.html'))) {
      throw new Error(`the renderer is not built (${this.#o.rendererDir}); run npm run build`);
    }
    const server = http.createServer((req, res) => this.#serveFile(req, res));
    const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
    server.on('upgrade', (req, socket, head) => {
      if (req.url !== '/api' || !this.#isOwnHost(req.headers.host) || !this.#isOwnOrigin(req.headers.origin)) {
        socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.#onSocket(ws));
    });
    this.#server = server;
    this.#wss = wss;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#o.port ?? 0, this.#o.host ?? '127.0.0.1', () => resolve());
    });
    return this.url;
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

  #isOwnHost(host: string | undefined): boolean {
    const port = this.#port();
    return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `${this.#o.host}:${port}` || host === `[::1]:${port}`;
  }

  #isOwnOrigin(origin: string | undefined): boolean {
    if (!origin) return false;
    try {
      return this.#isOwnHost(new URL(origin).host);
    } catch {
      return false;
    }
  }

  #serveFile(req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers = {
      'Content-Security-Policy': BROWSER_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    if (!this.#isOwnHost(req.headers.host)) {
      res.writeHead(421, headers).end('misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const relative = urlPath === '/' ? 'index.html' : urlPath.slice(1);
    const file = path.resolve(this.#o.rendererDir, relative);
    if (!file.startsWith(path.resolve(this.#o.rendererDir) + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  }

  #onSocket(ws: WebSocket): void {
    const { service } = this.#o;
    const send = (message: object) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    // Each window gets the list once, then only what changed (see snapshot-stream.ts).
    const encoder = new SnapshotEncoder();
    const unsubscribe = service.subscribe((snapshot: ViewSnapshot) => {
      for (const message of encoder.encode(snapshot)) send({ type: 'snapshot', message });
    });
    ws.on('close', unsubscribe);
    ws.on('error', () => unsubscribe());
    ws.on('message', async (data) => {
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        send({ type: 'error', error: 'not JSON' });
        return;
      }
      const call = HostRequestSchema.safeParse(raw);
      if (!call.success) {
        send({ type: 'error', error: 'invalid call' });
        return;
      }
      const { id, method, arg } = call.data;
      try {
        let value: unknown;
        switch (method) {
          case 'getSnapshot':
            encoder.reset();
            value = service.snapshot();
            break;
          case 'refresh':
            await service.refresh();
            break;
          case 'getSettings':
            value = service.getSettings();
            break;
          case 'saveSettings':
            value = await service.saveSettings(arg);
            break;
          case 'getMachineHistory':
            value = await service.getMachineHistory(arg);
            break;
          case 'forgetMachine':
            await service.forgetMachine(arg);
            break;
        }
        send({ type: 'result', id, ok: true, value });
      } catch (err) {
        send({ type: 'result', id, ok: false, error: (err as Error).message });
      }
    });
  }
}
