/**
 * The machine view's memory between renders: the last fold, the last rows by
 * key and the last order, so an update rebuilds only the machines and rows that
 * changed (the rest stay the same objects and their memoised rows skip
 * rendering) and places only those in the order.
 */
import type { ViewSnapshot } from '../shared/ipc/contract.js';
import type { StatusThresholds } from '../shared/presence/status.js';
import { foldMachines, type Machine } from '../shared/view/machines.js';
import { machineRowsAt, sortMachineRows, type MachineRow, type MachineSort, type SortedMachineRows } from '../shared/view/machine-list.js';

export class MachineModel {
  #machines = new Map<string, Machine>();
  #rows = new Map<string, MachineRow>();
  #sorted?: SortedMachineRows;

  /** Folds the snapshot's list, known nodes and remembered machines; call once per change of any of them. */
  fold(snapshot: Pick<ViewSnapshot, 'entries' | 'known' | 'remembered' | 'self'>): Machine[] {
    const machines = foldMachines({
      entries: snapshot.entries,
      ...(snapshot.known?.nodes ? { nodes: snapshot.known.nodes } : {}),
      ...(snapshot.remembered ? { remembered: snapshot.remembered } : {}),
      ...(snapshot.known?.gatewayHostStats ? { gatewayHostStats: snapshot.known.gatewayHostStats } : {}),
      selfDeviceId: snapshot.self.deviceId,
      previous: this.#machines,
    });
    this.#machines = byKey(machines, (m) => m.key);
    return machines;
  }

  /** Rows with their status at `gatewayNowMs`; unchanged rows are the same objects as last time. */
  rowsAt(machines: readonly Machine[], gatewayNowMs: number, thresholds: StatusThresholds): MachineRow[] {
    const rows = machineRowsAt(machines, gatewayNowMs, thresholds, this.#rows);
    this.#rows = byKey(rows, (r) => r.machine.key);
    return rows;
  }

  /** `rows` (filtered) in `sort`'s order, starting from the last order: the same result as a full sort, for less work. */
  sorted(rows: readonly MachineRow[], sort: MachineSort): MachineRow[] {
    const sorted = sortMachineRows(rows, sort, this.#sorted);
    this.#sorted = { rows: sorted, sort };
    return sorted;
  }
}

function byKey<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) map.set(keyOf(item), item);
  return map;
}
