/**
 * Reads what the gateway knows beyond presence, for one connection: `node.list`
 * (nodes that are paired or waiting, connected or not) and `system.info` (the
 * gateway host's load, memory and disk).
 *
 * - Both are asked on connect and by the client's poll. `node.list` is also
 *   asked after presence changes (a node that connects or leaves changes presence),
 *   at most once per `minIntervalMs`, so a fleet that beacons all the time does not
 *   turn into a request storm. `system.info` is not, unless the last read of it is
 *   `hostStatsMaxAgeMs` old (a fleet whose events keep the poll from running): no
 *   beacon moves the gateway host's load, and its figures change on every read, so
 *   asking it after each change made each beacon two redraws of the window, not one.
 * - Optional by design: a gateway without the method (`unknown method`, or a
 *   `hello-ok` method list that lacks it) or a connection without the scope
 *   (`FORBIDDEN` / `MISSING_SCOPE`) degrades quietly to presence-only: one line in
 *   `note`, the method is not asked again on this connection, and the
 *   connection's state never changes because of it.
 * - Answers are validated (shared/protocol/known-machines.ts); a bad answer keeps
 *   the last good one and is logged.
 */
import { AUTH_DETAIL_CODES, ERROR_CODES, SCOPE_ADMIN, SCOPE_READ } from '../../shared/protocol/constants.js';
import { parseNodeList, parseSystemInfo } from '../../shared/protocol/known-machines.js';
import type { HostStats, KnownMachines, KnownNode } from '../../shared/client/view-state.js';
import { GatewayError } from './connection.js';

export const NODE_LIST = 'node.list';
export const SYSTEM_INFO = 'system.info';
type Method = typeof NODE_LIST | typeof SYSTEM_INFO;
const METHODS: readonly Method[] = [NODE_LIST, SYSTEM_INFO];

export interface KnownMachinesReaderOptions {
  readonly request: (method: 'node.list' | 'system.info') => Promise<unknown>;
  /** Scopes granted in `hello-ok`. */
  readonly scopes: ReadonlySet<string>;
  /** `hello-ok` `features.methods`, when the gateway lists them. */
  readonly advertisedMethods?: readonly string[];
  /** What was known before this connection (kept until a new read replaces it). */
  readonly previous?: KnownMachines;
  readonly onChange: (known: KnownMachines) => void;
  readonly clock: () => number;
  /** The gateway's clock, for `system.info` figures, which carry no time of their own. */
  readonly gatewayNow: () => number;
  readonly minIntervalMs?: number;
  /** A read after a presence change asks system.info too when its last read is this old (default: never). */
  readonly hostStatsMaxAgeMs?: number;
  readonly log?: (line: string) => void;
}

/** Why a method is not asked any more on this connection: the one line the details panel shows. */
export function unavailableNote(method: string, err: unknown): string | undefined {
  if (!(err instanceof GatewayError)) return undefined;
  if (err.code === ERROR_CODES.forbidden || err.detailCode === AUTH_DETAIL_CODES.missingScope) return `this connection lacks ${SCOPE_READ} for ${method}`;
  // The real gateway answers INVALID_REQUEST "unknown method: node.list"; older ones may use other codes.
  if (/unknown method/i.test(err.message) || err.code === 'METHOD_NOT_FOUND' || err.detailCode === AUTH_DETAIL_CODES.unknownMethod) return `${method} not available on this gateway`;
  return undefined;
}

export class KnownMachinesReader {
  readonly #o: KnownMachinesReaderOptions;
  readonly #notes = new Map<Method, string>();
  #nodes?: readonly KnownNode[];
  #gatewayHostStats?: HostStats;
  #lastJson?: string;
  #lastReadAtMs = Number.NEGATIVE_INFINITY;
  #inFlight = false;
  #again = false;
  /**
   * When system.info was last asked. A read after a change asks it too when that is
   * `hostStatsMaxAgeMs` ago, or never was (the first read, on connect); the poll's reads
   * (`readHeld`) always do.
   */
  #hostStatsAskedAtMs = Number.NEGATIVE_INFINITY;
  #timer?: NodeJS.Timeout;
  #stopped = false;

  constructor(options: KnownMachinesReaderOptions) {
    this.#o = options;
    this.#nodes = options.previous?.nodes;
    this.#gatewayHostStats = options.previous?.gatewayHostStats;
    const canRead = options.scopes.has(SCOPE_READ) || options.scopes.has(SCOPE_ADMIN);
    for (const method of METHODS) {
      if (!canRead) this.#notes.set(method, `this connection lacks ${SCOPE_READ} for ${method}`);
      else if (options.advertisedMethods && !options.advertisedMethods.includes(method)) this.#notes.set(method, `${method} not available on this gateway`);
    }
    // What an earlier connection read is not kept for a method this one can't ask.
    if (this.#notes.has(NODE_LIST)) this.#nodes = undefined;
    if (this.#notes.has(SYSTEM_INFO)) this.#gatewayHostStats = undefined;
  }

  /** Ask node.list again soon (system.info too on the first read): now if the last read is old enough, else once the interval has passed. */
  request(): void {
    if (this.#stopped || this.#timer) return;
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    const waitMs = this.#lastReadAtMs + (this.#o.minIntervalMs ?? 5000) - this.#o.clock();
    if (waitMs <= 0) void this.#read();
    else
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.#read();
      }, waitMs);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Reads now, for the client's poll, which asks for the presence list at the same time:
   * resolves to a function that takes the answers in (and publishes them), which the poll
   * calls just before it takes its list, so one poll is one change. Undefined when a read
   * is already on its way (it publishes itself) or the reader is stopped.
   */
  async readHeld(): Promise<(() => void) | undefined> {
    if (this.#stopped || this.#inFlight) return undefined;
    // A read waiting for its interval would only repeat this one.
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const answers = await this.#ask(METHODS);
    return () => this.#take(answers);
  }

  async #read(): Promise<void> {
    // Never asked: clock minus -Infinity is Infinity, old enough for any limit, none included.
    const statsOld = this.#o.clock() - this.#hostStatsAskedAtMs >= (this.#o.hostStatsMaxAgeMs ?? Infinity);
    const wanted: readonly Method[] = statsOld ? METHODS : [NODE_LIST];
    // Nothing this connection may ask: say why at once, so the details panel can show it.
    if (wanted.every((m) => this.#notes.has(m))) {
      this.#lastReadAtMs = this.#o.clock();
      this.#take({ methods: [], results: [] });
      return;
    }
    this.#take(await this.#ask(wanted));
  }

  async #ask(wanted: readonly Method[]): Promise<{ readonly methods: readonly Method[]; readonly results: readonly PromiseSettledResult<unknown>[] }> {
    const methods = wanted.filter((m) => !this.#notes.has(m));
    this.#lastReadAtMs = this.#o.clock();
    if (methods.includes(SYSTEM_INFO)) this.#hostStatsAskedAtMs = this.#lastReadAtMs;
    if (methods.length === 0) return { methods, results: [] };
    this.#inFlight = true;
    const results = await Promise.allSettled(methods.map((m) => this.#o.request(m)));
    this.#inFlight = false;
    return { methods, results };
  }

  #take({ methods, results }: { readonly methods: readonly Method[]; readonly results: readonly PromiseSettledResult<unknown>[] }): void {
    if (this.#stopped) return;
    methods.forEach((method, i) => {
      const r = results[i]!;
      if (r.status === 'rejected') {
        const note = unavailableNote(method, r.reason);
        if (note) {
          this.#notes.set(method, note);
          this.#log(`${note}; showing presence only`);
          if (method === NODE_LIST) this.#nodes = undefined;
          else this.#gatewayHostStats = undefined;
        } else this.#log(`${method} failed: ${(r.reason as Error)?.message ?? String(r.reason)}`);
        return;
      }
      if (method === NODE_LIST) {
        const parsed = parseNodeList(r.value);
        if (!parsed.ok) return this.#log(`${NODE_LIST}: ${parsed.error}; kept the last good list`);
        if (parsed.dropped) this.#log(`${NODE_LIST}: dropped ${parsed.dropped} malformed node(s) (${parsed.firstProblem})`);
        this.#nodes = parsed.value;
      } else {
        const parsed = parseSystemInfo(r.value, this.#o.gatewayNow());
        if (!parsed.ok) return this.#log(`${SYSTEM_INFO}: ${parsed.error}`);
        this.#gatewayHostStats = parsed.value;
      }
    });
    this.#publish();
    if (this.#again) {
      this.#again = false;
      this.request();
    }
  }

  /** Emits only when something the view shows changed. */
  #publish(): void {
    const note = [...this.#notes.values()].join('; ') || undefined;
    const content = { nodes: this.#nodes, gatewayHostStats: this.#gatewayHostStats, note };
    const json = JSON.stringify(content);
    if (json === this.#lastJson) return;
    this.#lastJson = json;
    this.#o.onChange({
      ...(content.nodes ? { nodes: content.nodes } : {}),
      ...(content.gatewayHostStats ? { gatewayHostStats: content.gatewayHostStats } : {}),
      ...(note ? { note } : {}),
      readAtMs: this.#lastReadAtMs,
    });
  }

  #log(line: string): void {
    this.#o.log?.(line);
  }
}
