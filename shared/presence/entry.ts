/**
 * The presence entry as the rules in this folder keep it: a plain, immutable shape.
 */
export interface PresenceEntry {
  readonly instanceId?: string;
  readonly host?: string;
  readonly ip?: string;
  readonly version?: string;
  readonly platform?: string;
  readonly deviceFamily?: string;
  readonly modelIdentifier?: string;
  readonly mode?: string;
  readonly lastInputSeconds?: number;
  readonly reason?: string;
  readonly deviceId?: string;
  readonly roles?: readonly string[];
  readonly scopes?: readonly string[];
  /** The connecting client's id (`openclaw-control-ui`, `node-host`, …), on connect rows. */
  readonly clientId?: string;
  /** The client's self-reported IANA time zone, on connect rows. */
  readonly timeZone?: string;
  /** When the connection behind a connect row came online (ms since epoch, gateway clock). */
  readonly onlineSince?: number;
  readonly text: string;
  /** Milliseconds since the epoch, on the gateway's clock, of the last update. */
  readonly ts: number;
}

/** The gateway's in-memory list, keyed by normalised presence key. */
export type PresenceMap = ReadonlyMap<string, PresenceEntry>;

/** Limits from OpenClaw's presence rules. */
export interface PresenceLimits {
  readonly ttlMs: number;
  readonly maxEntries: number;
}

export const DEFAULT_PRESENCE_LIMITS: PresenceLimits = {
  ttlMs: 5 * 60 * 1000,
  maxEntries: 200,
};

/** Drops keys whose value is `undefined`, so merged entries stay minimal on the wire. */
export function withoutUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}
