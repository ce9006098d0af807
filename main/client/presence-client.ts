/**
 * The presence client: keeps one connection to a gateway alive, beacons this
 * machine's presence, and keeps an up-to-date copy of the gateway's list.
 *
 * - Beacons at launch, after every reconnect, every interval, on wake and on demand.
 * - The list comes from `hello-ok`, `presence` events, a re-fetch when an event
 *   `seq` skips, and a poll as a fallback (expiry on the real gateway sends no event).
 *   The poll runs `pollIntervalMs` after the last list taken, whatever brought it: an
 *   event's list is as fresh as a poll's, so a window whose own beacon brings a list
 *   every minute is not also redrawn by a poll at the same moment.
 *   Lists from events are taken at most once per `listIntervalMs`, the newest of a
 *   burst (latest-throttle.ts), and only entries that changed are checked again
 *   (PresenceListReader): a gateway that sends its whole list 100 times a second
 *   must not keep the core busy.
 * - Reconnects with capped, jittered backoff; a socket silent for 2.5 ticks is
 *   dropped; terminal refusals (bad token, protocol) stop retrying and say why.
 * - Estimates the gateway's clock from `connect.challenge` and `tick` timestamps.
 * - Reads `node.list` and `system.info` where the gateway offers them
 *   (known-machines-reader.ts), for machines that are known but not present.
 */
import { SCOPE_ADMIN, SCOPE_READ } from '../../shared/protocol/constants.js';
import { PresenceHolderSchema, PresenceListReader } from '../../shared/protocol/presence-list.js';
import { redactUrl } from '../../shared/format/redact-url.js';
import { ShutdownPayloadSchema, TickPayloadSchema, type EventFrame } from '../../shared/protocol/frames.js';
import type { ConnectionState, InstancesSnapshot, ReceivedEntry, BeaconReport, KnownMachines, UnreadEntries } from '../../shared/client/view-state.js';
import type { HostInfo } from '../system/host-info.js';
import { DEFAULT_BACKOFF, backoffDelayMs, type BackoffPolicy } from './backoff.js';
import { buildBeacon } from './beacon.js';
import { clientIdFor, connectModeFor, type PresenceMode } from './client-profile.js';
import { classifyConnectError } from './connect-errors.js';
import { GatewayConnection, GatewayError } from './connection.js';
import type { ClientIdentity } from './identity.js';
import { KnownMachinesReader } from './known-machines-reader.js';
import { Emitter, logListenerError } from '../../shared/events/emitter.js';
import { LatestThrottle } from './latest-throttle.js';

export interface GatewayTarget {
  readonly url: string;
  readonly token?: string;
  readonly password?: string;
  readonly kind: 'embedded' | 'remote';
}

export interface PresenceClientOptions {
  readonly gateway: GatewayTarget;
  readonly identity: ClientIdentity;
  readonly version: string;
  readonly hostInfo: () => HostInfo;
  readonly idleSeconds: () => number | undefined;
  readonly shareActivity?: boolean;
  /** false: a viewer that never beacons (e.g. `--list`). */
  readonly beacon?: boolean;
  readonly beaconIntervalMs?: number;
  /** How long after the last list taken the client asks for one itself (default 30 s). */
  readonly pollIntervalMs?: number;
  /** Least time between two lists taken from `presence` events (default 25 ms); the newest of a burst is taken. */
  readonly listIntervalMs?: number;
  /** Least time between two `node.list`/`system.info` reads (default 5 s). */
  readonly knownReadIntervalMs?: number;
  readonly presenceMode?: PresenceMode;
  readonly backoff?: BackoffPolicy;
  readonly requestTimeoutMs?: number;
  /** Extra HTTP headers on the WebSocket upgrade (reverse proxies). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Used until `hello-ok` says otherwise. */
  readonly tickIntervalMs?: number;
  readonly clock?: () => number;
  readonly random?: () => number;
  readonly platform?: NodeJS.Platform;
  readonly log?: (line: string) => void;
}

const OFFSET_SAMPLES = 8;
/**
 * A new clock-offset estimate this close to the one in use is the same clock seen
 * through a different latency. Every row a window draws carries the offset (ages and
 * statuses are read on the gateway's clock), so a 1 ms wobble redrew every row on
 * each poll; under 100 ms no age (10 s steps) or status (1 s grid) can show it.
 */
export const OFFSET_NOISE_MS = 100;

/**
 * List versions are unique in the process, not per client: when settings make the core
 * start a new client for the same gateway, its first list must not look like the old one's.
 */
let lastListVersion = 0;

export class PresenceClient {
  readonly #o: PresenceClientOptions;
  readonly #clock: () => number;
  readonly #log: (line: string) => void;
  readonly #listeners: Emitter<[snapshot: InstancesSnapshot]>;
  #connection?: GatewayConnection;
  #opening?: { abort: AbortController; done: Promise<void> };
  #state: ConnectionState = { kind: 'idle' };
  #entries: readonly ReceivedEntry[] = [];
  #listReceivedAtMs?: number;
  #listVersion = 0;
  #offsetSamples: number[] = [];
  /** The offset in use: the best recent sample, moved only past `OFFSET_NOISE_MS` (kept across reconnects). */
  #offsetMs?: number;
  #missingScope?: string;
  #unreadEntries?: UnreadEntries;
  #lastBeacon?: BeaconReport;
  #known?: KnownMachines;
  #knownReader?: KnownMachinesReader;
  /** Lists taken in on this client: a poll's list is dropped if one was taken after it arrived. */
  #listsTaken = 0;
  /** Set while a poll takes node.list and system.info in: their change goes out with the poll's list. */
  #pollTaking?: { knownChanged: boolean };
  #scopes = new Set<string>();
  #attempt = 0;
  /** Why the last connection or attempt failed; cleared once connected. */
  #lastError: string | undefined;
  #hasBeaconedOnce = false;
  #lastSeq?: number;
  #tickIntervalMs: number;
  #shareActivity: boolean;
  #beaconIntervalMs: number;
  #timers: { retry?: NodeJS.Timeout; beacon?: NodeJS.Timeout; poll?: NodeJS.Timeout; watchdog?: NodeJS.Timeout } = {};
  #running = false;
  readonly #reader = new PresenceListReader();
  readonly #eventLists: LatestThrottle<unknown>;

  get #presenceMode(): PresenceMode {
    return this.#o.presenceMode ?? (this.#o.beacon === false ? 'viewer' : 'beacon-only');
  }

  constructor(options: PresenceClientOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
    this.#log = options.log ?? (() => {});
    this.#listeners = new Emitter(logListenerError(this.#log, 'a snapshot'));
    this.#tickIntervalMs = options.tickIntervalMs ?? 30_000;
    this.#shareActivity = options.shareActivity ?? true;
    this.#beaconIntervalMs = options.beaconIntervalMs ?? 60_000;
    this.#eventLists = new LatestThrottle({ intervalMs: options.listIntervalMs ?? 25, clock: this.#clock, apply: (raw) => this.#applyList(raw, 'presence event') });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#connect();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#clearTimers(true);
    // A handshake still under way is dropped too, and waited for: once stop() resolves, no socket of ours is open.
    this.#opening?.abort.abort();
    await this.#opening?.done;
    this.#knownReader?.stop();
    this.#knownReader = undefined;
    this.#connection?.close();
    this.#connection = undefined;
    this.#setState({ kind: 'idle' });
  }

  snapshot(): InstancesSnapshot {
    return {
      connection: this.#state,
      entries: this.#entries,
      listReceivedAtMs: this.#listReceivedAtMs,
      listVersion: this.#listVersion,
      clockOffsetMs: this.clockOffsetMs,
      self: { instanceId: this.#o.identity.instanceId, deviceId: this.#o.identity.deviceId },
      missingScope: this.#missingScope,
      ...(this.#unreadEntries ? { unreadEntries: this.#unreadEntries } : {}),
      lastBeacon: this.#lastBeacon,
      gateway: { kind: this.#o.gateway.kind, url: this.#o.gateway.url },
      ...(this.#known ? { known: this.#known } : {}),
    };
  }

  subscribe(listener: (s: InstancesSnapshot) => void): () => void {
    return this.#listeners.on(listener);
  }

  /** Gateway clock minus ours; the best (largest) recent sample, as latency only makes samples smaller. */
  get clockOffsetMs(): number {
    return this.#offsetMs ?? 0;
  }

  /** Changes what the next beacons carry, and when they go. */
  updatePreferences(p: { shareActivity?: boolean; beaconIntervalMs?: number }): void {
    const shareChanged = p.shareActivity !== undefined && p.shareActivity !== this.#shareActivity;
    if (p.shareActivity !== undefined) this.#shareActivity = p.shareActivity;
    if (p.beaconIntervalMs !== undefined) this.#beaconIntervalMs = p.beaconIntervalMs;
    if (this.#state.kind === 'connected') {
      this.#scheduleBeacons();
      // Withdraw (or share) the idle time now rather than at the next period.
      if (shareChanged) void this.beaconNow('periodic');
    }
  }

  /** The "Refresh" button: an `instances-refresh` beacon, then a fresh list. */
  async refresh(): Promise<void> {
    if (this.#state.kind !== 'connected') {
      if (this.#state.kind === 'reconnecting' || this.#state.kind === 'failed') this.#retryNow();
      return;
    }
    await this.beaconNow('instances-refresh');
    await this.#fetchList();
  }

  /** Sends a beacon now (wake from sleep, settings change, refresh). */
  async beaconNow(reason: string): Promise<void> {
    const conn = this.#connection;
    if (!conn || this.#o.beacon === false || this.#state.kind !== 'connected') return;
    if (!this.#scopes.has(SCOPE_ADMIN)) {
      this.#reportBeacon({ atMs: this.#clock(), reason, ok: false, error: `this connection lacks ${SCOPE_ADMIN}` });
      return;
    }
    const params = buildBeacon({
      instanceId: this.#o.identity.instanceId,
      deviceId: this.#o.identity.deviceId,
      host: this.#o.hostInfo(),
      version: this.#o.version,
      idleSeconds: this.#o.idleSeconds(),
      shareActivity: this.#shareActivity,
      reason,
    });
    try {
      await conn.request('system-event', params);
      this.#hasBeaconedOnce = true;
      this.#reportBeacon({ atMs: this.#clock(), reason, ok: true });
    } catch (err) {
      this.#log(`beacon (${reason}) failed: ${(err as Error).message}`);
      this.#reportBeacon({ atMs: this.#clock(), reason, ok: false, error: (err as Error).message });
    }
  }

  /**
   * A report that says what the last one said (same reason, same outcome) is kept but
   * not announced: it goes with the next change. The window shows the outcome, not the
   * time, and the beacon's own presence event has just redrawn it; announcing the
   * answer too drew an idle window a second time for each beacon, for nothing it shows.
   */
  #reportBeacon(report: BeaconReport): void {
    const last = this.#lastBeacon;
    this.#lastBeacon = report;
    if (last && last.reason === report.reason && last.ok === report.ok && last.error === report.error) return;
    this.#emit();
  }

  #retryNow(): void {
    if (!this.#running) return;
    clearTimeout(this.#timers.retry);
    this.#attempt = 0;
    void this.#connect();
  }

  async #connect(): Promise<void> {
    if (!this.#running) return;
    this.#attempt += 1;
    const { url } = this.#o.gateway;
    this.#setState(this.#lastError === undefined ? { kind: 'connecting', url, attempt: this.#attempt } : { kind: 'connecting', url, attempt: this.#attempt, lastError: this.#lastError });
    const host = this.#o.hostInfo();
    const abort = new AbortController();
    try {
      const opening = GatewayConnection.open({
        url,
        token: this.#o.gateway.token,
        password: this.#o.gateway.password,
        identity: this.#o.identity,
        clientId: clientIdFor(this.#presenceMode, this.#o.platform ?? process.platform),
        connectMode: connectModeFor(this.#presenceMode),
        version: this.#o.version,
        platform: host.platform,
        deviceFamily: host.deviceFamily,
        modelIdentifier: host.modelIdentifier,
        displayName: host.host,
        scopes: [SCOPE_READ, SCOPE_ADMIN],
        requestTimeoutMs: this.#o.requestTimeoutMs,
        headers: this.#o.headers,
        clock: this.#clock,
        log: this.#log,
        signal: abort.signal,
      });
      this.#opening = { abort, done: opening.then(() => undefined, () => undefined) };
      const opened = await opening;
      this.#opening = undefined;
      if (!this.#running) {
        opened.connection.close();
        return;
      }
      this.#onOpened(opened);
    } catch (err) {
      this.#opening = undefined;
      if (!this.#running) return;
      this.#onConnectFailed(err instanceof GatewayError ? err : new GatewayError(String(err)));
    }
  }

  #onOpened(opened: Awaited<ReturnType<typeof GatewayConnection.open>>): void {
    const { connection, hello } = opened;
    this.#connection = connection;
    this.#attempt = 0;
    this.#lastError = undefined;
    this.#lastSeq = undefined;
    this.#offsetSamples = [];
    this.#addOffsetSample(opened.challengeTs, opened.challengeReceivedAtMs);
    this.#scopes = new Set(hello.auth?.scopes ?? []);
    this.#missingScope = this.#scopes.has(SCOPE_READ) ? undefined : SCOPE_READ;
    if (hello.policy?.tickIntervalMs) this.#tickIntervalMs = hello.policy.tickIntervalMs;
    this.#knownReader?.stop();
    this.#knownReader = undefined;
    if (!this.#missingScope) this.#applyList(hello.snapshot.presence, 'hello-ok');
    connection.onEvent((frame) => this.#onEvent(frame));
    connection.onClose((code, reason) => this.#onClosed(code, reason));
    this.#setState({ kind: 'connected', url: this.#o.gateway.url, serverVersion: hello.server.version, scopes: [...this.#scopes] });
    this.#log(`connected to ${redactUrl(this.#o.gateway.url)} (gateway ${hello.server.version}, scopes ${[...this.#scopes].join(',') || 'none'})`);
    // After the state says connected, so a note never arrives with a 'connecting' state.
    this.#knownReader = new KnownMachinesReader({
      request: (method) => connection.request(method),
      scopes: this.#scopes,
      advertisedMethods: hello.features?.methods,
      previous: this.#known,
      onChange: (known) => {
        this.#known = known;
        if (this.#pollTaking) this.#pollTaking.knownChanged = true;
        else this.#emit();
      },
      clock: this.#clock,
      gatewayNow: () => this.#clock() + this.clockOffsetMs,
      minIntervalMs: this.#o.knownReadIntervalMs,
      // Polls read the host stats; when lists from events keep polls from running, a read after a change does, this often.
      hostStatsMaxAgeMs: 2 * this.#pollIntervalMs,
      log: this.#log,
    });
    this.#knownReader.request();
    this.#scheduleBeacons();
    this.#armPoll();
    this.#timers.watchdog = setInterval(() => this.#checkAlive(), Math.max(1000, Math.round(this.#tickIntervalMs / 2)));
    void this.beaconNow(this.#hasBeaconedOnce ? 'connect' : 'launch');
  }

  #onConnectFailed(err: GatewayError): void {
    if (!this.#running) return;
    const failure = classifyConnectError(err);
    const { url } = this.#o.gateway;
    if (failure.terminal) {
      this.#log(`not retrying ${redactUrl(url)}: ${failure.reason}`);
      this.#lastError = failure.reason;
      this.#setState({ kind: 'failed', url, reason: failure.reason, action: failure.action });
      return;
    }
    const delay = Math.max(failure.retryAfterMs ?? 0, backoffDelayMs(this.#attempt, (this.#o.random ?? Math.random)(), this.#o.backoff ?? DEFAULT_BACKOFF));
    const message = failure.retryAfterMs ? `${failure.reason} ${failure.action}` : failure.reason;
    this.#lastError = message;
    this.#setState({ kind: 'reconnecting', url, attempt: this.#attempt, retryAtMs: this.#clock() + delay, lastError: message });
    this.#timers.retry = setTimeout(() => void this.#connect(), delay);
  }

  #onClosed(code: number, reason: string): void {
    this.#clearTimers(false);
    this.#knownReader?.stop();
    this.#knownReader = undefined;
    this.#connection = undefined;
    if (!this.#running) return;
    this.#onConnectFailed(new GatewayError(`connection lost (${code}${reason ? ` ${reason}` : ''})`, 'CLOSED', undefined, code === 1002 ? 1002 : undefined));
  }

  #checkAlive(): void {
    const conn = this.#connection;
    if (!conn) return;
    const silentMs = this.#clock() - conn.lastFrameAtMs;
    if (silentMs > this.#tickIntervalMs * 2.5) {
      this.#log(`no frame from the gateway for ${Math.round(silentMs / 1000)} s; reconnecting`);
      conn.close();
    }
  }

  #onEvent(frame: EventFrame): void {
    switch (frame.event) {
      case 'presence': {
        const holder = PresenceHolderSchema.safeParse(frame.payload);
        const gap = frame.seq !== undefined && this.#lastSeq !== undefined && frame.seq > this.#lastSeq + 1;
        if (frame.seq !== undefined) this.#lastSeq = frame.seq;
        if (holder.success) this.#eventLists.push(holder.data.presence);
        else this.#log('skipped a presence event without a presence list');
        if (gap) void this.#fetchList();
        return;
      }
      case 'tick': {
        const tick = TickPayloadSchema.safeParse(frame.payload);
        if (tick.success) this.#addOffsetSample(tick.data.ts, this.#clock());
        if (frame.seq !== undefined) this.#noteSeq(frame.seq);
        return;
      }
      case 'shutdown': {
        const shutdown = ShutdownPayloadSchema.safeParse(frame.payload);
        this.#log(`gateway is shutting down${shutdown.success ? `: ${shutdown.data.reason}` : ''}`);
        return;
      }
      default:
        if (frame.seq !== undefined) this.#noteSeq(frame.seq);
    }
  }

  /** Other events share the sequence; a skipped number means we may have missed a presence change. */
  #noteSeq(seq: number): void {
    const gap = this.#lastSeq !== undefined && seq > this.#lastSeq + 1;
    this.#lastSeq = seq;
    if (gap) void this.#fetchList();
  }

  /**
   * The poll: the presence list, node.list and system.info, asked together and taken in
   * as one change. The real gateway re-stamps its own entry on every read, so every poll
   * changes the list; one push per poll, not a second for the host stats a few ms later,
   * is what an idle window redraws.
   */
  async #poll(): Promise<void> {
    try {
      await this.#pollOnce();
    } finally {
      // A poll whose list was not taken (failed, or a newer one came) still counts: the next is an interval away.
      this.#armPoll();
    }
  }

  /** The next poll, `pollIntervalMs` from now; every list taken moves it (see the file's head). */
  #armPoll(): void {
    clearTimeout(this.#timers.poll);
    this.#timers.poll = undefined;
    if (!this.#connection || !this.#running) return;
    this.#timers.poll = setTimeout(() => void this.#poll(), this.#pollIntervalMs);
  }

  get #pollIntervalMs(): number {
    return this.#o.pollIntervalMs ?? 30_000;
  }

  async #pollOnce(): Promise<void> {
    const conn = this.#connection;
    if (!conn || !this.#scopes.has(SCOPE_READ)) return;
    const [list, takeKnown] = await Promise.all([
      conn.request('system-presence').then(
        (raw) => {
          // Newer than an event list still waiting; older than any taken from here on.
          this.#eventLists.supersede();
          return { ok: true as const, raw, takenBefore: this.#listsTaken };
        },
        (err: unknown) => ({ ok: false as const, err }),
      ),
      this.#knownReader?.readHeld(),
    ]);
    if (conn !== this.#connection) return;
    const taking = { knownChanged: false };
    this.#pollTaking = taking;
    try {
      takeKnown?.();
    } finally {
      this.#pollTaking = undefined;
    }
    if (!list.ok) this.#log(`system-presence failed: ${(list.err as Error).message}`);
    // A presence event that came while node.list and system.info were still on their way is newer than the poll's list.
    const newerTaken = list.ok && this.#listsTaken !== list.takenBefore;
    const emitted = list.ok && !newerTaken && this.#applyList(list.raw, 'system-presence', { askKnown: false });
    if (!emitted && taking.knownChanged) this.#emit();
  }

  async #fetchList(): Promise<void> {
    const conn = this.#connection;
    if (!conn || !this.#scopes.has(SCOPE_READ)) return;
    try {
      this.#applyList(await conn.request('system-presence'), 'system-presence');
    } catch (err) {
      this.#log(`system-presence failed: ${(err as Error).message}`);
    }
  }

  /** Takes a list in; whether the window was told (a list that isn't one is only logged). */
  #applyList(raw: unknown, source: 'hello-ok' | 'presence event' | 'system-presence', o: { readonly askKnown: boolean } = { askKnown: true }): boolean {
    // A list fetched or from hello-ok is newer than an event list still waiting.
    if (source !== 'presence event') this.#eventLists.supersede();
    const parsed = this.#reader.read(raw, this.#clock() + this.clockOffsetMs);
    if (!parsed) {
      this.#log(`skipped ${source}: not a presence list`);
      return false;
    }
    if (parsed.shortened) this.#log(`${source}: shortened over-long text in ${parsed.shortened} entr${parsed.shortened === 1 ? 'y' : 'ies'}`);
    if (parsed.dropped) this.#log(`${source}: dropped ${parsed.dropped} malformed entr${parsed.dropped === 1 ? 'y' : 'ies'} (${parsed.firstProblem})`);
    // The window says so too: a machine left out of the list must not just be missing.
    this.#unreadEntries = parsed.dropped ? { count: parsed.dropped, problem: parsed.firstProblem ?? 'invalid', keptLastList: parsed.entries.length === 0 } : undefined;
    if (parsed.entries.length === 0 && parsed.dropped > 0) {
      // Nothing usable at all: a broken list, not an empty one. Keep the last good list.
      this.#log(`${source}: kept the last good list`);
      this.#emit();
      return true;
    }
    this.#entries = parsed.entries;
    this.#listsTaken += 1;
    this.#listReceivedAtMs = this.#clock();
    this.#listVersion = ++lastListVersion;
    this.#armPoll();
    this.#emit();
    // Presence moved: what node.list says may have too (throttled by the reader). A poll has just asked.
    if (o.askKnown) this.#knownReader?.request();
    return true;
  }

  #addOffsetSample(gatewayTs: number, localMs: number): void {
    this.#offsetSamples = [...this.#offsetSamples, gatewayTs - localMs].slice(-OFFSET_SAMPLES);
    const best = Math.max(...this.#offsetSamples);
    if (this.#offsetMs === undefined || Math.abs(best - this.#offsetMs) > OFFSET_NOISE_MS) this.#offsetMs = best;
  }

  #scheduleBeacons(): void {
    clearInterval(this.#timers.beacon);
    if (this.#o.beacon === false) return;
    this.#timers.beacon = setInterval(() => void this.beaconNow('periodic'), this.#beaconIntervalMs);
  }

  #clearTimers(includingRetry: boolean): void {
    this.#eventLists.cancel();
    clearInterval(this.#timers.beacon);
    clearTimeout(this.#timers.poll);
    clearInterval(this.#timers.watchdog);
    if (includingRetry) clearTimeout(this.#timers.retry);
    this.#timers = includingRetry ? {} : { retry: this.#timers.retry };
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    this.#emit();
  }

  #emit(): void {
    this.#listeners.emit(this.snapshot());
  }
}
