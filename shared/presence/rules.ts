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

/**
 * Upserts the entry for a successful `connect`. A `cli` client never becomes an
 * entry: one-off commands would fill the list. The socket's address becomes the
 * entry's IP unless it is loopback (a tunnel), which keeps what the client reported.
 */
export function upsertConnect(map: PresenceMap, conn: ConnectInfo, nowMs: number, limits = DEFAULT_PRESENCE_LIMITS): PresenceMap {
  if (conn.mode === 'cli') return map;
  const key =
    presenceKeyFor({ deviceId: conn.deviceId, instanceId: conn.instanceId, host: conn.displayName }) ??
    `conn:${conn.connId.toLowerCase()}`;
  const existing = map.get(key);
  const host = conn.displayName ?? existing?.host;
  const remoteIp = conn.remoteAddress && !isLoopbackAddress(conn.remoteAddress) ? conn.remoteAddress : undefined;
  const entry: PresenceEntry = withoutUndefined({
    ...existing,
    host,
    ip: remoteIp ?? existing?.ip,
    version: conn.version,
    platform: conn.platform,
    deviceFamily: conn.deviceFamily ?? existing?.deviceFamily,
    modelIdentifier: conn.modelIdentifier ?? existing?.modelIdentifier,
    mode: conn.mode,
    instanceId: conn.instanceId ?? existing?.instanceId,
    deviceId: conn.deviceId ?? existing?.deviceId,
    roles: unionStrings(existing?.roles, [conn.role]),
    scopes: unionStrings(existing?.scopes, conn.scopes),
    reason: 'connect',
    text: existing?.text ?? `Node: ${host ?? 'unknown'} · mode ${conn.mode}`,
    ts: nowMs,
  });
  const next = new Map(map);
  next.set(key, entry);
  return enforceBound(next, limits.maxEntries, key);
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
