/**
 * The browser shell's per-run secret (issue 12, V1), Jupyter-style.
 *
 * `serve` prints a link carrying a one-time launch token. The page trades it
 * (POST /session) for a session cookie: HttpOnly (no script reads it),
 * SameSite=Strict (no other site's page sends it). The `/api` socket needs
 * that cookie. Another local user can fetch every page the host serves, but
 * no page carries a token; only this process's output does.
 *
 * Tokens and sessions are random 256-bit values compared in constant time
 * (through their SHA-256, so lengths never leak either).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** At most this many sessions at once; the oldest goes first. A user opens a handful of tabs, not thousands. */
const MAX_SESSIONS = 64;
/** Unused launch tokens kept at once (each test or `serve` start mints one). */
const MAX_LAUNCH_TOKENS = 64;

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `value` is one of `known`, compared in constant time per entry. */
function findIn(known: readonly Buffer[], value: string): number {
  const d = digest(value);
  let found = -1;
  known.forEach((k, i) => {
    if (timingSafeEqual(k, d)) found = i;
  });
  return found;
}

export class SessionAuth {
  readonly #cookieName: string;
  #launch: Buffer[] = [];
  #sessions: Buffer[] = [];

  /** One cookie name per port: cookies ignore ports, so two `serve`s on one machine must not clobber each other. */
  constructor(port: number) {
    this.#cookieName = `claw_session_${port}`;
  }

  get cookieName(): string {
    return this.#cookieName;
  }

  /** A new one-time launch token (for the printed link). */
  mintLaunchToken(): string {
    const token = newSecret();
    this.#launch = [...this.#launch, digest(token)].slice(-MAX_LAUNCH_TOKENS);
    return token;
  }

  /**
   * Trades a launch token for a session; the token is used up either way it
   * matched. Undefined for a wrong, used or malformed token.
   */
  trade(token: unknown): string | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > 256) return undefined;
    const i = findIn(this.#launch, token);
    if (i < 0) return undefined;
    this.#launch = this.#launch.filter((_, j) => j !== i);
    const session = newSecret();
    this.#sessions = [...this.#sessions, digest(session)].slice(-MAX_SESSIONS);
    return session;
  }

  /** The `Set-Cookie` value for a session. No Max-Age: it ends with the browser session, and is void once serve stops. */
  cookieFor(session: string): string {
    return `${this.#cookieName}=${session}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** Whether a request's `Cookie` header carries one of our sessions. */
  isAuthorised(cookieHeader: string | undefined): boolean {
    const value = readCookie(cookieHeader, this.#cookieName);
    return value !== undefined && findIn(this.#sessions, value) >= 0;
  }
}

/** One cookie's value from a `Cookie` header; undefined when absent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
