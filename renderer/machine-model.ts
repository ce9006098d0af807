/**
 * One gateway's machine view memory between renders: the last fold and the last
 * rows by key, so an update rebuilds only the machines and rows that changed (the
 * rest stay the same objects and their memoised rows skip rendering). The order
 * across gateways is kept by FleetModel (fleet-model.ts), which places only the
 * changed rows.
 */
import type { GatewayView } from '../shared/ipc/contract.js';
import type { ReceivedEntry } from '../shared/client/view-state.js';
import type { StatusThresholds } from '../shared/presence/status.js';
import { foldMachines, type Machine } from '../shared/view/machines.js';
import { machineRowsSpan, type MachineRow, type MachineRowsSpan } from '../shared/view/machine-list.js';

export class MachineModel {
  #machines = new Map<string, Machine>();
  #rows = new Map<string, MachineRow>();
  /** Which entries each of `#machines` was made from (`FoldInput.sources`), kept and updated by the fold. */
  #sources = new Map<string, readonly ReceivedEntry[]>();
  /** The list the last fold was made from: its keys are reused for the next (`readEntryKeys`). */
  #entries?: readonly ReceivedEntry[];

  /** Folds one gateway's list, known nodes and remembered machines; call once per change of any of them. */
  fold(snapshot: Pick<GatewayView, 'entries' | 'known' | 'remembered' | 'self'>): Machine[] {
    const machines = foldMachines({
      entries: snapshot.entries,
      ...(snapshot.known?.nodes ? { nodes: snapshot.known.nodes } : {}),
      ...(snapshot.remembered ? { remembered: snapshot.remembered } : {}),
      ...(snapshot.known?.gatewayHostStats ? { gatewayHostStats: snapshot.known.gatewayHostStats } : {}),
      selfDeviceId: snapshot.self.deviceId,
      previous: this.#machines,
      sources: this.#sources,
      ...(this.#entries ? { previousEntries: this.#entries } : {}),
    });
    this.#entries = snapshot.entries;
    this.#machines = byKey(machines, (m) => m.key);
    return machines;
  }

  /** Rows with their status at `gatewayNowMs`, and how long they hold; unchanged rows are the same objects as last time. */
  rowsAt(machines: readonly Machine[], gatewayNowMs: number, thresholds: StatusThresholds): MachineRowsSpan {
    const span = machineRowsSpan(machines, gatewayNowMs, thresholds, this.#rows);
    this.#rows = byKey(span.rows, (r) => r.machine.key);
    return span;
  }
}

function byKey<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) map.set(keyOf(item), item);
  return map;
}
