/**
 * A real WebSocket server that follows a script instead of the presence rules:
 * for the protocol edges a healthy gateway never shows (sequence gaps, silence,
 * hostile frames). It completes the handshake like a gateway, then lets the test
 * push any bytes it likes.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';

export interface ScriptedGatewayOptions {
  presence?: unknown[];
  tickIntervalMs?: number;
  /** Answer system-presence with this (default: `presence`). */
  onList?: () => unknown;
  /** Scopes granted in hello-ok (default: read and admin). */
  scopes?: string[];
  /** `hello-ok` `features.methods` (default: system-presence and system-event). */
  methods?: string[];
  /** Holds the answer to a method this long (default: answers at once). */
  answerDelayMs?: (method: string) => number;
  /** Answers other methods; undefined falls back to `{ ok: true }`. */
  onRequest?: (method: string, params: unknown) => { ok: true; payload: unknown } | { ok: false; error: { code: string; message: string; details?: unknown } } | undefined;
}

export class ScriptedGateway {
  readonly wss: WebSocketServer;
  readonly sockets: WebSocket[] = [];
  readonly requests: Array<{ method: string; params: unknown }> = [];
  presence: unknown[];

  private constructor(wss: WebSocketServer, private readonly o: ScriptedGatewayOptions) {
    this.wss = wss;
    this.presence = o.presence ?? [];
    wss.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.send(JSON.stringify({ type: 'event', event: 'connect.challenge', payload: { nonce: 'n-1', ts: Date.now() } }));
      socket.on('message', (data) => {
        let frame: { id: string; method: string; params?: unknown };
        try {
          frame = JSON.parse(data.toString());
        } catch {
          return;
        }
        this.requests.push({ method: frame.method, params: frame.params });
        if (frame.method === 'connect') {
          socket.send(
            JSON.stringify({
              type: 'res',
              id: frame.id,
              ok: true,
              payload: {
                type: 'hello-ok',
                protocol: 4,
                server: { version: 'scripted', connId: 'c' },
                features: { methods: this.o.methods ?? ['system-presence', 'system-event'], events: ['presence', 'tick'] },
                snapshot: { presence: this.presence, stateVersion: { presence: 1, health: 0 }, uptimeMs: 1 },
                auth: { role: 'operator', scopes: this.o.scopes ?? ['operator.read', 'operator.admin'] },
                policy: { maxPayload: 1 << 20, maxBufferedBytes: 1 << 22, tickIntervalMs: this.o.tickIntervalMs ?? 30_000 },
              },
            }),
          );
        } else {
          const answer =
            frame.method === 'system-presence'
              ? { ok: true, payload: this.o.onList ? this.o.onList() : this.presence }
              : (this.o.onRequest?.(frame.method, frame.params) ?? { ok: true, payload: { ok: true } });
          const send = () => socket.send(JSON.stringify({ type: 'res', id: frame.id, ...answer }));
          const delayMs = this.o.answerDelayMs?.(frame.method) ?? 0;
          if (delayMs > 0) setTimeout(send, delayMs);
          else send();
        }
      });
    });
  }

  static async start(o: ScriptedGatewayOptions = {}): Promise<ScriptedGateway> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    return new ScriptedGateway(wss, o);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** Sends to every open socket. */
  push(data: string | Buffer): void {
    for (const s of this.sockets) if (s.readyState === s.OPEN) s.send(data);
  }

  async stop(): Promise<void> {
    for (const s of this.wss.clients) s.terminate();
    await new Promise((r) => this.wss.close(r));
  }
}
