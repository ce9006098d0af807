/**
 * One WebSocket session with a gateway: challenge, `connect`, then requests
 * and events. Every frame that arrives is parsed against a schema; a frame that
 * fails is logged and skipped, never thrown into the app.
 */
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type GatewayMethod } from '../../shared/protocol/constants.js';
import { buildDevicePayloadV3 } from '../../shared/protocol/device-payload.js';
import {
  ConnectChallengeSchema,
  HelloOkSchema,
  ServerFrameSchema,
  describeIssues,
  type EventFrame,
  type HelloOk,
  type ServerFrame,
} from '../../shared/protocol/frames.js';
import { signPayload } from '../device/ed25519.js';
import { redactUrl } from '../../shared/format/redact-url.js';
import type { ClientIdentity } from './identity.js';
import type { ErrorInfo } from './connect-errors.js';
import { Emitter, logListenerError } from '../../shared/events/emitter.js';

export class GatewayError extends Error implements ErrorInfo {
  constructor(
    message: string,
    readonly code?: string,
    readonly detailCode?: string,
    readonly closeCode?: number,
    readonly retryAfterMs?: number,
    /** The pairing request the gateway opened for this device, when it wants approval. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export interface ConnectionOptions {
  readonly url: string;
  readonly token?: string;
  readonly password?: string;
  readonly identity: ClientIdentity;
  readonly clientId: string;
  readonly connectMode: string;
  readonly version: string;
  readonly platform: string;
  readonly deviceFamily?: string;
  readonly modelIdentifier?: string;
  readonly displayName?: string;
  readonly scopes: readonly string[];
  readonly handshakeTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Frames above this close the socket (ws answers 1009) instead of being buffered. */
  readonly maxFrameBytes?: number;
  /** Extra HTTP headers on the WebSocket upgrade, for reverse proxies that need them. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly clock?: () => number;
  readonly log?: (line: string) => void;
  /** Aborting it drops a connection still in its handshake, so a stopped client leaves no socket behind. */
  readonly signal?: AbortSignal;
}

interface Pending {
  resolve(payload: unknown): void;
  reject(err: GatewayError): void;
  timer: NodeJS.Timeout;
}

export interface OpenedConnection {
  readonly connection: GatewayConnection;
  readonly hello: HelloOk;
  /** The challenge's gateway timestamp and our clock when it arrived, for the offset estimate. */
  readonly challengeTs: number;
  readonly challengeReceivedAtMs: number;
}

export class GatewayConnection {
  readonly #socket: WebSocket;
  readonly #opts: ConnectionOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #events: Emitter<[frame: EventFrame]>;
  readonly #closes: Emitter<[code: number, reason: string]>;
  #nextId = 1;
  #closed = false;
  /** Bad frames seen: counted and logged, never fatal. */
  badFrames = 0;
  lastFrameAtMs = 0;

  private constructor(socket: WebSocket, opts: ConnectionOptions) {
    this.#socket = socket;
    this.#opts = opts;
    const log = opts.log ?? (() => {});
    this.#events = new Emitter(logListenerError(log, 'a gateway event'));
    this.#closes = new Emitter(logListenerError(log, 'a connection close'));
  }

  /** Opens a socket and completes the handshake; rejects with a GatewayError saying why not. */
  static open(opts: ConnectionOptions): Promise<OpenedConnection> {
    const clock = opts.clock ?? Date.now;
    const log = opts.log ?? (() => {});
    return new Promise<OpenedConnection>((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(opts.url, { headers: opts.headers, maxPayload: opts.maxFrameBytes ?? 32 * 1024 * 1024, handshakeTimeout: opts.handshakeTimeoutMs ?? 10_000, perMessageDeflate: false });
      } catch (err) {
        reject(new GatewayError(`invalid gateway URL ${redactUrl(opts.url)}: ${(err as Error).message}`, 'INVALID_URL'));
        return;
      }
      const conn = new GatewayConnection(socket, opts);
      let settled = false;
      const fail = (err: GatewayError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        conn.close();
        reject(err);
      };
      const timer = setTimeout(() => fail(new GatewayError('the gateway did not finish the handshake in time', 'TIMEOUT')), opts.handshakeTimeoutMs ?? 10_000);
      const abort = () => fail(new GatewayError('stopped before the handshake finished', 'ABORTED'));
      if (opts.signal?.aborted) abort();
      opts.signal?.addEventListener('abort', abort, { once: true });
      socket.on('error', (err) => fail(new GatewayError(`cannot reach ${redactUrl(opts.url)}: ${err.message}`, 'UNREACHABLE')));
      socket.on('close', (code, reason) => {
        conn.#onClose(code, reason.toString());
        fail(new GatewayError(`the gateway closed the connection (${code}${reason.length ? ` ${reason.toString()}` : ''})`, code === 1013 ? 'UNAVAILABLE' : 'CLOSED', undefined, code));
      });
      let challengeSeen = false;
      socket.on('message', (data) => {
        const frame = conn.#parse(data);
        if (!frame) return;
        if (frame.type === 'event' && frame.event === 'connect.challenge' && !challengeSeen) {
          const challenge = ConnectChallengeSchema.safeParse(frame.payload);
          if (!challenge.success) {
            fail(new GatewayError(`bad connect.challenge: ${describeIssues(challenge.error)}`, 'BAD_FRAME'));
            return;
          }
          challengeSeen = true;
          const receivedAt = clock();
          // Sign at the gateway's own time: a viewer whose clock is minutes off is still inside
          // the gateway's signature window (the real gateway accepts the challenge ts).
          conn.#request('connect', conn.#connectParams(challenge.data.nonce, challenge.data.ts)).then(
            (payload) => {
              const hello = HelloOkSchema.safeParse(payload);
              if (!hello.success) {
                fail(new GatewayError(`bad hello-ok: ${describeIssues(hello.error)}`, 'BAD_FRAME'));
                return;
              }
              if (settled) return;
              settled = true;
              clearTimeout(timer);
              resolve({ connection: conn, hello: hello.data, challengeTs: challenge.data.ts, challengeReceivedAtMs: receivedAt });
            },
            (err: GatewayError) => fail(err),
          );
          return;
        }
        conn.#dispatch(frame);
      });
      log(`connecting to ${redactUrl(opts.url)}`);
    });
  }

  #connectParams(nonce: string, signedAtMs: number): Record<string, unknown> {
    const o = this.#opts;
    const role = 'operator';
    const signature = signPayload(
      o.identity.privateKeyPem,
      buildDevicePayloadV3({
        deviceId: o.identity.deviceId,
        clientId: o.clientId,
        clientMode: o.connectMode,
        role,
        scopes: o.scopes,
        signedAtMs,
        token: o.token,
        nonce,
        platform: o.platform,
        deviceFamily: o.deviceFamily,
      }),
    );
    const auth = { ...(o.token ? { token: o.token } : {}), ...(o.password ? { password: o.password } : {}) };
    return {
      minProtocol: PROTOCOL_VERSION,
      maxProtocol: PROTOCOL_VERSION,
      client: {
        id: o.clientId,
        version: o.version,
        platform: o.platform,
        mode: o.connectMode,
        instanceId: o.identity.instanceId,
        ...(o.displayName ? { displayName: o.displayName } : {}),
        ...(o.deviceFamily ? { deviceFamily: o.deviceFamily } : {}),
        ...(o.modelIdentifier ? { modelIdentifier: o.modelIdentifier } : {}),
      },
      role,
      scopes: [...o.scopes],
      ...(Object.keys(auth).length ? { auth } : {}),
      device: { id: o.identity.deviceId, publicKey: o.identity.publicKey, signature, signedAt: signedAtMs, nonce },
    };
  }

  #parse(data: WebSocket.RawData): ServerFrame | undefined {
    this.lastFrameAtMs = (this.#opts.clock ?? Date.now)();
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch (err) {
      // Deeply nested JSON throws RangeError here too: both are just a bad frame.
      this.#bad(`not JSON (${(err as Error).name})`);
      return undefined;
    }
    const frame = ServerFrameSchema.safeParse(raw);
    if (!frame.success) {
      this.#bad(describeIssues(frame.error));
      return undefined;
    }
    return frame.data;
  }

  #bad(why: string): void {
    this.badFrames += 1;
    // Log the first few and then every hundredth, so a hostile gateway can't flood the log.
    if (this.badFrames <= 5 || this.badFrames % 100 === 0) (this.#opts.log ?? (() => {}))(`skipped bad frame #${this.badFrames} from gateway: ${why.slice(0, 200)}`);
  }

  #dispatch(frame: ServerFrame): void {
    if (frame.type === 'res') {
      const pending = this.#pending.get(frame.id);
      if (!pending) return;
      this.#pending.delete(frame.id);
      clearTimeout(pending.timer);
      if (frame.ok) pending.resolve(frame.payload);
      else {
        const details = frame.error?.details as { code?: unknown; requestId?: unknown } | undefined;
        pending.reject(
          new GatewayError(
            frame.error?.message ?? 'request failed',
            frame.error?.code,
            typeof details?.code === 'string' ? details.code : undefined,
            undefined,
            frame.error?.retryAfterMs,
            typeof details?.requestId === 'string' ? details.requestId.slice(0, 128) : undefined,
          ),
        );
      }
      return;
    }
    this.#events.emit(frame);
  }

  #request(method: string, params?: unknown): Promise<unknown> {
    if (this.#closed || this.#socket.readyState !== WebSocket.OPEN) return Promise.reject(new GatewayError('not connected', 'CLOSED'));
    const id = String(this.#nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new GatewayError(`${method} timed out`, 'TIMEOUT'));
      }, this.#opts.requestTimeoutMs ?? 10_000);
      this.#pending.set(id, { resolve, reject, timer });
      this.#socket.send(JSON.stringify({ type: 'req', id, method, ...(params === undefined ? {} : { params }) }));
    });
  }

  /** A gateway method by its protocol name (shared/protocol/constants.ts), answered with its raw payload for the caller to validate. */
  request(method: GatewayMethod, params?: unknown): Promise<unknown> {
    return this.#request(method, params);
  }

  onEvent(listener: (frame: EventFrame) => void): () => void {
    return this.#events.on(listener);
  }

  onClose(listener: (code: number, reason: string) => void): () => void {
    return this.#closes.on(listener);
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const [, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(new GatewayError('connection closed', 'CLOSED', undefined, code));
    }
    this.#pending.clear();
    this.#closes.emit(code, reason);
  }

  get isOpen(): boolean {
    return !this.#closed && this.#socket.readyState === WebSocket.OPEN;
  }

  close(): void {
    if (this.#socket.readyState === WebSocket.CONNECTING || this.#socket.readyState === WebSocket.OPEN) this.#socket.terminate();
    this.#onClose(1006, 'closed by client');
  }
}
