/**
 * OpenClaw's presence rules as pure functions over an immutable map.
 *
 * Every function takes the current map and the time (`nowMs`, the gateway's
 * clock) and returns a new map; nothing here reads a clock or mutates input.
 * Rules: self entry, connect upsert (never for `mode: "cli"`), beacon merge field
 * by field, roles/scopes union, 5-minute TTL, a bound of 200 dropping the oldest,
 * newest-first listing, loopback never overwriting a reported IP.
 */
import { CLEAR_LAST_INPUT_TAG } from '../protocol/constants.js';
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
 * The key a connect row lives under: deviceId, then instanceId, then display
 * name, else the connection. A node's row is its device, like the real gateway's.
 * Undefined for clients that get no row.
 */
export function connectKeyFor(conn: ConnectInfo): string | undefined {
  if (EPHEMERAL_MODES.has(conn.mode)) return undefined;
  return presenceKeyFor({ deviceId: conn.deviceId, instanceId: conn.instanceId, host: conn.displayName }) ?? `conn:${conn.connId.toLowerCase()}`;
}

/**
 * Upserts the entry for a successful `connect`. A `cli` or `probe` client never
 * becomes an entry. The socket's address becomes the entry's IP unless it is
 * loopback (a tunnel), which keeps what the client reported. Like the real
 * gateway, the row carries `clientId` and `timeZone`, the client id stands in
 * for a missing host name, and a node's `instanceId` is its device id.
 */
export function upsertConnect(map: PresenceMap, conn: ConnectInfo, nowMs: number, limits = DEFAULT_PRESENCE_LIMITS): PresenceMap {
  const key = connectKeyFor(conn);
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

/**
 * Merges a `system-event` beacon field by field over the existing entry: a
 * field the beacon leaves out keeps its old value; roles and scopes are unions.
 * Fields in the payload win over fields parsed from the legacy `text`.
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
  const key =
    presenceKeyFor({ deviceId: beacon.deviceId, instanceId: beacon.instanceId, host, ip, text: beacon.text }) ??
    fallbackKey;
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
    lastInputSeconds: clearLastInput
      ? undefined
      : (beacon.lastInputSeconds ?? parsed.lastInputSeconds ?? existing?.lastInputSeconds),
    reason: beacon.reason ?? parsed.reason ?? existing?.reason,
    deviceId: beacon.deviceId ?? existing?.deviceId,
    instanceId: beacon.instanceId ?? existing?.instanceId,
    roles: unionStrings(existing?.roles, beacon.roles),
    scopes: unionStrings(existing?.scopes, beacon.scopes),
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
