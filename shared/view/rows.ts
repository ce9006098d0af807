/**
 * From the gateway's list to what the table shows: pure selectors of
 * `(entries, now) → rows`, so one clock drives every age and badge.
 */
import type { ReceivedEntry } from '../client/view-state.js';
import { statusFromAge, type PresenceStatus, type StatusThresholds } from '../presence/status.js';
import { normalizePresenceKey } from '../presence/keys.js';

export interface RowModel {
  /** Stable across updates: deviceId, instanceId, host, else position. */
  readonly key: string;
  readonly entry: ReceivedEntry;
  readonly status: PresenceStatus;
  readonly ageMs: number;
  readonly isSelf: boolean;
  /** Another row has the same host and neither carries an instanceId. */
  readonly looksDuplicate: boolean;
}

export interface SelfIds {
  readonly instanceId: string;
  readonly deviceId: string;
}

export function toRows(entries: readonly ReceivedEntry[], gatewayNowMs: number, thresholds: StatusThresholds, self: SelfIds): RowModel[] {
  const hostCounts = new Map<string, number>();
  for (const e of entries) {
    const host = normalizePresenceKey(e.host);
    if (host && !e.instanceId) hostCounts.set(host, (hostCounts.get(host) ?? 0) + 1);
  }
  const seen = new Map<string, number>();
  return entries.map((entry, index) => {
    const base = normalizePresenceKey(entry.deviceId) ?? normalizePresenceKey(entry.instanceId) ?? normalizePresenceKey(entry.host) ?? `row-${index}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const ageMs = gatewayNowMs - entry.ts;
    const host = normalizePresenceKey(entry.host);
    return {
      key: n === 1 ? base : `${base}#${n}`,
      entry,
      status: statusFromAge(ageMs, thresholds),
      ageMs,
      isSelf: entry.instanceId === self.instanceId || (entry.deviceId !== undefined && entry.deviceId === self.deviceId),
      looksDuplicate: !entry.instanceId && host !== undefined && (hostCounts.get(host) ?? 0) > 1,
    };
  });
}

export type SortColumn = 'updated' | 'host' | 'status' | 'ip' | 'version' | 'mode' | 'lastInput';
export interface SortOrder {
  readonly column: SortColumn;
  readonly direction: 'asc' | 'desc';
}

const STATUS_RANK: Record<PresenceStatus, number> = { active: 0, idle: 1, stale: 2 };

function compare(a: RowModel, b: RowModel, column: SortColumn): number {
  const text = (x: string | undefined, y: string | undefined) => (x ?? '').localeCompare(y ?? '', undefined, { numeric: true, sensitivity: 'base' });
  switch (column) {
    case 'updated':
      return a.ageMs - b.ageMs;
    case 'host':
      return text(a.entry.host, b.entry.host);
    case 'status':
      return STATUS_RANK[a.status] - STATUS_RANK[b.status];
    case 'ip':
      return text(a.entry.ip, b.entry.ip);
    case 'version':
      return text(a.entry.version, b.entry.version);
    case 'mode':
      return text(a.entry.mode, b.entry.mode);
    case 'lastInput':
      return (a.entry.lastInputSeconds ?? Infinity) - (b.entry.lastInputSeconds ?? Infinity);
  }
}

/** Stable sort; `updated` ascending means newest first, as the gateway lists them. */
export function sortRows(rows: readonly RowModel[], order: SortOrder): RowModel[] {
  const sign = order.direction === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => sign * compare(x.row, y.row, order.column) || x.i - y.i)
    .map(({ row }) => row);
}

/** Case-insensitive match on host, IP, version, mode, platform, model, reason and ids. */
export function filterRows(rows: readonly RowModel[], query: string): RowModel[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...rows];
  return rows.filter(({ entry: e, status }) =>
    [e.host, e.ip, e.version, e.mode, e.platform, e.modelIdentifier, e.deviceFamily, e.reason, e.instanceId, status].some((v) => v?.toLowerCase().includes(q)),
  );
}

export function countByStatus(rows: readonly RowModel[]): Record<PresenceStatus, number> {
  const counts: Record<PresenceStatus, number> = { active: 0, idle: 0, stale: 0 };
  for (const r of rows) counts[r.status] += 1;
  return counts;
}
