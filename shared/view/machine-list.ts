/**
 * From folded machines to the rows a machine table shows: each machine with its
 * status at a moment, the toolbar's counts, filtering and ordering. Pure, with
 * the gateway's time passed in.
 *
 * Why the reuse: a beacon changes one machine of thousands; keeping the other
 * rows' objects identical lets the view skip them.
 */
import type { StatusThresholds } from '../presence/status.js';
import { resort, sortFromLast } from './sort-from-last.js';
import { textOrder } from './text-order.js';
import {
  compareMachines,
  MACHINE_STATUS_LABELS,
  MACHINE_STATUS_ORDER,
  machineName,
  machineSearchText,
  machineStatus,
  firstMomentAfter,
  statusSpan,
  type Machine,
  type MachineState,
  type MachineStatus,
} from './machines.js';

/** A machine and its status at the moment the rows were made. */
export interface MachineRow {
  readonly machine: Machine;
  readonly state: MachineState;
}

/**
 * Rows at `gatewayNowMs`. A row whose machine and state are unchanged since
 * `previous` is returned as the same object.
 */
export function machineRowsAt(
  machines: readonly Machine[],
  gatewayNowMs: number,
  thresholds: StatusThresholds,
  previous?: ReadonlyMap<string, MachineRow>,
): MachineRow[] {
  return machineRowsSpan(machines, gatewayNowMs, thresholds, previous).rows;
}

/**
 * Rows at `gatewayNowMs`, with the span of time (gateway clock, both ends
 * exclusive) over which no row's status changes: a view can keep these rows for
 * any moment inside it instead of working out every machine's status again.
 */
export interface MachineRowsSpan {
  readonly rows: MachineRow[];
  readonly fromMs: number;
  readonly untilMs: number;
}

export function machineRowsSpan(
  machines: readonly Machine[],
  gatewayNowMs: number,
  thresholds: StatusThresholds,
  previous?: ReadonlyMap<string, MachineRow>,
): MachineRowsSpan {
  let fromMs = -Infinity;
  let untilMs = Infinity;
  const rows = machines.map((machine) => {
    const state = machineStatus(machine, gatewayNowMs, thresholds);
    const span = statusSpan(state, thresholds);
    fromMs = Math.max(fromMs, span.fromMs);
    untilMs = Math.min(untilMs, span.untilMs);
    const prev = previous?.get(machine.key);
    if (prev && prev.machine === machine && sameState(prev.state, state)) return prev;
    return { machine, state };
  });
  return { rows, fromMs, untilMs };
}

function sameState(a: MachineState, b: MachineState): boolean {
  return a.status === b.status && a.sinceMs === b.sinceMs && a.lastSeenReason === b.lastSeenReason;
}

/** The earliest moment any machine's status changes on its own (gateway clock), or undefined. */
export function nextChangeAtMs(machines: readonly Machine[], gatewayNowMs: number, thresholds: StatusThresholds): number | undefined {
  return firstMomentAfter(machineRowsSpan(machines, gatewayNowMs, thresholds));
}

export type MachineCounts = Record<MachineStatus, number>;

export function countMachines(rows: readonly MachineRow[]): MachineCounts {
  const counts = Object.fromEntries(MACHINE_STATUS_ORDER.map((s) => [s, 0])) as MachineCounts;
  for (const r of rows) counts[r.state.status] += 1;
  return counts;
}

export interface MachineFilter {
  /** Only this status; undefined for all. */
  readonly status?: MachineStatus;
  /** Case-insensitive text: host, IP, version, mode, platform, model, ids, client ids, status. */
  readonly query: string;
  /** False hides Gone rows (unless the status filter asks for Gone). */
  readonly showGone: boolean;
}

/** `textOf` gives a row's lower-cased searchable text (by default the machine's `searchText`). */
export function filterMachineRows<T extends MachineRow>(rows: readonly T[], f: MachineFilter, textOf: (r: T) => string = (r) => machineSearchText(r.machine)): T[] {
  const matches = machineRowMatcher(f, textOf);
  return matches ? rows.filter(matches) : (rows as T[]);
}

/** Whether a row passes filter `f`; undefined when every row does. */
export function machineRowMatcher<T extends MachineRow>(f: MachineFilter, textOf: (r: T) => string = (r) => machineSearchText(r.machine)): ((r: T) => boolean) | undefined {
  const q = f.query.trim().toLowerCase();
  if (!q && !f.status && f.showGone) return undefined;
  return (r) => {
    const s = r.state.status;
    if (f.status ? s !== f.status : !f.showGone && s === 'gone') return false;
    return !q || textOf(r).includes(q) || MACHINE_STATUS_LABELS[s].toLowerCase().includes(q);
  };
}

export type MachineSortColumn = 'default' | 'name' | 'status' | 'connections' | 'ip' | 'version' | 'load' | 'updated';
export interface MachineSort {
  readonly column: MachineSortColumn;
  readonly direction: 'asc' | 'desc';
}

const text = (x: unknown, y: unknown) => textOrder.compare(typeof x === 'string' ? x : '', typeof y === 'string' ? y : '');
const byDefault = (a: MachineRow, b: MachineRow) => compareMachines(a.machine, a.state.status, b.machine, b.state.status);
const statusRank = (r: MachineRow) => MACHINE_STATUS_ORDER.indexOf(r.state.status);
/** Newest first when ascending; machines never listed (offline, gone) by when they were last seen. */
const seenAt = (r: MachineRow) => r.machine.latestTs ?? r.state.sinceMs ?? -Infinity;

/** How each column orders rows (ascending); ties fall back to the default order. */
export const MACHINE_COMPARATORS: Readonly<Record<MachineSortColumn, (a: MachineRow, b: MachineRow) => number>> = {
  default: byDefault,
  name: (a, b) => textOrder.compare(machineName(a.machine), machineName(b.machine)),
  status: (a, b) => statusRank(a) - statusRank(b) || seenAt(b) - seenAt(a),
  connections: (a, b) => b.machine.entries.length - a.machine.entries.length,
  ip: (a, b) => text(a.machine.fields.ip, b.machine.fields.ip),
  version: (a, b) => text(a.machine.fields.version, b.machine.fields.version),
  load: (a, b) => (b.machine.hostStats?.loadAverage?.[0] ?? -Infinity) - (a.machine.hostStats?.loadAverage?.[0] ?? -Infinity),
  updated: (a, b) => seenAt(b) - seenAt(a),
};

/** A sorted list of rows and the order it is in: what `sortMachineRows` can start from next time. */
export interface SortedMachineRows<T extends MachineRow = MachineRow> {
  readonly rows: readonly T[];
  readonly sort: MachineSort;
}

/**
 * Rows in `sort`'s order (stable; ties in the default order, then by key, so the
 * order is total: the result is the same whatever order `rows` come in).
 *
 * `previous`, the last result, only saves time. A row object that was in it is
 * unchanged (rows are rebuilt when their machine or status changes), so those
 * rows keep their order, and only the new ones are placed, by binary search:
 * one beacon in 2,000 machines costs about a dozen comparisons instead of a sort
 * with a collator call per comparison (about 1 ms on every update).
 */
export function sortMachineRows<T extends MachineRow>(rows: readonly T[], sort: MachineSort, previous?: SortedMachineRows<T>): T[] {
  const sameSort = previous !== undefined && previous.sort.column === sort.column && previous.sort.direction === sort.direction;
  return textOrder.sorting(() => sortFromLast(rows, comparatorFor(sort), sameSort ? previous.rows : undefined, machineKeyOf));
}

/** `sorted` (in `sort`'s order) after a known difference (sort-from-last.ts `resort`). */
export function resortMachineRows<T extends MachineRow>(sorted: readonly T[], removed: ReadonlySet<T>, added: readonly T[], sort: MachineSort): T[] {
  return textOrder.sorting(() => resort(sorted, removed, added, comparatorFor(sort), machineKeyOf));
}

const machineKeyOf = (r: MachineRow) => r.machine.key;

function comparatorFor(sort: MachineSort): (a: MachineRow, b: MachineRow) => number {
  const compare = MACHINE_COMPARATORS[sort.column];
  const sign = sort.direction === 'asc' ? 1 : -1;
  if (sort.column === 'default') return (a, b) => sign * byDefault(a, b);
  return (a, b) => sign * compare(a, b) || byDefault(a, b);
}
