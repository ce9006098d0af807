/**
 * The machine view's memory between renders: the last fold and the last rows by
 * key, so an update rebuilds only the machines and rows that changed (the rest
 * stay the same objects and their memoised rows skip rendering).
 */
import type { GatewayView } from '../shared/ipc/contract.js';
import type { StatusThresholds } from '../shared/presence/status.js';
import { foldMachines, type Machine } from '../shared/view/machines.js';
import { machineRowsAt, type MachineRow } from '../shared/view/machine-list.js';

export class MachineModel {
  #machines = new Map<string, Machine>();
  #rows = new Map<string, MachineRow>();

  /** Folds one gateway's list, known nodes and remembered machines; call once per change of any of them. */
  fold(snapshot: Pick<GatewayView, 'entries' | 'known' | 'remembered' | 'self'>): Machine[] {
    const machines = foldMachines({
      entries: snapshot.entries,
      ...(snapshot.known?.nodes ? { nodes: snapshot.known.nodes } : {}),
      ...(snapshot.remembered ? { remembered: snapshot.remembered } : {}),
      ...(snapshot.known?.gatewayHostStats ? { gatewayHostStats: snapshot.known.gatewayHostStats } : {}),
      selfDeviceId: snapshot.self.deviceId,
      previous: this.#machines,
    });
    this.#machines = new Map(machines.map((m) => [m.key, m]));
    return machines;
  }

  /** Rows with their status at `gatewayNowMs`; unchanged rows are the same objects as last time. */
  rowsAt(machines: readonly Machine[], gatewayNowMs: number, thresholds: StatusThresholds): MachineRow[] {
    const rows = machineRowsAt(machines, gatewayNowMs, thresholds, this.#rows);
    this.#rows = new Map(rows.map((r) => [r.machine.key, r]));
    return rows;
  }
}
