/**
 * The window's memory between renders across gateways: each gateway's last fold
 * (its own MachineModel) and the last rows, so an update rebuilds only what
 * changed on the gateway that changed; the other gateways' machines and rows stay
 * the same objects and their memoised rows skip rendering.
 */
import type { GatewayView, ViewSnapshot } from '../shared/ipc/contract.js';
import type { StatusThresholds } from '../shared/presence/status.js';
import type { Machine } from '../shared/view/machines.js';
import { indexRows, nextEntryStatusChangeAtMs } from '../shared/view/rows.js';
import { nextChangeAtMs, sortMachineRows, type MachineSort, type SortedMachineRows } from '../shared/view/machine-list.js';
import { fleetKey, fleetMachineRows, type FleetEntryRow, type FleetMachineRow, type GatewayTag } from '../shared/view/fleet.js';
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
}

interface FoldMemo {
  readonly model: MachineModel;
  inputs?: readonly unknown[];
  fold?: GatewayFold;
  index?: GatewayIndex;
  indexInputs?: readonly unknown[];
  tag?: GatewayTag;
}

const same = (a: readonly unknown[] | undefined, b: readonly unknown[]) => a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

export class FleetModel {
  #memos = new Map<string, FoldMemo>();
  #machineRows = new Map<string, FleetMachineRow>();
  #sorted?: SortedMachineRows<FleetMachineRow>;
  #indexes?: GatewayIndex[];
  #entryRows?: { readonly from: readonly GatewayIndex[]; readonly rows: readonly FleetEntryRow[] };

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
    if (t && t.name === view.name && t.colour === view.colour && t.live === live && t.lastKnownAtMs === lastKnownAtMs && t.clockOffsetMs === view.clockOffsetMs) return t;
    memo.tag = { id: view.id, name: view.name, colour: view.colour, live, ...(lastKnownAtMs !== undefined ? { lastKnownAtMs } : {}), clockOffsetMs: view.clockOffsetMs };
    return memo.tag;
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

  /** Machine rows of every gateway at core time `coreNowMs`, merged by device. */
  machineRows(folds: readonly GatewayFold[], coreNowMs: number, thresholds: StatusThresholds): FleetMachineRow[] {
    const perGateway = folds.map((f) => ({ gateway: f.tag, rows: this.#memo(f.view.id).model.rowsAt(f.machines, coreNowMs + f.tag.clockOffsetMs, thresholds) }));
    const rows = fleetMachineRows(perGateway, this.#machineRows);
    this.#machineRows = new Map(rows.map((r) => [r.key, r]));
    return rows;
  }

  /** `rows` (filtered) in `sort`'s order, starting from the last order: the same result as a full sort, for less work. */
  sorted(rows: readonly FleetMachineRow[], sort: MachineSort): FleetMachineRow[] {
    const sorted = sortMachineRows(rows, sort, this.#sorted);
    this.#sorted = { rows: sorted, sort };
    return sorted;
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
      const rows = indexRows(view.entries, view.self, { keyPrefix: fleetKey(view.id, ''), fields: { gateway: tag } });
      memo.indexInputs = inputs;
      memo.index = { view, tag, rows };
      return memo.index;
    });
    // The same array while no gateway's rows changed, so what is derived from it is reused.
    const last = this.#indexes;
    if (last && last.length === indexes.length && last.every((ix, i) => ix === indexes[i])) return last;
    this.#indexes = indexes;
    return indexes;
  }

  /** Connection rows of every gateway (statuses are drawn at render, each on its gateway's clock). */
  entryRows(indexes: readonly GatewayIndex[]): readonly FleetEntryRow[] {
    if (indexes.length === 1) return indexes[0]!.rows;
    if (this.#entryRows && this.#entryRows.from === indexes) return this.#entryRows.rows;
    const rows = indexes.flatMap((ix) => ix.rows);
    this.#entryRows = { from: indexes, rows };
    return rows;
  }
}

/** The earliest moment (core clock) any machine's status changes on its own. */
export function nextMachineChangeAtMs(folds: readonly GatewayFold[], coreNowMs: number, thresholds: StatusThresholds): number | undefined {
  let next: number | undefined;
  for (const f of folds) {
    const at = nextChangeAtMs(f.machines, coreNowMs + f.tag.clockOffsetMs, thresholds);
    if (at !== undefined && (next === undefined || at - f.tag.clockOffsetMs < next)) next = at - f.tag.clockOffsetMs;
  }
  return next;
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
