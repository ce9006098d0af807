/**
 * The embedded presence gateway: a WebSocket server that speaks the presence
 * subset of OpenClaw's gateway protocol (version 4) over `ws`.
 *
 * Handshake: `connect.challenge` → `connect` (closed schema, token/password,
 * device proof) → `hello-ok` with the presence snapshot. Then `system-presence`
 * and `system-event` with the real gateway's scopes, `presence` events to every
 * operator that may read, `tick` heartbeats, and `shutdown` on stop. Every bad
 * input is answered with an error frame; nothing a peer sends can throw here.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  AUTH_DETAIL_CODES,
  CLOSE_CODES,
  ERROR_CODES,
  EVENTS,
  METHOD_SCOPES,
  PROTOCOL_VERSION,
  SCOPE_READ,
  type PresenceMethod,
} from '../../shared/protocol/constants.js';
import {
  ConnectParamsSchema,
  RequestFrameSchema,
  SystemEventParamsSchema,
  describeIssues,
  type ConnectParams,
  type ErrorShape,
} from '../../shared/protocol/frames.js';
import { isLoopbackAddress } from '../../shared/presence/loopback.js';
import { DEFAULT_PRESENCE_LIMITS, type PresenceLimits } from '../../shared/presence/entry.js';
import type { SelfInfo } from '../../shared/presence/rules.js';
import { decideConnect, type AuthConfig, type ConnectDecision } from './connect-auth.js';
import {
  AuthBackoff,
  DEFAULT_AUTH_BACKOFF_POLICY,
  DEFAULT_PRE_AUTH_POLICY,
  UnauthenticatedPool,
  backoffKeyFor,
  rateLimitedError,
  type AuthBackoffPolicy,
  type PreAuthPolicy,
} from './admission.js';
import { checkBrowserOrigin, hasForwardingHeaders } from './origin-policy.js';
import { PresenceStore, type Clock } from './presence-store.js';

export interface GatewayServerOptions extends AuthConfig {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly self: SelfInfo;
  readonly version?: string;
  readonly clock?: Clock;
  readonly limits?: PresenceLimits;
  readonly tickIntervalMs?: number;
  /** Frames above this get an error frame; the socket stays open. */
  readonly maxFrameBytes?: number;
  readonly maxConnections?: number;
  readonly handshakeTimeoutMs?: number;
  /**
   * Presence events are coalesced: at most one per this many ms, always with the
   * latest list, so a burst of beacons costs one broadcast instead of thousands.
   */
  readonly presenceBroadcastMs?: number;
  /** Benchmarks only: send no presence events, so clients must poll. */
  readonly presenceEvents?: boolean;
  readonly log?: (line: string) => void;
  /**
   * Browser origins allowed besides same-origin and loopback pages (`--allow-origin`),
   * normalised with `normalizeAllowedOrigin`.
   */
  readonly allowedOrigins?: readonly string[];
  /** Limits before sign-in (the deadline is `handshakeTimeoutMs`). */
  readonly preAuth?: Partial<Omit<PreAuthPolicy, 'deadlineMs'>>;
  readonly authBackoff?: Partial<AuthBackoffPolicy>;
}

interface Session {
  readonly connId: string;
  readonly socket: WebSocket;
  readonly remoteAddress?: string;
  readonly origin?: string;
  readonly nonce: string;
  connected: boolean;
  /** One `connect` per socket: a second one can't be used to guess while a failure's answer is held. */
  connectSeen?: boolean;
  /** The device proven at connect: the only row this connection's beacons may write. */
  deviceId?: string;
  /** Stops counting pre-auth bytes. */
  stopByteCount?: () => void;
  scopes: ReadonlySet<string>;
  eventSeq: number;
  handshakeTimer?: NodeJS.Timeout;
}

const METHODS = Object.keys(METHOD_SCOPES) as PresenceMethod[];

/** Refuses to listen beyond loopback without a shared secret. */
export function assertSafeBind(host: string, auth: AuthConfig): void {
  if (!isLoopbackAddress(host) && !auth.token && !auth.password) {
    throw new Error(`refusing to listen on ${host} without a token or password: anyone on the network could read and write presence`);
  }
}

export class GatewayServer {
  readonly store: PresenceStore;
  readonly #opts: Required<Omit<GatewayServerOptions, 'token' | 'password' | 'log' | 'allowedOrigins' | 'preAuth' | 'authBackoff'>> & AuthConfig & { log: (line: string) => void };
  readonly #sessions = new Map<WebSocket, Session>();
  readonly #unauthenticated: UnauthenticatedPool<Session>;
  readonly #authBackoff: AuthBackoff;
  readonly #preAuthMaxBytes: number;
  readonly #allowedOrigins: readonly string[];
  #authenticatedCount = 0;
  #wss?: WebSocketServer;
  #tickTimer?: NodeJS.Timeout;
  #broadcastTimer?: NodeJS.Timeout;
  #lastBroadcastAtMs = 0;
  #startedAtMs = 0;

  constructor(options: GatewayServerOptions) {
    const host = options.host ?? '127.0.0.1';
    assertSafeBind(host, options);
    this.#opts = {
      host,
      port: options.port ?? 0,
      self: options.self,
      version: options.version ?? options.self.version,
      clock: options.clock ?? Date.now,
      limits: options.limits ?? DEFAULT_PRESENCE_LIMITS,
      tickIntervalMs: options.tickIntervalMs ?? 30_000,
      maxFrameBytes: options.maxFrameBytes ?? 512 * 1024,
      maxConnections: options.maxConnections ?? 1024,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULT_PRE_AUTH_POLICY.deadlineMs,
      presenceBroadcastMs: options.presenceBroadcastMs ?? 50,
      presenceEvents: options.presenceEvents ?? true,
      token: options.token,
      password: options.password,
      log: options.log ?? (() => {}),
    };
    this.store = new PresenceStore(options.self, this.#opts.clock, this.#opts.limits);
    const preAuth = { ...DEFAULT_PRE_AUTH_POLICY, ...options.preAuth };
    this.#unauthenticated = new UnauthenticatedPool(preAuth);
    this.#preAuthMaxBytes = preAuth.maxBytes;
    this.#authBackoff = new AuthBackoff({ ...DEFAULT_AUTH_BACKOFF_POLICY, ...options.authBackoff });
    this.#allowedOrigins = options.allowedOrigins ?? [];
    this.store.onChange(() => this.#scheduleBroadcast());
  }

  /** Starts listening; resolves with the bound port. */
  async start(): Promise<number> {
    const wss = new WebSocketServer({
      host: this.#opts.host,
      port: this.#opts.port,
      // Hard cap: ws closes with 1009 before buffering more than this. Frames
      // between maxFrameBytes and this get a readable error frame instead.
      maxPayload: this.#opts.maxFrameBytes * 4,
      perMessageDeflate: false,
      // Browser pages are refused at the upgrade unless their Origin is trusted (V3).
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
        const decision = checkBrowserOrigin(
          { origin: info.req.headers.origin, host: info.req.headers.host, remoteAddress: info.req.socket.remoteAddress, forwarded: hasForwardingHeaders(info.req.headers) },
          this.#allowedOrigins,
        );
        if (decision.ok) done(true);
        else {
          // Escaped and cut: the header is the peer's text, not ours to print raw.
          const shown = JSON.stringify(info.req.headers.origin ?? '').slice(0, 200).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
          this.#opts.log(`refused a browser origin (${decision.reason}): ${shown}`);
          done(false, 403, 'origin not allowed');
        }
      },
    });
    this.#wss = wss;
    wss.on('connection', (socket, request) => this.#onConnection(socket, request));
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    wss.on('error', (err) => this.#opts.log(`server error: ${err.message}`));
    this.#startedAtMs = this.#opts.clock();
    this.#tickTimer = setInterval(() => this.#tick(), this.#opts.tickIntervalMs);
    this.#tickTimer.unref();
    return this.port;
  }

  get port(): number {
    const address = this.#wss?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : 0;
  }

  get url(): string {
    return `ws://${this.#opts.host.includes(':') ? `[${this.#opts.host}]` : this.#opts.host}:${this.port}`;
  }

  get connectionCount(): number {
    return this.#sessions.size;
  }

  /** Sockets that have not signed in yet. */
  get unauthenticatedCount(): number {
    return this.#unauthenticated.size;
  }

  /** Sends `shutdown` to everyone, closes every socket, stops listening. */
  async stop(reason = 'gateway stopping'): Promise<void> {
    if (this.#tickTimer) clearInterval(this.#tickTimer);
    clearTimeout(this.#broadcastTimer);
    for (const session of this.#sessions.values()) {
      if (session.connected) this.#sendEvent(session, 'shutdown', { reason });
      session.socket.close(CLOSE_CODES.goingAway, 'shutdown');
    }
    const wss = this.#wss;
    this.#wss = undefined;
    if (!wss) return;
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  #onConnection(socket: WebSocket, request: IncomingMessage): void {
    const remoteAddress = request.socket.remoteAddress;
    const session: Session = {
      connId: randomUUID(),
      socket,
      remoteAddress,
      origin: request.headers.origin,
      nonce: randomUUID(),
      connected: false,
      scopes: new Set(),
      eventSeq: 0,
    };
    socket.on('error', (err) => this.#opts.log(`socket error ${session.connId}: ${err.message}`));
    // Only signed-in connections count here; sockets still signing in have their own caps.
    if (this.#authenticatedCount >= this.#opts.maxConnections) {
      this.#sendRaw(session, {
        type: 'event',
        event: 'error',
        payload: { code: ERROR_CODES.unavailable, message: 'too many connections', details: { code: AUTH_DETAIL_CODES.tooManyConnections } },
      });
      socket.close(CLOSE_CODES.tryAgainLater, 'too many connections');
      return;
    }
    this.#sessions.set(socket, session);
    socket.on('close', () => {
      clearTimeout(session.handshakeTimer);
      session.stopByteCount?.();
      this.#unauthenticated.remove(session);
      if (session.connected) this.#authenticatedCount -= 1;
      this.#sessions.delete(socket);
    });
    for (const old of this.#unauthenticated.add(session, remoteAddress)) old.socket.close(CLOSE_CODES.tryAgainLater, 'too many unauthenticated connections');
    session.stopByteCount = this.#countPreAuthBytes(session, request.socket);
    socket.on('message', (data, isBinary) => this.#onMessage(session, data, isBinary));
    session.handshakeTimer = setTimeout(() => {
      if (!session.connected) socket.close(CLOSE_CODES.policyViolation, 'handshake timeout');
    }, this.#opts.handshakeTimeoutMs);
    session.handshakeTimer.unref();
    this.#sendRaw(session, { type: 'event', event: 'connect.challenge', payload: { nonce: session.nonce, ts: this.#opts.clock() } });
  }

  /**
   * Before sign-in a peer gets a small byte budget (a `connect` is a few KB), counted
   * on the TCP stream so a half-sent big frame is cut off before ws buffers it.
   */
  #countPreAuthBytes(session: Session, raw: Socket): () => void {
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= this.#preAuthMaxBytes || session.connected) return;
      raw.off('data', onData);
      // Stop reading: whatever else is in flight is not ours to buffer.
      raw.pause();
      session.socket.close(CLOSE_CODES.tooBig, 'too much data before connect');
      setTimeout(() => session.socket.terminate(), 1000).unref();
    };
    raw.on('data', onData);
    return () => raw.off('data', onData);
  }

  #onMessage(session: Session, data: RawData, isBinary: boolean): void {
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    if (size > this.#opts.maxFrameBytes) {
      this.#sendError(session, 'invalid', ERROR_CODES.invalidRequest, `frame too large: ${size} bytes (limit ${this.#opts.maxFrameBytes})`, AUTH_DETAIL_CODES.frameTooLarge);
      return;
    }
    if (isBinary) {
      this.#sendError(session, 'invalid', ERROR_CODES.invalidRequest, 'binary frames are not supported; send JSON text', AUTH_DETAIL_CODES.badJson);
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      this.#sendError(session, 'invalid', ERROR_CODES.invalidRequest, 'frame is not valid JSON', AUTH_DETAIL_CODES.badJson);
      return;
    }
    const frame = RequestFrameSchema.safeParse(raw);
    if (!frame.success) {
      const id = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' && raw.id ? raw.id.slice(0, 128) : 'invalid';
      this.#sendError(session, id, ERROR_CODES.invalidRequest, `invalid request frame: ${describeIssues(frame.error)}`);
      return;
    }
    const { id, method, params } = frame.data;
    if (method === 'connect') {
      this.#onConnect(session, id, params);
      return;
    }
    if (!session.connected) {
      this.#sendError(session, id, ERROR_CODES.invalidRequest, 'first request must be connect', AUTH_DETAIL_CODES.notConnected);
      return;
    }
    if (!METHODS.includes(method as PresenceMethod)) {
      this.#sendError(session, id, ERROR_CODES.invalidRequest, `unknown method: ${method}`, AUTH_DETAIL_CODES.unknownMethod);
      return;
    }
    const needed = METHOD_SCOPES[method as PresenceMethod];
    if (!session.scopes.has(needed)) {
      this.#sendError(session, id, ERROR_CODES.forbidden, `missing scope: ${needed}`, AUTH_DETAIL_CODES.missingScope);
      return;
    }
    if (method === 'system-presence') {
      this.#sendRaw(session, { type: 'res', id, ok: true, payload: this.store.list() });
      return;
    }
    const beacon = SystemEventParamsSchema.safeParse(params);
    if (!beacon.success) {
      this.#sendError(session, id, ERROR_CODES.invalidRequest, `invalid system-event params: ${describeIssues(beacon.error)}`);
      return;
    }
    const written = this.store.beacon(beacon.data, { deviceId: session.deviceId, fallbackKey: `conn:${session.connId}` });
    if (!written.ok) {
      this.#sendError(session, id, ERROR_CODES.forbidden, written.message, written.code);
      return;
    }
    this.#sendRaw(session, { type: 'res', id, ok: true, payload: { ok: true } });
  }

  #onConnect(session: Session, id: string, rawParams: unknown): void {
    if (session.connected || session.connectSeen) {
      this.#sendError(session, id, ERROR_CODES.invalidRequest, session.connected ? 'already connected' : 'connect already sent');
      return;
    }
    const parsed = ConnectParamsSchema.safeParse(rawParams);
    if (!parsed.success) {
      this.#sendError(session, id, ERROR_CODES.invalidRequest, `invalid connect params: ${describeIssues(parsed.error)}`);
      session.socket.close(CLOSE_CODES.policyViolation, 'invalid connect params');
      return;
    }
    const params: ConnectParams = parsed.data;
    session.connectSeen = true;
    // The deadline is for sending a connect; a failure's answer may be held past it.
    clearTimeout(session.handshakeTimer);
    const backoffKey = backoffKeyFor(session.remoteAddress, session.origin);
    const gate = this.#authBackoff.check(backoffKey);
    if (!gate.allowed) {
      this.#sendRaw(session, { type: 'res', id, ok: false, error: rateLimitedError(gate.retryAfterMs) });
      session.socket.close(CLOSE_CODES.policyViolation, 'too many failed authentication attempts');
      return;
    }
    const decision = decideConnect(params, this.#opts, {
      nonce: session.nonce,
      nowMs: this.#opts.clock(),
      remoteAddress: session.remoteAddress,
    });
    if (!decision.ok) {
      const wrongSecret = decision.detailCode === AUTH_DETAIL_CODES.tokenMismatch || decision.detailCode === AUTH_DETAIL_CODES.passwordMismatch;
      const holdMs = wrongSecret ? this.#authBackoff.recordFailure(backoffKey) : 0;
      const answer = () => {
        this.#sendError(session, id, ERROR_CODES.invalidRequest, decision.message, decision.detailCode);
        session.socket.close(decision.closeCode, decision.message.slice(0, 120));
      };
      if (holdMs > 0) setTimeout(answer, holdMs).unref();
      else answer();
      return;
    }
    if (decision.method !== 'none') this.#authBackoff.recordSuccess(backoffKey);
    const holdMs = decision.method === 'none' ? 0 : this.#authBackoff.holdMs(backoffKey);
    if (holdMs > 0) {
      setTimeout(() => {
        if (session.socket.readyState === session.socket.OPEN) this.#welcome(session, id, params, decision);
      }, holdMs).unref();
      return;
    }
    this.#welcome(session, id, params, decision);
  }

  /** Signs a connection in: counts it, upserts its row, answers hello-ok. */
  #welcome(session: Session, id: string, params: ConnectParams, decision: Extract<ConnectDecision, { ok: true }>): void {
    if (this.#authenticatedCount >= this.#opts.maxConnections) {
      this.#sendError(session, id, ERROR_CODES.unavailable, 'too many connections', AUTH_DETAIL_CODES.tooManyConnections);
      session.socket.close(CLOSE_CODES.tryAgainLater, 'too many connections');
      return;
    }
    session.connected = true;
    this.#authenticatedCount += 1;
    this.#unauthenticated.remove(session);
    session.stopByteCount?.();
    session.deviceId = decision.deviceId;
    session.scopes = new Set(decision.scopes);
    this.store.connect({
      connId: session.connId,
      clientId: params.client.id,
      mode: params.client.mode,
      role: decision.role,
      scopes: decision.scopes,
      version: params.client.version,
      platform: params.client.platform,
      displayName: params.client.displayName,
      deviceFamily: params.client.deviceFamily,
      modelIdentifier: params.client.modelIdentifier,
      instanceId: params.client.instanceId,
      deviceId: decision.deviceId,
      remoteAddress: session.remoteAddress,
    });
    const canRead = session.scopes.has(SCOPE_READ);
    this.#sendRaw(session, {
      type: 'res',
      id,
      ok: true,
      payload: {
        type: 'hello-ok',
        protocol: PROTOCOL_VERSION,
        server: { version: this.#opts.version, connId: session.connId },
        features: { methods: METHODS, events: [...EVENTS] },
        snapshot: {
          presence: canRead ? this.store.list() : [],
          stateVersion: { presence: this.store.version, health: 0 },
          uptimeMs: Math.max(0, this.#opts.clock() - this.#startedAtMs),
        },
        auth: { method: decision.method, role: decision.role, scopes: decision.scopes },
        policy: { maxPayload: this.#opts.maxFrameBytes, maxBufferedBytes: this.#opts.maxFrameBytes * 4, tickIntervalMs: this.#opts.tickIntervalMs },
      },
    });
  }

  #scheduleBroadcast(): void {
    if (!this.#opts.presenceEvents || this.#broadcastTimer) return;
    const wait = Math.max(0, this.#lastBroadcastAtMs + this.#opts.presenceBroadcastMs - Date.now());
    this.#broadcastTimer = setTimeout(() => {
      this.#broadcastTimer = undefined;
      this.#lastBroadcastAtMs = Date.now();
      this.#broadcastPresence();
    }, wait);
    this.#broadcastTimer.unref();
  }

  #broadcastPresence(): void {
    if (this.#sessions.size === 0) return;
    const presence = this.store.list();
    const stateVersion = { presence: this.store.version, health: 0 };
    for (const session of this.#sessions.values()) {
      if (session.connected && session.scopes.has(SCOPE_READ)) this.#sendEvent(session, 'presence', { presence }, stateVersion);
    }
  }

  #tick(): void {
    this.store.sweep();
    const ts = this.#opts.clock();
    for (const session of this.#sessions.values()) {
      if (session.connected) this.#sendRaw(session, { type: 'event', event: 'tick', payload: { ts } });
    }
  }

  #sendEvent(session: Session, event: string, payload: unknown, stateVersion?: { presence: number; health: number }): void {
    session.eventSeq += 1;
    this.#sendRaw(session, { type: 'event', event, payload, seq: session.eventSeq, ...(stateVersion ? { stateVersion } : {}) });
  }

  #sendError(session: Session, id: string, code: string, message: string, detailCode?: string): void {
    const error: ErrorShape = { code, message, ...(detailCode ? { details: { code: detailCode } } : {}) };
    this.#sendRaw(session, { type: 'res', id, ok: false, error });
  }

  #sendRaw(session: Session, frame: object): void {
    if (session.socket.readyState !== session.socket.OPEN) return;
    // A slow reader must not make us buffer without bound.
    if (session.socket.bufferedAmount > this.#opts.maxFrameBytes * 16) {
      session.socket.terminate();
      return;
    }
    session.socket.send(JSON.stringify(frame));
  }
}
