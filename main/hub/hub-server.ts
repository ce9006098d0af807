/**
 * The hub, our built-in presence gateway: a WebSocket server that speaks the presence
 * subset of OpenClaw's gateway protocol (version 4) over `ws`.
 *
 * Handshake: `connect.challenge` → `connect` (closed schema, token/password,
 * device proof v3 or v2, protocol 4 or a node host's 3) → `hello-ok` with the
 * presence snapshot. Then the methods of one table (`./methods/index.ts`) with
 * the real gateway's scopes, `presence` events to every operator that may read,
 * `tick` heartbeats, and `shutdown` on stop. Every bad input is answered with an
 * error frame; nothing a peer sends can throw here.
 *
 * With a `dataDir` the gateway keeps its own `instanceId` and the nodes it has
 * seen there, so both survive a restart.
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
  PROTOCOL_VERSION,
  ROLE_NODE,
  SCOPE_READ,
  scopeSatisfied,
  type Role,
} from '../../shared/protocol/constants.js';
import { ConnectParamsSchema, RequestFrameSchema, describeIssues, type ConnectParams, type ErrorShape } from '../../shared/protocol/frames.js';
import { isLoopbackAddress } from '../../shared/presence/loopback.js';
import { DEFAULT_PRESENCE_LIMITS, type PresenceLimits } from '../../shared/presence/entry.js';
import type { SelfInfo } from '../../shared/presence/rules.js';
import { decideConnect, type AuthConfig, type ConnectDecision } from './connect-auth.js';
import { loadGatewayInstanceId } from './gateway-identity.js';
import { ADVERTISED_METHODS, lookupMethod } from './methods/index.js';
import { healthSnapshot } from './methods/liveness.js';
import { MethodError, type GatewayFacts, type MethodContext } from './methods/types.js';
import { NodeRegistry } from './node-registry.js';
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

export interface HubServerOptions extends AuthConfig {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly self: SelfInfo;
  /**
   * Where the gateway keeps its own state (its `instanceId`, the nodes it has
   * seen). Without one, both last only as long as the process.
   */
  readonly dataDir?: string;
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
  /** Stops counting pre-auth bytes. */
  stopByteCount?: () => void;
  role: Role;
  scopes: readonly string[];
  /** The device proven at connect: the only row this connection's beacons may write. */
  deviceId?: string;
  /** The presence row this connection holds, if any (cli and probe hold none). */
  presenceKey?: string;
  /**
   * Whether the row says `disconnect` when this connection goes: as on the real
   * gateway, for connections it lists. A `backend` connection (our own app) is
   * not listed there, so its row keeps what its beacons said.
   */
  marksDisconnect: boolean;
  /** Set for a node connection with a device: its id in the node registry. */
  nodeId?: string;
  eventSeq: number;
  handshakeTimer?: NodeJS.Timeout;
}

/** Refuses to listen beyond loopback without a shared secret. */
export function assertSafeBind(host: string, auth: AuthConfig): void {
  if (!isLoopbackAddress(host) && !auth.token && !auth.password) {
    throw new Error(`refusing to listen on ${host} without a token or password: anyone on the network could read and write presence`);
  }
}

export class HubServer {
  readonly store: PresenceStore;
  readonly nodes: NodeRegistry;
  readonly instanceId: string;
  readonly #processInstanceId = randomUUID();
  readonly #opts: Required<Omit<HubServerOptions, 'token' | 'password' | 'log' | 'dataDir' | 'allowedOrigins' | 'preAuth' | 'authBackoff'>> &
    AuthConfig & { log: (line: string) => void; dataDir?: string };
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

  constructor(options: HubServerOptions) {
    const host = options.host ?? '127.0.0.1';
    assertSafeBind(host, options);
    this.#opts = {
      host,
      port: options.port ?? 0,
      self: options.self,
      dataDir: options.dataDir,
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
    this.instanceId = loadGatewayInstanceId(options.dataDir, this.#opts.log);
    this.nodes = new NodeRegistry(options.dataDir, this.#opts.clock, this.#opts.log);
    this.store = new PresenceStore({ ...options.self, instanceId: this.instanceId }, this.#opts.clock, this.#opts.limits, this.#opts.log);
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
      role: 'operator',
      scopes: [],
      marksDisconnect: false,
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
      this.#onClosed(session);
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
    void this.#dispatch(session, id, method, params);
  }

  /**
   * One request through the method table: known method, role, scope (as the
   * real gateway decides: `operator.admin` covers all), params, handler.
   */
  async #dispatch(session: Session, id: string, method: string, rawParams: unknown): Promise<void> {
    const def = lookupMethod(method);
    if (!def) {
      this.#sendError(session, id, ERROR_CODES.invalidRequest, `unknown method: ${method}`, AUTH_DETAIL_CODES.unknownMethod);
      return;
    }
    if (def.scope === ROLE_NODE ? session.role !== 'node' : session.role !== 'operator') {
      this.#sendError(session, id, ERROR_CODES.invalidRequest, `unauthorized role: ${session.role}`);
      return;
    }
    if (def.scope !== ROLE_NODE && !scopeSatisfied(def.scope, session.scopes)) {
      // The real gateway's MISSING_SCOPE details, so its clients can tell which grant to ask for.
      this.#sendRaw(session, {
        type: 'res',
        id,
        ok: false,
        error: {
          code: ERROR_CODES.forbidden,
          message: `missing scope: ${def.scope}`,
          details: { code: AUTH_DETAIL_CODES.missingScope, missingScope: def.scope, requiredScopes: [def.scope] },
        },
      });
      return;
    }
    const params = def.params.safeParse(rawParams);
    if (!params.success) {
      this.#sendError(session, id, ERROR_CODES.invalidRequest, `invalid ${method} params: ${describeIssues(params.error)}`);
      return;
    }
    try {
      const payload = await def.handle(this.#methodContext(session), params.data);
      this.#sendRaw(session, { type: 'res', id, ok: true, payload });
    } catch (err) {
      if (err instanceof MethodError) {
        this.#sendRaw(session, { type: 'res', id, ok: false, error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
        return;
      }
      this.#opts.log(`${method} failed: ${(err as Error).message}`);
      this.#sendError(session, id, ERROR_CODES.unavailable, `${method} failed`);
    }
  }

  #gatewayFacts(): GatewayFacts {
    return {
      version: this.#opts.version,
      instanceId: this.instanceId,
      processInstanceId: this.#processInstanceId,
      startedAtMs: this.#startedAtMs,
      port: this.port,
      dataDir: this.#opts.dataDir,
      tickIntervalMs: this.#opts.tickIntervalMs,
    };
  }

  #methodContext(session: Session): MethodContext {
    return {
      caller: { connId: session.connId, role: session.role, scopes: session.scopes, deviceId: session.deviceId },
      gateway: this.#gatewayFacts(),
      store: this.store,
      nodes: this.nodes,
      clock: this.#opts.clock,
    };
  }

  /** A connection went: its node goes offline, and its row says `disconnect` once no other connection holds it. */
  #onClosed(session: Session): void {
    if (!session.connected) return;
    if (session.nodeId) this.nodes.disconnected(session.nodeId, session.connId);
    const key = session.presenceKey;
    if (key === undefined || !session.marksDisconnect) return;
    for (const other of this.#sessions.values()) if (other.connected && other.presenceKey === key) return;
    if (this.#wss) this.store.disconnect(key);
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
    session.role = decision.role;
    session.scopes = decision.scopes;
    session.deviceId = decision.deviceId;
    const remoteIp = session.remoteAddress && !isLoopbackAddress(session.remoteAddress) ? session.remoteAddress : undefined;
    if (decision.role === 'node' && decision.deviceId) {
      session.nodeId = decision.deviceId;
      this.nodes.connected({
        nodeId: decision.deviceId,
        connId: session.connId,
        displayName: params.client.displayName,
        platform: params.client.platform,
        version: params.client.version,
        clientId: params.client.id,
        clientMode: params.client.mode,
        deviceFamily: params.client.deviceFamily,
        modelIdentifier: params.client.modelIdentifier,
        remoteIp,
        caps: params.caps ?? [],
        commands: params.commands ?? [],
        permissions: params.permissions,
        pathEnv: params.pathEnv,
      });
    }
    session.marksDisconnect = params.client.mode !== 'backend';
    session.presenceKey = this.store.connect({
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
      timeZone: params.client.timeZone,
      remoteAddress: session.remoteAddress,
    });
    const canRead = decision.role === 'operator' && scopeSatisfied(SCOPE_READ, session.scopes);
    this.#sendRaw(session, {
      type: 'res',
      id,
      ok: true,
      payload: {
        type: 'hello-ok',
        protocol: PROTOCOL_VERSION,
        server: { version: this.#opts.version, connId: session.connId },
        features: { methods: [...ADVERTISED_METHODS], events: [...EVENTS] },
        snapshot: {
          presence: canRead ? this.store.list() : [],
          health: healthSnapshot({ clock: this.#opts.clock }, this.#startedAtMs),
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
    // The injected clock, like every other time here; capped so a clock that jumps back can't stall events.
    const wait = Math.min(this.#opts.presenceBroadcastMs, Math.max(0, this.#lastBroadcastAtMs + this.#opts.presenceBroadcastMs - this.#opts.clock()));
    this.#broadcastTimer = setTimeout(() => {
      this.#broadcastTimer = undefined;
      this.#lastBroadcastAtMs = this.#opts.clock();
      this.#broadcastPresence();
    }, wait);
    this.#broadcastTimer.unref();
  }

  #broadcastPresence(): void {
    if (this.#sessions.size === 0) return;
    const presence = this.store.list();
    const stateVersion = { presence: this.store.version, health: 0 };
    for (const session of this.#sessions.values()) {
      if (session.connected && session.role === 'operator' && scopeSatisfied(SCOPE_READ, session.scopes)) this.#sendEvent(session, 'presence', { presence }, stateVersion);
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
