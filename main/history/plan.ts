/**
 * What one list change writes to history: a pure function of the folded
 * machines, what was last written (the memory), and the gateway's time.
 *
 * Only what changed is written, so a fleet that beacons all day costs little:
 * - a status change, with the time it began (an Idle machine became Idle two
 *   minutes after its last update, not when we noticed);
 * - last seen and last fields at most once a minute per machine (and with
 *   every status change); `flushWrites` writes the rest when the app stops;
 * - a host-stat sample at most once a minute per machine;
 * - a machine that left the list (and isn't a known node) becomes Gone.
 */
import type { StatusThresholds } from '../../shared/presence/status.js';
import { machineStatus, type Machine, type MachineStatus } from '../../shared/view/machines.js';
import { HISTORY_KEEP_MS, type HistoryWrites, type StatSample, type StoredMachine } from './history-store.js';

export const LAST_SEEN_WRITE_MS = 60_000;
export const STATS_SAMPLE_MS = 60_000;

/** What history holds (or will, once flushed) about one machine. */
export interface MachineMemory extends Omit<StoredMachine, 'fieldsJson'> {
  /** Its last fields; turned into JSON only when written (most list changes write nothing). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly writtenLastSeenAtMs: number;
  /** Fields newer than the database's copy. */
  readonly fieldsDirty: boolean;
  readonly lastStatsAtMs?: number;
  readonly isGateway: boolean;
  /** Fields read back from the database (to be checked before use), not from a list checked at the edge. */
  readonly fromFile?: boolean;
}

export interface PlanInput {
  readonly machines: readonly Machine[];
  readonly memory: ReadonlyMap<string, MachineMemory>;
  readonly gatewayNowMs: number;
  readonly thresholds: StatusThresholds;
}

export interface Plan {
  readonly writes: HistoryWrites;
  readonly memory: Map<string, MachineMemory>;
  /** A machine was added or left the list: the remembered list the window sees must be rebuilt. */
  readonly rememberedChanged: boolean;
}

/** When a machine was last seen: its newest entry, else what the gateway says of the node. */
function lastSeenOf(m: Machine, nowMs: number): number | undefined {
  if (m.latestTs !== undefined) return m.latestTs;
  const n = m.node;
  if (!n) return undefined;
  return n.lastSeenAtMs ?? n.lastDisconnectedAtMs ?? n.lastConnectedAtMs ?? n.connectedAtMs ?? (n.connected ? nowMs : undefined);
}

/** When the machine's current status began. */
function statusStartMs(status: MachineStatus, sinceMs: number | undefined, t: StatusThresholds, nowMs: number): number {
  if (sinceMs === undefined) return nowMs;
  if (status === 'idle') return sinceMs + t.activeMs;
  if (status === 'stale') return sinceMs + t.idleMs;
  return sinceMs;
}

function ratio(used: number | undefined, total: number | undefined): number | undefined {
  if (used === undefined || total === undefined || !(total > 0)) return undefined;
  return Math.min(1, Math.max(0, used / total));
}

function sampleOf(m: Machine, nowMs: number): StatSample | undefined {
  const s = m.hostStats;
  if (!s) return undefined;
  const load1 = s.loadAverage?.[0];
  const memoryUsedRatio = ratio(s.memoryTotalBytes !== undefined && s.memoryFreeBytes !== undefined ? s.memoryTotalBytes - s.memoryFreeBytes : undefined, s.memoryTotalBytes);
  const diskUsedRatio = ratio(s.diskTotalBytes !== undefined && s.diskAvailableBytes !== undefined ? s.diskTotalBytes - s.diskAvailableBytes : undefined, s.diskTotalBytes);
  if (load1 === undefined && memoryUsedRatio === undefined && diskUsedRatio === undefined) return undefined;
  return {
    key: m.key,
    atMs: Math.min(s.updatedAtMs ?? nowMs, nowMs),
    ...(load1 !== undefined ? { load1 } : {}),
    ...(memoryUsedRatio !== undefined ? { memoryUsedRatio } : {}),
    ...(diskUsedRatio !== undefined ? { diskUsedRatio } : {}),
  };
}

const stored = (m: MachineMemory): StoredMachine => ({
  key: m.key,
  firstSeenAtMs: m.firstSeenAtMs,
  lastSeenAtMs: m.lastSeenAtMs,
  status: m.status,
  statusAtMs: m.statusAtMs,
  fieldsJson: JSON.stringify(m.fields),
});

export function planWrites(input: PlanInput): Plan {
  const now = input.gatewayNowMs;
  const memory = new Map(input.memory);
  const machines: StoredMachine[] = [];
  const statusChanges: Array<{ key: string; atMs: number; status: MachineStatus }> = [];
  const stats: StatSample[] = [];
  let rememberedChanged = false;
  const seen = new Set<string>();

  for (const m of input.machines) {
    const lastSeen = lastSeenOf(m, now);
    // A paired node last seen longer ago than history keeps: writing it would only be pruned again.
    if (lastSeen === undefined || lastSeen < now - HISTORY_KEEP_MS) continue;
    seen.add(m.key);
    const state = machineStatus(m, now, input.thresholds);
    const fields = m.fields as Readonly<Record<string, unknown>>;
    const prev = memory.get(m.key);
    let next: MachineMemory;
    if (!prev) {
      const statusAtMs = Math.min(statusStartMs(state.status, state.sinceMs, input.thresholds, now), now);
      next = {
        key: m.key,
        firstSeenAtMs: Math.min(lastSeen, now),
        lastSeenAtMs: lastSeen,
        status: state.status,
        statusAtMs,
        fields,
        writtenLastSeenAtMs: lastSeen,
        fieldsDirty: false,
        isGateway: m.isGateway,
        fromFile: false,
      };
      machines.push(stored(next));
      statusChanges.push({ key: m.key, atMs: statusAtMs, status: state.status });
      rememberedChanged = true;
    } else if (prev.status === state.status && lastSeen <= prev.lastSeenAtMs && !m.hostStats) {
      // Nothing moved (the usual case for most of a fleet on each change): no new object, no write.
      continue;
    } else {
      const changed = prev.status !== state.status;
      // Never before the last recorded change, never in the future.
      const statusAtMs = changed ? Math.min(Math.max(statusStartMs(state.status, state.sinceMs, input.thresholds, now), prev.statusAtMs), now) : prev.statusAtMs;
      const lastSeenAtMs = Math.max(prev.lastSeenAtMs, lastSeen);
      const due = changed || lastSeenAtMs - prev.writtenLastSeenAtMs >= LAST_SEEN_WRITE_MS;
      next = {
        ...prev,
        lastSeenAtMs,
        status: state.status,
        statusAtMs,
        fields,
        isGateway: m.isGateway,
        fromFile: false,
        ...(due ? { writtenLastSeenAtMs: lastSeenAtMs, fieldsDirty: false } : { fieldsDirty: true }),
      };
      if (due) machines.push(stored(next));
      if (changed) statusChanges.push({ key: m.key, atMs: statusAtMs, status: state.status });
      if (changed && prev.status === 'gone') rememberedChanged = true;
    }
    const sample = sampleOf(m, now);
    if (sample && (next.lastStatsAtMs === undefined || sample.atMs - next.lastStatsAtMs >= STATS_SAMPLE_MS)) {
      stats.push(sample);
      next = { ...next, lastStatsAtMs: sample.atMs };
    }
    memory.set(m.key, next);
  }

  for (const prev of input.memory.values()) {
    if (seen.has(prev.key) || prev.status === 'gone') continue;
    const statusAtMs = Math.min(Math.max(now, prev.statusAtMs), now);
    const next: MachineMemory = { ...prev, status: 'gone', statusAtMs, writtenLastSeenAtMs: prev.lastSeenAtMs, fieldsDirty: false };
    memory.set(prev.key, next);
    machines.push(stored(next));
    statusChanges.push({ key: prev.key, atMs: statusAtMs, status: 'gone' });
    rememberedChanged = true;
  }
  return { writes: { machines, statusChanges, stats }, memory, rememberedChanged };
}

/** Rows whose last seen or fields are newer in memory than on disk (written when the app stops). */
export function flushWrites(memory: ReadonlyMap<string, MachineMemory>): { writes: HistoryWrites; memory: Map<string, MachineMemory> } {
  const out = new Map(memory);
  const machines: StoredMachine[] = [];
  for (const m of memory.values()) {
    if (m.lastSeenAtMs === m.writtenLastSeenAtMs && !m.fieldsDirty) continue;
    machines.push(stored(m));
    out.set(m.key, { ...m, writtenLastSeenAtMs: m.lastSeenAtMs, fieldsDirty: false });
  }
  return { writes: { machines, statusChanges: [], stats: [] }, memory: out };
}

/** Memory for machines read back from the database. */
export function memoryFromStored(rows: readonly StoredMachine[]): Map<string, MachineMemory> {
  const out = new Map<string, MachineMemory>();
  for (const { fieldsJson, ...r } of rows) {
    let fields: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(fieldsJson);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) fields = parsed as Record<string, unknown>;
    } catch {
      // A row we can't read keeps its times and status; its fields start empty.
    }
    out.set(r.key, { ...r, fields, writtenLastSeenAtMs: r.lastSeenAtMs, fieldsDirty: false, isGateway: fields.mode === 'gateway', fromFile: true });
  }
  return out;
}
