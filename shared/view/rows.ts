/**
 * From the gateway's list to what the table shows: pure selectors of
 * `(entries, now) → rows`, so one clock drives every age and badge.
 */
import type { ReceivedEntry } from '../client/view-state.js';
import { statusFromAge, type PresenceStatus, type StatusThresholds } from '../presence/status.js';
import { listKeys, normalizePresenceKey } from '../presence/keys.js';
import { entryFilterText } from './entry-columns.js';
import { resort, sortFromLast } from './sort-from-last.js';
import { textOrder } from './text-order.js';

/** What a row is, independent of the clock: computed once per list. */
export interface RowBase {
  /** Stable across updates: the presence key (`listKeys`), the same the snapshot stream uses. */
  readonly key: string;
  readonly entry: ReceivedEntry;
  readonly isSelf: boolean;
  /** Another row has the same host and neither carries an instanceId. */
  readonly looksDuplicate: boolean;
}

/** A row at a moment: its age and status on the gateway's clock. */
export interface RowModel extends RowBase {
  readonly status: PresenceStatus;
  readonly ageMs: number;
}

export interface SelfIds {
  readonly instanceId: string;
  readonly deviceId: string;
}

/** Rows at `gatewayNowMs`: `indexRows` then `atTime`. */
export function toRows(entries: readonly ReceivedEntry[], gatewayNowMs: number, thresholds: StatusThresholds, self: SelfIds): RowModel[] {
  return atTime(indexRows(entries, self), gatewayNowMs, thresholds);
}

/** Adds age and status; cheap, so it can run on every clock tick over a large list. */
export function atTime(rows: readonly RowBase[], gatewayNowMs: number, thresholds: StatusThresholds): RowModel[] {
  return rows.map((row) => {
    const ageMs = gatewayNowMs - row.entry.ts;
    return { ...row, ageMs, status: statusFromAge(ageMs, thresholds) };
  });
}

/** How to make one gateway's rows of several, and what to start from. */
export interface TaggedRows<R extends RowBase> {
  /** Put before every key (the gateway's id). */
  readonly keyPrefix: string;
  /**
   * Makes a row from its base fields, adding the gateway's own (its tag). A factory, not a
   * spread of extra fields: a literal of one shape keeps every field inside the object
   * (traced: about a third less per row, which 10,000 new rows all keep after a fleet-wide change).
   */
  readonly make: (base: RowBase) => R;
  /**
   * The last rows, made the same way: a row whose entry and flags are unchanged
   * is that same object, so an order kept from last time stays valid for it.
   */
  readonly previous?: readonly R[];
  /** Filled with the rows that are new objects and the last rows they replace or that left. */
  readonly changes?: { readonly added: R[]; readonly removed: R[] };
}

/**
 * The clock-independent part: keys, this device, look-alike duplicates.
 *
 * One plain pass: at 10,000 entries it runs on every list change, and caching per
 * entry object (WeakMaps) cost more than it saved, in lookups and in GC, once a
 * whole fleet's entries are new. The last rows (`TaggedRows.previous`) are looked
 * up by position first, which is where a beacon leaves them.
 */
export function indexRows(entries: readonly ReceivedEntry[], self: SelfIds): RowBase[];
/** The same rows made for one gateway of several: keys prefixed, and made by `tagged.make` (with its tag), in one pass. */
export function indexRows<R extends RowBase>(entries: readonly ReceivedEntry[], self: SelfIds, tagged: TaggedRows<R>): R[];
export function indexRows<R extends RowBase>(entries: readonly ReceivedEntry[], self: SelfIds, tagged?: TaggedRows<R>): RowBase[] {
  // Only rows without an instanceId can look like duplicates; most lists have none.
  const hostCounts = new Map<string, number>();
  for (const e of entries) {
    const host = e.instanceId ? undefined : normalizePresenceKey(e.host);
    if (host) hostCounts.set(host, (hostCounts.get(host) ?? 0) + 1);
  }
  const keys = listKeys(entries);
  const selfDevice = normalizePresenceKey(self.deviceId);
  const prefix = tagged?.keyPrefix ?? '';
  const previous: readonly RowBase[] | undefined = tagged?.previous;
  const changes = tagged?.changes as { added: RowBase[]; removed: RowBase[] } | undefined;
  const make = tagged?.make ?? ((base: RowBase) => base);
  // The last row with a key: at the same place when the order held (the usual beacon), else by a map made once.
  let byKey: Map<string, RowBase> | undefined;
  const previousRow = (i: number, rawKey: string) => {
    if (!previous) return undefined;
    const same = previous[i];
    // Compared without making the prefixed key: a fleet-wide change in the same order makes no key strings.
    if (same && same.key.length === prefix.length + rawKey.length && same.key.endsWith(rawKey) && same.key.startsWith(prefix)) return same;
    byKey ??= new Map(previous.map((r) => [r.key, r]));
    return byKey.get(prefix + rawKey);
  };
  let found = 0;
  const rows = entries.map((entry, i): RowBase => {
    const host = entry.instanceId ? undefined : normalizePresenceKey(entry.host);
    const rawKey = keys[i]!;
    // Our own device id only: an instanceId is a claim anyone can copy (issue 12, V7).
    const isSelf = entry.deviceId !== undefined && normalizePresenceKey(entry.deviceId) === selfDevice;
    const looksDuplicate = host !== undefined && (hostCounts.get(host) ?? 0) > 1;
    const prev = previousRow(i, rawKey);
    if (prev) {
      found += 1;
      if (prev.entry === entry && prev.isSelf === isSelf && prev.looksDuplicate === looksDuplicate) return prev;
    }
    // The last row's key string when it had this key: the same string object, not a new one per row.
    const row = make({ key: prev ? prev.key : prefix + rawKey, entry, isSelf, looksDuplicate });
    if (changes) {
      changes.added.push(row);
      if (prev) changes.removed.push(prev);
    }
    return row;
  });
  // Rows whose key is no longer listed.
  if (changes && previous && found < previous.length) {
    const listed = new Set(rows.map((r) => r.key));
    for (const r of previous) if (!listed.has(r.key)) changes.removed.push(r);
  }
  return rows;
}

export type SortColumn = 'updated' | 'host' | 'status' | 'ip' | 'version' | 'mode' | 'lastInput';
export interface SortOrder {
  readonly column: SortColumn;
  readonly direction: 'asc' | 'desc';
}

const text = (x: string | undefined, y: string | undefined) => textOrder.compare(x ?? '', y ?? '');

const COMPARATORS: Record<SortColumn, (a: RowBase, b: RowBase) => number> = {
  // Status follows age, so both sort by ts: the order never depends on the clock.
  updated: (a, b) => b.entry.ts - a.entry.ts,
  status: (a, b) => b.entry.ts - a.entry.ts,
  host: (a, b) => text(a.entry.host, b.entry.host),
  ip: (a, b) => text(a.entry.ip, b.entry.ip),
  version: (a, b) => text(a.entry.version, b.entry.version),
  mode: (a, b) => text(a.entry.mode, b.entry.mode),
  lastInput: (a, b) => (a.entry.lastInputSeconds ?? Infinity) - (b.entry.lastInputSeconds ?? Infinity),
};

// Ties (entries updated in the same millisecond, as after a gateway restart) read in host order, as a person would look for them.
const byHostThenKey = (a: RowBase, b: RowBase) => text(a.entry.host, b.entry.host) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * `updated` ascending means newest first, as the gateway lists them. Ties go by
 * host, then row key, so the order is total (the same whatever order the rows come in).
 * `last`, the previous result in the same order, only saves time (sort-from-last.ts).
 */
export function sortRows<T extends RowBase>(rows: readonly T[], order: SortOrder, last?: { readonly rows: readonly T[]; readonly order: SortOrder }): T[] {
  const same = last !== undefined && last.order.column === order.column && last.order.direction === order.direction;
  return textOrder.sorting(() => sortFromLast(rows, rowComparator(order), same ? last.rows : undefined, rowKeyOf));
}

/** `sorted` (in `order`) after a known difference (sort-from-last.ts `resort`). */
export function resortRows<T extends RowBase>(sorted: readonly T[], removed: ReadonlySet<T>, added: readonly T[], order: SortOrder): T[] {
  return textOrder.sorting(() => resort(sorted, removed, added, rowComparator(order), rowKeyOf));
}

function rowComparator(order: SortOrder): (a: RowBase, b: RowBase) => number {
  const compare = COMPARATORS[order.column];
  return order.direction === 'asc' ? (a, b) => compare(a, b) || byHostThenKey(a, b) : (a, b) => compare(b, a) || byHostThenKey(a, b);
}

const rowKeyOf = (r: RowBase) => r.key;

/** Case-insensitive match on host, IP, version, mode, platform, model, reason, ids and status. */
export function filterRows<T extends RowBase>(rows: readonly T[], query: string, gatewayNowMs: number, thresholds: StatusThresholds): T[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...rows];
  // What each column shows (shared/view/entry-columns.ts), so the filter finds what the table shows.
  return rows.filter(({ entry: e }) => entryFilterText(e, gatewayNowMs, thresholds).includes(q));
}

export function countByStatus(rows: readonly RowBase[], gatewayNowMs: number, thresholds: StatusThresholds): Record<PresenceStatus, number> {
  const counts: Record<PresenceStatus, number> = { active: 0, idle: 0, stale: 0 };
  for (const r of rows) counts[statusFromAge(gatewayNowMs - r.entry.ts, thresholds)] += 1;
  return counts;
}

/** The earliest moment any entry's status changes on its own (gateway clock), or undefined when all are Stale. */
export function nextEntryStatusChangeAtMs(entries: readonly ReceivedEntry[], gatewayNowMs: number, thresholds: StatusThresholds): number | undefined {
  let next: number | undefined;
  for (const e of entries) {
    const age = gatewayNowMs - e.ts;
    const at = age <= thresholds.activeMs ? e.ts + thresholds.activeMs + 1 : age <= thresholds.idleMs ? e.ts + thresholds.idleMs + 1 : undefined;
    if (at !== undefined && (next === undefined || at < next)) next = at;
  }
  return next;
}
