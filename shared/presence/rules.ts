/**
 * OpenClaw's presence rules as pure functions over an immutable map.
 *
 * Every function takes the current map and the time (`nowMs`, the gateway's
 * clock) and returns a new map; nothing here reads a clock or mutates input.
 * Rules: self entry, connect upsert (never for `mode: "cli"`), beacon merge field
 * by field, roles/scopes union, 5-minute TTL, a bound of 200 dropping the oldest,
 * newest-first listing, loopback never overwriting a reported IP.
 *
 * Ownership (issue 12, V7; stricter than the real gateway, which has none): a
 * connection with a device writes only that device's row, the gateway's own row
 * belongs to the gateway, and what a beacon merely claims (roles, scopes) or
 * measures (idle time) never outlives the owner's next beacon.
 */
import { CLEAR_LAST_INPUT_TAG } from './beacon-tags.js';
import {
  DEFAULT_PRESENCE_LIMITS,
  withoutUndefined,
  type PresenceEntry,
  type PresenceLimits,
  type PresenceMap,
} from './entry.js';
import { normalizePresenceKey, presenceKeyFor } from './keys.js';
import { formatLegacyText, parseLegacyText } from './legacy-text.js';
import { isLoopbackAddress } from './loopback.js';

/** What a gateway knows about itself when it seeds its own entry. */
export interface SelfInfo {
  readonly host: string;
  /** Stable id of this gateway (kept in its data folder), as the seed's stable-id rule asks. */
  readonly instanceId?: string;
  readonly ip?: string;
  readonly version: string;
  readonly platform?: string;
  readonly deviceFamily?: string;
  readonly modelIdentifier?: string;
}

/** What a successful `connect` tells the gateway about a client. */
export interface ConnectInfo {
  readonly connId: string;
  readonly clientId: string;
  readonly mode: string;
  readonly role: string;
  readonly scopes: readonly string[];
  readonly version: string;
  readonly platform: string;
  readonly displayName?: string;
  readonly deviceFamily?: string;
  readonly modelIdentifier?: string;
  readonly instanceId?: string;
  readonly deviceId?: string;
  readonly timeZone?: string;
  /** The socket's remote address. */
  readonly remoteAddress?: string;
}

/** A `system-event` beacon's presence fields: any entry field but `ts`, plus tags. */
export type BeaconInfo = Partial<Omit<PresenceEntry, 'ts' | 'text'>> & {
  readonly text: string;
  readonly tags?: readonly string[];
};

/** The key the self entry lives under: the gateway's lower-cased host name. */
export function selfKeyFor(self: SelfInfo): string {
  return normalizePresenceKey(self.host) ?? 'gateway';
}

function selfEntry(self: SelfInfo, nowMs: number): PresenceEntry {
  return withoutUndefined({
    host: self.host,
    ip: self.ip,
    version: self.version,
    platform: self.platform,
    deviceFamily: self.deviceFamily,
    modelIdentifier: self.modelIdentifier,
    instanceId: self.instanceId,
    mode: 'gateway',
    reason: 'self',
    text: formatLegacyText({ host: self.host, ip: self.ip, version: self.version, mode: 'gateway', reason: 'self' }, 'Gateway'),
    ts: nowMs,
  });
}

/** Seeds the gateway's own entry (at start-up, and whenever the map is empty). */
export function seedSelf(map: PresenceMap, self: SelfInfo, nowMs: number): PresenceMap {
  const next = new Map(map);
  next.set(selfKeyFor(self), selfEntry(self, nowMs));
  return next;
}

/** Union of string lists, trimmed, first-seen order; undefined when empty. */
export function unionStrings(...lists: Array<readonly string[] | undefined>): string[] | undefined {
  const out = new Set<string>();
  for (const list of lists) for (const item of list ?? []) if (item.trim()) out.add(item.trim());
  return out.size > 0 ? [...out] : undefined;
}

/** Modes that never become a connect row: one-off commands and probes would fill the list. */
const EPHEMERAL_MODES = new Set(['cli', 'probe']);

/**
 * The key a connect row lands under: deviceId, then instanceId, then display
 * name, as the seed says; undefined for clients that get no row (cli, probe). A
 * node's row is its device, like the real gateway's. When that key is the
 * gateway's own row, or a row a device owns while this connection proved no such
 * device, the row goes under the connection's own key instead: a name chosen by
 * the client must not rewrite a row that belongs to someone else (a client on the
 * gateway's machine named like it, or one reusing a device's id as its instanceId).
 */
export function connectKeyFor(map: PresenceMap, conn: ConnectInfo, selfKey?: string): string | undefined {
  if (EPHEMERAL_MODES.has(conn.mode)) return undefined;
  const own = `conn:${conn.connId.toLowerCase()}`;
  const key = presenceKeyFor({ deviceId: conn.deviceId, instanceId: conn.instanceId, host: conn.displayName });
  if (key === undefined || key === selfKey) return own;
  const owner = normalizePresenceKey(map.get(key)?.deviceId);
  if (owner !== undefined && owner !== normalizePresenceKey(conn.deviceId)) return own;
  return key;
}

/**
 * Upserts the entry for a successful `connect`. A `cli` or `probe` client never
 * becomes an entry. The socket's address becomes the entry's IP unless it is
 * loopback (a tunnel), which keeps what the client reported. Like the real
 * gateway, the row carries `clientId` and `timeZone`, the client id stands in
 * for a missing host name, and a node's `instanceId` is its device id.
 */
export function upsertConnect(
  map: PresenceMap,
  conn: ConnectInfo,
  nowMs: number,
  limits = DEFAULT_PRESENCE_LIMITS,
  selfKey?: string,
): PresenceMap {
  const key = connectKeyFor(map, conn, selfKey);
  if (key === undefined) return map;
  const existing = map.get(key);
  const host = conn.displayName ?? existing?.host ?? conn.clientId;
  const remoteIp = conn.remoteAddress && !isLoopbackAddress(conn.remoteAddress) ? conn.remoteAddress : undefined;
  const isNode = conn.role === 'node';
  const entry: PresenceEntry = withoutUndefined({
    ...existing,
    host,
    clientId: conn.clientId,
    ip: remoteIp ?? existing?.ip,
    version: conn.version,
    platform: conn.platform,
    deviceFamily: conn.deviceFamily ?? existing?.deviceFamily,
    modelIdentifier: conn.modelIdentifier ?? existing?.modelIdentifier,
    timeZone: conn.timeZone ?? existing?.timeZone,
    mode: conn.mode,
    instanceId: (isNode ? (conn.deviceId ?? conn.instanceId) : conn.instanceId) ?? existing?.instanceId,
    deviceId: conn.deviceId ?? existing?.deviceId,
    roles: unionStrings(existing?.roles, [conn.role]),
    scopes: unionStrings(existing?.scopes, conn.scopes),
    // Nodes have no person behind them; the real gateway gives only people an online interval.
    onlineSince: isNode ? existing?.onlineSince : nowMs,
    reason: 'connect',
    text: existing?.text ?? `Node: ${host ?? 'unknown'} · mode ${conn.mode}`,
    ts: nowMs,
  });
  const next = new Map(map);
  next.set(key, entry);
  return enforceBound(next, limits.maxEntries, key);
}

/** Marks a connect row as left (`reason: "disconnect"`); it then ages out like any row. */
export function markDisconnected(map: PresenceMap, key: string, nowMs: number): PresenceMap {
  const existing = map.get(key);
  if (!existing) return map;
  const next = new Map(map);
  next.set(key, { ...existing, reason: 'disconnect', ts: nowMs });
  return next;
}

/** Result of a beacon: the new map and the key it landed under. */
export interface BeaconResult {
  readonly map: PresenceMap;
  readonly key: string;
}

/** The key a beacon lands under: deviceId, instanceId, host, ip (payload, then text), then text. */
export function beaconKeyFor(beacon: BeaconInfo, fallbackKey: string): string {
  const parsed = parseLegacyText(beacon.text);
  return (
    presenceKeyFor({
      deviceId: beacon.deviceId,
      instanceId: beacon.instanceId,
      host: beacon.host ?? parsed.host,
      ip: beacon.ip ?? parsed.ip,
      text: beacon.text,
    }) ?? fallbackKey
  );
}

/** Who sends a beacon, as the gateway knows it (never as the beacon claims). */
export interface BeaconWriter {
  /** The device the connection proved at connect; undefined when it proved none. */
  readonly deviceId?: string;
  /** Where the beacon lands when nothing in it names a row. */
  readonly fallbackKey: string;
}

/** `details.code` of a refused beacon (ours: the real gateway has no ownership rule). */
export const ROW_NOT_OWNED = 'PRESENCE_ROW_NOT_OWNED';

export type BeaconAdmission =
  | { readonly ok: true; readonly beacon: BeaconInfo; readonly key: string }
  | { readonly ok: false; readonly message: string; readonly code: typeof ROW_NOT_OWNED };

const shortId = (id: string) => (id.length > 16 ? `${id.slice(0, 12)}…` : id);

/**
 * Whether a writer may write the row its beacon names, and the beacon as it may
 * be merged. A connection with a device writes that device's row only: its
 * `deviceId` is forced to the proven one, so an `instanceId`, host or text that
 * names another row is just a field of its own row (re-keyed). A beacon that
 * names another `deviceId` outright is refused: no honest client does that, and
 * a clear error beats a silent rewrite. A connection without a device may not
 * name a device, nor write a row a device owns, nor the gateway's own row.
 */
export function admitBeacon(map: PresenceMap, beacon: BeaconInfo, writer: BeaconWriter, selfKey: string): BeaconAdmission {
  const claimed = normalizePresenceKey(beacon.deviceId);
  const proven = normalizePresenceKey(writer.deviceId);
  if (proven !== undefined) {
    if (claimed !== undefined && claimed !== proven) {
      return { ok: false, message: `beacon names device ${shortId(claimed)}, but this connection signed in as device ${shortId(proven)}`, code: ROW_NOT_OWNED };
    }
    if (proven === selfKey) return { ok: false, message: "that row is the gateway's own", code: ROW_NOT_OWNED };
    return { ok: true, beacon: { ...beacon, deviceId: writer.deviceId }, key: proven };
  }
  if (claimed !== undefined) {
    return { ok: false, message: 'a connection without a device identity cannot beacon for a device (sign the connect with a device key)', code: ROW_NOT_OWNED };
  }
  const key = beaconKeyFor(beacon, writer.fallbackKey);
  if (key === selfKey) return { ok: false, message: `row "${shortId(key)}" is the gateway's own; send an instanceId that names this client`, code: ROW_NOT_OWNED };
  const owner = normalizePresenceKey(map.get(key)?.deviceId);
  if (owner !== undefined) return { ok: false, message: `row "${shortId(key)}" belongs to device ${shortId(owner)}; only that device can write it`, code: ROW_NOT_OWNED };
  return { ok: true, beacon, key };
}

/**
 * Merges a `system-event` beacon field by field over the existing entry: a
 * field the beacon leaves out keeps its old value, except `lastInputSeconds`
 * (a reading: the latest beacon's or none). Roles and scopes stay what connects
 * granted. Fields in the payload win over fields parsed from the legacy `text`.
 * Call `admitBeacon` first: this function does not check who may write.
 */
export function mergeBeacon(
  map: PresenceMap,
  beacon: BeaconInfo,
  nowMs: number,
  fallbackKey: string,
  limits = DEFAULT_PRESENCE_LIMITS,
): BeaconResult {
  const parsed = parseLegacyText(beacon.text);
  const host = beacon.host ?? parsed.host;
  const ip = beacon.ip ?? parsed.ip;
  const key = beaconKeyFor(beacon, fallbackKey);
  const existing = map.get(key);
  const clearLastInput = beacon.tags?.includes(CLEAR_LAST_INPUT_TAG) ?? false;
  const entry: PresenceEntry = withoutUndefined({
    ...existing,
    host: host ?? existing?.host,
    ip: ip ?? existing?.ip,
    version: beacon.version ?? parsed.version ?? existing?.version,
    platform: beacon.platform ?? existing?.platform,
    deviceFamily: beacon.deviceFamily ?? existing?.deviceFamily,
    modelIdentifier: beacon.modelIdentifier ?? existing?.modelIdentifier,
    mode: beacon.mode ?? parsed.mode ?? existing?.mode,
    // Idle time is a reading, not a fact to keep: only the latest beacon's counts,
    // so a value someone else wrote is gone with the owner's next beacon.
    lastInputSeconds: clearLastInput ? undefined : (beacon.lastInputSeconds ?? parsed.lastInputSeconds),
    reason: beacon.reason ?? parsed.reason ?? existing?.reason,
    deviceId: beacon.deviceId ?? existing?.deviceId,
    instanceId: beacon.instanceId ?? existing?.instanceId,
    // Roles and scopes are what the gateway granted at connect; a beacon can only
    // claim them, so it adds none (and a forged claim has nothing to survive in).
    roles: existing?.roles,
    scopes: existing?.scopes,
    text: beacon.text.trim() || existing?.text || '',
    ts: nowMs,
  });
  const next = new Map(map);
  next.set(key, entry);
  return { map: enforceBound(next, limits.maxEntries, key), key };
}

/**
 * Keeps at most `maxEntries`, dropping the oldest `ts` first. `keepKey` (the
 * entry just written, or the gateway's self entry) is never the one dropped.
 */
export function enforceBound(map: PresenceMap, maxEntries: number, ...keepKeys: string[]): PresenceMap {
  if (map.size <= maxEntries) return map;
  const keep = new Set(keepKeys);
  const droppable = [...map.entries()].filter(([k]) => !keep.has(k)).sort((a, b) => a[1].ts - b[1].ts);
  const next = new Map(map);
  for (const [k] of droppable) {
    if (next.size <= maxEntries) break;
    next.delete(k);
  }
  return next;
}

/** Removes entries older than the TTL. */
export function pruneExpired(map: PresenceMap, nowMs: number, ttlMs: number): PresenceMap {
  let next: Map<string, PresenceEntry> | undefined;
  for (const [k, v] of map) {
    if (nowMs - v.ts > ttlMs) {
      next ??= new Map(map);
      next.delete(k);
    }
  }
  return next ?? map;
}

/** Newest first; ties broken by host so the order is stable between calls. */
export function sortNewestFirst(entries: Iterable<PresenceEntry>): PresenceEntry[] {
  return [...entries].sort((a, b) => b.ts - a.ts || (a.host ?? '').localeCompare(b.host ?? ''));
}

/**
 * What a `system-presence` call does: prune expired entries, keep the bound,
 * refresh (or re-seed) the self entry, and list newest first.
 */
export function listPresence(
  map: PresenceMap,
  self: SelfInfo,
  nowMs: number,
  limits: PresenceLimits = DEFAULT_PRESENCE_LIMITS,
): { map: PresenceMap; list: PresenceEntry[] } {
  const selfKey = selfKeyFor(self);
  const pruned = pruneExpired(map, nowMs, limits.ttlMs);
  const current = pruned.get(selfKey);
  const withSelf = new Map(pruned);
  withSelf.set(selfKey, current ? { ...current, ts: nowMs } : selfEntry(self, nowMs));
  const bounded = enforceBound(withSelf, limits.maxEntries, selfKey);
  return { map: bounded, list: sortNewestFirst(bounded.values()) };
}
