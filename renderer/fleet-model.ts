/**
 * The window's memory between renders across gateways: each gateway's last fold
 * (its own MachineModel) and the last rows, so an update rebuilds only what
 * changed on the gateway that changed; the other gateways' machines and rows stay
 * the same objects and their memoised rows skip rendering.
 */
import type { GatewayView, ViewSnapshot } from '../shared/ipc/contract.js';
import type { StatusThresholds } from '../shared/presence/status.js';
import { firstMomentAfter, readEntryKeys, type Machine } from '../shared/view/machines.js';
import { indexRows, nextEntryStatusChangeAtMs, resortRows, sortRows, type RowBase, type SortOrder } from '../shared/view/rows.js';
import {
  countMachines,
  machineRowMatcher,
  resortMachineRows,
  sortMachineRows,
  type MachineCounts,
  type MachineFilter,
  type MachineRow,
  type MachineSort,
} from '../shared/view/machine-list.js';
import type { RowChanges, RowsWithChanges } from '../shared/view/sort-from-last.js';
import { fleetKey, FleetMachineMerge, type FleetEntryRow, type FleetMachineRow, type FleetMachineUpdate, type GatewayTag } from '../shared/view/fleet.js';
import { MachineModel } from './machine-model.js';

/** A gateway's machines folded, with the inputs they were folded from. */
export interface GatewayFold {
  readonly view: GatewayView;
  readonly tag: GatewayTag;
  readonly machines: readonly Machine[];
}

/** A gateway's connection rows without a clock. */
export interface GatewayIndex {
  readonly view: GatewayView;
  readonly tag: GatewayTag;
  readonly rows: readonly FleetEntryRow[];
  /** What changed since the gateway's last rows. */
  readonly changes?: EntryChanges;
}

/** Connection rows that are new objects, and the rows they replace or that left, since `base`. */
export type EntryChanges = RowChanges<FleetEntryRow>;

/** Every gateway's connection rows, and what changed since the last ones when that is known. */
export type EntryRows = RowsWithChanges<FleetEntryRow>;

/** A gateway's machine rows, kept while the clock stays inside the span where no status changes. */
interface RowsMemo {
  readonly machines: readonly Machine[];
  readonly thresholds: StatusThresholds;
  readonly rows: readonly MachineRow[];
  /** Gateway clock, both ends exclusive. */
  readonly fromMs: number;
  readonly untilMs: number;
}

/** Every gateway's machines merged at a moment, and when a status next changes on its own (core clock). */
export interface FleetMachines extends FleetMachineUpdate {
  readonly nextChangeAtMs?: number;
}

/** What the machine list shows: the filter on top of the gateway chips' filter. */
export interface ShownFilter extends MachineFilter {
  readonly gatewayId?: string;
}

/** Everything the Machines view derives from a snapshot: each gateway's fold, the merged rows, and those shown. */
export interface MachineList {
  readonly folds: readonly GatewayFold[];
  readonly machines: FleetMachines;
  readonly shown: ShownMachines;
}

/** Everything the Connections view derives from a snapshot without a clock: each gateway's rows, all of them, and in order. */
export interface ConnectionList {
  readonly indexes: readonly GatewayIndex[];
  readonly entryRows: EntryRows;
  readonly sorted: readonly FleetEntryRow[];
}

/** The rows shown, in order, and the toolbar's counts (every status, on the chosen gateway). */
export interface ShownMachines {
  readonly rows: readonly FleetMachineRow[];
  readonly counts: MachineCounts;
}

interface ShownMemo {
  readonly from: readonly FleetMachineRow[];
  readonly filter: ShownFilter;
  readonly sort: MachineSort;
  readonly shown: ShownMachines;
}

const sameFilter = (a: ShownFilter, b: ShownFilter) => a.gatewayId === b.gatewayId && a.status === b.status && a.query === b.query && a.showGone === b.showGone;
const sameThresholds = (a: StatusThresholds, b: StatusThresholds) => a === b || (a.activeMs === b.activeMs && a.idleMs === b.idleMs);
const onGateway = (id: string | undefined) => (id === undefined ? undefined : (r: FleetMachineRow) => r.parts.some((p) => p.gateway.id === id));

interface FoldMemo {
  readonly model: MachineModel;
  rows?: RowsMemo;
  inputs?: readonly unknown[];
  fold?: GatewayFold;
  index?: GatewayIndex;
  indexInputs?: readonly unknown[];
  tag?: GatewayTag;
}

const same = (a: readonly unknown[] | undefined, b: readonly unknown[]) => a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

export class FleetModel {
  #memos = new Map<string, FoldMemo>();
  #merge = new FleetMachineMerge();
  #shown?: ShownMemo;
  #indexes?: GatewayIndex[];
  #entryRows?: { readonly from: readonly GatewayIndex[]; readonly result: EntryRows };
  #entrySort?: { readonly from: readonly FleetEntryRow[]; readonly rows: readonly FleetEntryRow[]; readonly order: SortOrder; readonly gatewayId?: string };

  #memo(id: string): FoldMemo {
    let memo = this.#memos.get(id);
    if (!memo) this.#memos.set(id, (memo = { model: new MachineModel() }));
    return memo;
  }

  /** Forgets gateways no longer in the snapshot. */
  #prune(snapshot: ViewSnapshot): void {
    if (this.#memos.size <= snapshot.gateways.length) return;
    const ids = new Set(snapshot.gateways.map((g) => g.id));
    for (const id of this.#memos.keys()) if (!ids.has(id)) this.#memos.delete(id);
  }

  /** The gateway's chip data; the same object while nothing on it changed. */
  tag(view: GatewayView): GatewayTag {
    const memo = this.#memo(view.id);
    const live = view.connection.kind === 'connected';
    const lastKnownAtMs = live ? undefined : view.listReceivedAtMs;
    const t = memo.tag;
    if (t && t.name === view.name && t.nameShowsAddress === view.nameShowsAddress && t.colour === view.colour && t.live === live && t.lastKnownAtMs === lastKnownAtMs && t.clockOffsetMs === view.clockOffsetMs) return t;
    memo.tag = { id: view.id, name: view.name, nameShowsAddress: view.nameShowsAddress, colour: view.colour, live, ...(lastKnownAtMs !== undefined ? { lastKnownAtMs } : {}), clockOffsetMs: view.clockOffsetMs };
    return memo.tag;
  }

  /**
   * The Machines view's chain, one definition for the render and for the store's
   * warm-up before it (renderer/store.ts `setPrepare`): each step keeps its own
   * memory, so a second call with the same inputs returns the same objects at once.
   */
  machineList(snapshot: ViewSnapshot, coreNowMs: number, thresholds: StatusThresholds, filter: ShownFilter, sort: MachineSort, textOf: (r: FleetMachineRow) => string): MachineList {
    const folds = this.folds(snapshot);
    const machines = this.machineRows(folds, coreNowMs, thresholds);
    return { folds, machines, shown: this.shown(machines, filter, sort, textOf) };
  }

  /** The Connections view's chain (see `machineList`). */
  connectionList(snapshot: ViewSnapshot, order: SortOrder, gatewayId: string | undefined): ConnectionList {
    const indexes = this.indexes(snapshot);
    const entryRows = this.entryRows(indexes);
    return { indexes, entryRows, sorted: this.sortedEntries(entryRows, order, gatewayId) };
  }

  /** The per-entry part of folding, for each gateway whose list changed since its last fold (see `readEntryKeys`). */
  readEntries(snapshot: ViewSnapshot): void {
    for (const view of snapshot.gateways) {
      // The last fold's list: the one its model folds the next list from.
      const last = this.#memos.get(view.id)?.fold?.view.entries;
      if (last !== view.entries) readEntryKeys(view.entries, last);
    }
  }

  /** Each gateway's machines, folded again only for a gateway whose list, known nodes or history changed. */
  folds(snapshot: ViewSnapshot): GatewayFold[] {
    this.#prune(snapshot);
    return snapshot.gateways.map((view) => {
      const memo = this.#memo(view.id);
      const tag = this.tag(view);
      const inputs = [view.entries, view.known, view.remembered, view.self.deviceId];
      if (memo.fold && same(memo.inputs, inputs)) {
        if (memo.fold.tag !== tag || memo.fold.view !== view) memo.fold = { ...memo.fold, view, tag };
        return memo.fold;
      }
      const machines = memo.model.fold(view);
      memo.inputs = inputs;
      memo.fold = { view, tag, machines };
      return memo.fold;
    });
  }

  /**
   * Machine rows of every gateway at core time `coreNowMs`, merged by device. A
   * gateway whose fold is unchanged, at a moment inside the span where none of its
   * statuses change, keeps its rows without looking at them, and the merge works
   * only on the gateways that changed.
   */
  machineRows(folds: readonly GatewayFold[], coreNowMs: number, thresholds: StatusThresholds): FleetMachines {
    let next: number | undefined;
    const perGateway = folds.map((f) => {
      const memo = this.#memo(f.view.id);
      const now = coreNowMs + f.tag.clockOffsetMs;
      let kept = memo.rows;
      if (!kept || kept.machines !== f.machines || !sameThresholds(kept.thresholds, thresholds) || !(kept.fromMs < now && now < kept.untilMs)) {
        kept = { machines: f.machines, thresholds, ...memo.model.rowsAt(f.machines, now, thresholds) };
        memo.rows = kept;
      }
      // The first moment past the span, on the core's clock.
      const after = firstMomentAfter(kept);
      if (after !== undefined) next = Math.min(next ?? Infinity, after - f.tag.clockOffsetMs);
      return { gateway: f.tag, rows: kept.rows };
    });
    return { ...this.#merge.update(perGateway), ...(next !== undefined ? { nextChangeAtMs: next } : {}) };
  }

  /**
   * The rows shown (filtered, in `sort`'s order) and the counts. After an update
   * that says what changed, only the changed rows are filtered, counted and placed;
   * the result is the same as doing it all again (tests/unit/renderer/fleet-model.test.ts).
   * `textOf` is a row's lower-cased searchable text.
   */
  shown(update: FleetMachineUpdate, filter: ShownFilter, sort: MachineSort, textOf: (r: FleetMachineRow) => string): ShownMachines {
    const last = this.#shown;
    const same = last !== undefined && sameFilter(last.filter, filter) && last.sort.column === sort.column && last.sort.direction === sort.direction;
    if (same && last.from === update.rows) return last.shown;
    const gatewayOk = onGateway(filter.gatewayId);
    const matches = machineRowMatcher<FleetMachineRow>(filter, textOf);
    const passes = (r: FleetMachineRow) => (!gatewayOk || gatewayOk(r)) && (!matches || matches(r));
    let shown: ShownMachines;
    const changes = update.changes;
    if (same && changes && changes.base === last.from) {
      const counts = { ...last.shown.counts };
      for (const r of changes.removed) if (!gatewayOk || gatewayOk(r)) counts[r.state.status] -= 1;
      for (const r of changes.added) if (!gatewayOk || gatewayOk(r)) counts[r.state.status] += 1;
      const rows = resortMachineRows(last.shown.rows, new Set(changes.removed), changes.added.filter(passes), sort);
      shown = { rows, counts };
    } else {
      const onIt = gatewayOk ? update.rows.filter(gatewayOk) : update.rows;
      const filtered = matches ? onIt.filter(matches) : onIt;
      const previous = last && last.sort.column === sort.column && last.sort.direction === sort.direction ? { rows: last.shown.rows, sort } : undefined;
      shown = { rows: sortMachineRows(filtered, sort, previous), counts: countMachines(onIt) };
    }
    this.#shown = { from: update.rows, filter, sort, shown };
    return shown;
  }

  /** Connection rows without a clock, per gateway (rebuilt only when a gateway's list changed). */
  indexes(snapshot: ViewSnapshot): GatewayIndex[] {
    this.#prune(snapshot);
    const indexes = snapshot.gateways.map((view) => {
      const memo = this.#memo(view.id);
      const tag = this.tag(view);
      const inputs = [view.entries, view.self];
      if (memo.index && same(memo.indexInputs, inputs) && memo.index.tag === tag) return memo.index;
      // Tagged and keyed in the one pass that indexes them: no second copy of 10,000 rows per update.
      // Rows of unchanged entries stay the same objects (with the same tag), so the last order holds for them.
      const base = memo.index && memo.index.tag === tag ? memo.index.rows : undefined;
      const changes = { added: [] as FleetEntryRow[], removed: [] as FleetEntryRow[] };
      const make = (r: RowBase): FleetEntryRow => ({ gateway: tag, key: r.key, entry: r.entry, isSelf: r.isSelf, looksDuplicate: r.looksDuplicate });
      const rows = indexRows(view.entries, view.self, { keyPrefix: fleetKey(view.id, ''), make, ...(base ? { previous: base, changes } : {}) });
      memo.indexInputs = inputs;
      memo.index = { view, tag, rows, ...(base ? { changes: { base, ...changes } } : {}) };
      return memo.index;
    });
    // The same array while no gateway's rows changed, so what is derived from it is reused.
    const last = this.#indexes;
    if (last && last.length === indexes.length && last.every((ix, i) => ix === indexes[i])) return last;
    this.#indexes = indexes;
    return indexes;
  }

  /**
   * Connection rows in `order` (on one gateway when `gatewayId` is set): placed by
   * what changed when that is known, else sorted from the last order; the same
   * result as a full sort either way, for less work.
   */
  sortedEntries(all: EntryRows, order: SortOrder, gatewayId?: string): readonly FleetEntryRow[] {
    const last = this.#entrySort;
    const sameView = last !== undefined && last.order.column === order.column && last.order.direction === order.direction && last.gatewayId === gatewayId;
    if (sameView && last.from === all.rows) return last.rows;
    const onIt = (r: FleetEntryRow) => gatewayId === undefined || r.gateway.id === gatewayId;
    const changes = all.changes;
    let sorted: readonly FleetEntryRow[];
    if (sameView && changes && changes.base === last.from) sorted = resortRows(last.rows, new Set(changes.removed), changes.added.filter(onIt), order);
    else sorted = sortRows(gatewayId === undefined ? all.rows : all.rows.filter(onIt), order, sameView ? last : undefined);
    this.#entrySort = { from: all.rows, rows: sorted, order, ...(gatewayId !== undefined ? { gatewayId } : {}) };
    return sorted;
  }

  /** Connection rows of every gateway (statuses are drawn at render, each on its gateway's clock). */
  entryRows(indexes: readonly GatewayIndex[]): EntryRows {
    const last = this.#entryRows;
    if (last && last.from === indexes) return last.result;
    const rows = indexes.length === 1 ? indexes[0]!.rows : indexes.flatMap((ix) => ix.rows);
    // What changed: the changes of each gateway whose rows changed, when each says so from the rows it had.
    let changes: EntryChanges | undefined;
    if (last && last.from.length === indexes.length) {
      const added: FleetEntryRow[] = [];
      const removed: FleetEntryRow[] = [];
      let known = true;
      indexes.forEach((ix, i) => {
        const before = last.from[i]!;
        if (ix === before) return;
        if (ix.view.id !== before.view.id || ix.changes?.base !== before.rows) known = false;
        else {
          added.push(...ix.changes.added);
          removed.push(...ix.changes.removed);
        }
      });
      if (known) changes = { base: last.result.rows, added, removed };
    }
    const result: EntryRows = { rows, ...(changes ? { changes } : {}) };
    this.#entryRows = { from: indexes, result };
    return result;
  }
}

/** The earliest moment (core clock) any connection's status changes on its own. */
export function nextEntryChangeAtMs(indexes: readonly GatewayIndex[], coreNowMs: number, thresholds: StatusThresholds): number | undefined {
  let next: number | undefined;
  for (const ix of indexes) {
    const at = nextEntryStatusChangeAtMs(ix.view.entries, coreNowMs + ix.tag.clockOffsetMs, thresholds);
    if (at !== undefined && (next === undefined || at - ix.tag.clockOffsetMs < next)) next = at - ix.tag.clockOffsetMs;
  }
  return next;
}
