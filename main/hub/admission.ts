/**
 * What a socket may cost us before it has signed in (issue 12, V6).
 *
 * - `UnauthenticatedPool`: caps sockets that have not finished `connect`, per
 *   remote address and in total, apart from the cap on signed-in connections.
 *   At a cap the *oldest* waiting socket goes, never the new one: an honest
 *   client finishes its handshake in milliseconds, so idle sockets parked by an
 *   attacker cannot lock it out, however many there are.
 * - `AuthBackoff`: failed shared-secret attempts per key, growing. A remote
 *   address or a browser origin is locked out (answered `AUTH_RATE_LIMITED`
 *   with `retryAfterMs`, the real gateway's shape) after too many failures in a
 *   window; each further lockout doubles. Local programs (loopback without an
 *   `Origin`) are never locked out, since the app itself connects from there, but
 *   each failure's answer is held back longer and longer, as the real gateway does
 *   for loopback: a guessing loop crawls while the right token gets in at once.
 *
 * Both are plain state over an injected clock; the server owns the sockets and timers.
 */
import { isLoopbackAddress } from '../../shared/presence/loopback.js';
import { AUTH_DETAIL_CODES, ERROR_CODES } from '../../shared/protocol/constants.js';
import type { ErrorShape } from '../../shared/protocol/frames.js';

export interface PreAuthPolicy {
  /** No `connect` by then: the socket is closed. */
  readonly deadlineMs: number;
  /** Bytes a socket may send before it has signed in (a `connect` is a few KB). */
  readonly maxBytes: number;
  readonly maxPerAddress: number;
  readonly maxTotal: number;
}

export const DEFAULT_PRE_AUTH_POLICY: PreAuthPolicy = {
  deadlineMs: 5_000,
  maxBytes: 64 * 1024,
  // A fleet behind one NAT (or every local tool) reconnecting at once must fit.
  maxPerAddress: 128,
  maxTotal: 512,
};

export interface AuthBackoffPolicy {
  /** Failures within `windowMs` that lock a non-local key. */
  readonly maxAttempts: number;
  readonly windowMs: number;
  /** The first lockout; each further one doubles, up to `lockoutMaxMs`. */
  readonly lockoutMs: number;
  readonly lockoutMaxMs: number;
  /** Local programs: how long the answer to a failure is held, doubling per failure in the window. */
  readonly localDelayBaseMs: number;
  readonly localDelayMaxMs: number;
  /** Keys remembered at most (a spray of addresses must not grow memory without bound). */
  readonly maxKeys: number;
}

/** The real gateway's numbers (10 in 60 s, 250 ms → 5 s on loopback), with growing lockouts. */
export const DEFAULT_AUTH_BACKOFF_POLICY: AuthBackoffPolicy = {
  maxAttempts: 10,
  windowMs: 60_000,
  lockoutMs: 5 * 60_000,
  lockoutMaxMs: 60 * 60_000,
  localDelayBaseMs: 250,
  localDelayMaxMs: 5_000,
  maxKeys: 10_000,
};

/** One spelling per address, so `::ffff:10.0.0.5` and `10.0.0.5` share a budget. */
export function addressKey(remoteAddress: string | undefined): string {
  const a = (remoteAddress ?? '').trim().toLowerCase();
  if (!a) return 'unknown';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice('::ffff:'.length) : a;
}

export class UnauthenticatedPool<T> {
  /** Insertion order is age: the first entry is the oldest. */
  readonly #all = new Map<T, string>();
  readonly #byAddress = new Map<string, Set<T>>();

  constructor(private readonly policy: Pick<PreAuthPolicy, 'maxPerAddress' | 'maxTotal'>) {}

  get size(): number {
    return this.#all.size;
  }

  countFor(remoteAddress: string | undefined): number {
    return this.#byAddress.get(addressKey(remoteAddress))?.size ?? 0;
  }

  /** Adds `item`; returns the older items to close so both caps hold (never `item`). */
  add(item: T, remoteAddress: string | undefined): T[] {
    const address = addressKey(remoteAddress);
    const evicted: T[] = [];
    const mine = this.#byAddress.get(address);
    if (mine && mine.size >= this.policy.maxPerAddress) {
      for (const old of mine) {
        if (mine.size < this.policy.maxPerAddress) break;
        evicted.push(old);
        this.remove(old);
      }
    }
    while (this.#all.size >= this.policy.maxTotal) {
      const oldest = this.#all.keys().next();
      if (oldest.done) break;
      evicted.push(oldest.value);
      this.remove(oldest.value);
    }
    this.#all.set(item, address);
    const set = this.#byAddress.get(address) ?? new Set<T>();
    set.add(item);
    this.#byAddress.set(address, set);
    return evicted;
  }

  /** Forgets `item` (signed in, or closed); harmless when it is not here. */
  remove(item: T): void {
    const address = this.#all.get(item);
    if (address === undefined) return;
    this.#all.delete(item);
    const set = this.#byAddress.get(address);
    set?.delete(item);
    if (set?.size === 0) this.#byAddress.delete(address);
  }
}

/** Where failures are counted, and whether that place may be locked out. */
export interface BackoffKey {
  readonly key: string;
  /** Local programs: never locked out, only slowed. */
  readonly local: boolean;
}

/**
 * A remote client is counted by its address. On loopback every local program
 * shares one address, so a browser page (it sends `Origin`) is counted by its
 * origin and can be locked out without locking out the app; everything else
 * local shares the one slowed, never-locked key.
 */
export function backoffKeyFor(remoteAddress: string | undefined, origin: string | undefined): BackoffKey {
  if (!isLoopbackAddress(remoteAddress)) return { key: `addr:${addressKey(remoteAddress)}`, local: false };
  const o = origin?.trim().toLowerCase();
  if (o) return { key: `origin:${o.slice(0, 256)}`, local: false };
  return { key: 'local', local: true };
}

export type AuthGate = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

interface Failures {
  /** Failure times within the window, oldest first. */
  attempts: number[];
  lockedUntil?: number;
  /** Local key: until when answers with a secret are held. */
  heldUntil?: number;
  /** Lockouts so far: the next lasts `lockoutMs * 2^strikes`. */
  strikes: number;
  lastFailureAt: number;
}

export class AuthBackoff {
  readonly #entries = new Map<string, Failures>();

  constructor(
    private readonly policy: AuthBackoffPolicy = DEFAULT_AUTH_BACKOFF_POLICY,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Whether a sign-in from `key` may be checked at all right now. */
  check(key: BackoffKey): AuthGate {
    if (key.local) return { allowed: true };
    const entry = this.#entries.get(key.key);
    const now = this.clock();
    if (entry?.lockedUntil !== undefined && now < entry.lockedUntil) return { allowed: false, retryAfterMs: entry.lockedUntil - now };
    return { allowed: true };
  }

  /**
   * Counts a failed secret. Returns how long to hold the failure's answer (local
   * keys only; others are locked out instead once over the limit).
   */
  recordFailure(key: BackoffKey): number {
    const now = this.clock();
    const entry = this.#entry(key.key, now);
    // Strikes are forgotten after a quiet spell as long as the longest lockout.
    if (now - entry.lastFailureAt > this.policy.lockoutMaxMs) entry.strikes = 0;
    entry.lastFailureAt = now;
    entry.attempts = entry.attempts.filter((t) => now - t < this.policy.windowMs);
    entry.attempts.push(now);
    if (key.local) {
      const cap = Math.ceil(Math.log2(this.policy.localDelayMaxMs / this.policy.localDelayBaseMs)) + 1;
      if (entry.attempts.length > cap) entry.attempts.splice(0, entry.attempts.length - cap);
      const delayMs = Math.min(this.policy.localDelayBaseMs * 2 ** (entry.attempts.length - 1), this.policy.localDelayMaxMs);
      entry.heldUntil = Math.max(entry.heldUntil ?? 0, now + delayMs);
      return delayMs;
    }
    if (entry.attempts.length >= this.policy.maxAttempts) {
      entry.lockedUntil = now + Math.min(this.policy.lockoutMs * 2 ** entry.strikes, this.policy.lockoutMaxMs);
      entry.strikes += 1;
      entry.attempts = [];
    }
    return 0;
  }

  /**
   * How long to hold the answer to a *right* secret from `key`: as long as the
   * last failure's answer is held. Otherwise an answer that came at once would
   * tell a guesser with many sockets that it had won, without waiting for any
   * held answer, and holding failures would slow nothing.
   */
  holdMs(key: BackoffKey): number {
    if (!key.local) return 0;
    const heldUntil = this.#entries.get(key.key)?.heldUntil;
    return heldUntil === undefined ? 0 : Math.max(0, heldUntil - this.clock());
  }

  /** The right secret from a remote key clears its count; the shared local key keeps it (the attacker may be local too). */
  recordSuccess(key: BackoffKey): void {
    if (!key.local) this.#entries.delete(key.key);
  }

  #entry(key: string, now: number): Failures {
    let entry = this.#entries.get(key);
    if (entry) return entry;
    if (this.#entries.size >= this.policy.maxKeys) this.#prune(now);
    entry = { attempts: [], strikes: 0, lastFailureAt: now };
    this.#entries.set(key, entry);
    return entry;
  }

  /** Drops quiet keys first; if all are busy, the oldest unlocked one. */
  #prune(now: number): void {
    for (const [k, e] of this.#entries) {
      const locked = e.lockedUntil !== undefined && now < e.lockedUntil;
      if (!locked && now - e.lastFailureAt > this.policy.windowMs) this.#entries.delete(k);
    }
    if (this.#entries.size < this.policy.maxKeys) return;
    for (const [k, e] of this.#entries) {
      if (e.lockedUntil === undefined || now >= e.lockedUntil) {
        this.#entries.delete(k);
        return;
      }
    }
    // Every key is locked: forget the oldest rather than grow.
    const oldest = this.#entries.keys().next();
    if (!oldest.done) this.#entries.delete(oldest.value);
  }
}

/** The real gateway's answer to a locked-out sign-in, as measured on 2026.9.6: retryable, with `retryAfterMs`. */
export function rateLimitedError(retryAfterMs: number): ErrorShape {
  return {
    code: ERROR_CODES.invalidRequest,
    message: 'unauthorized: too many failed authentication attempts (retry later)',
    retryable: true,
    retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)),
    details: { code: AUTH_DETAIL_CODES.rateLimited, authReason: 'rate_limited', canRetryWithDeviceToken: false, recommendedNextStep: 'wait_then_retry' },
  };
}
