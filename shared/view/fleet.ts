/**
 * One list across several gateways (issue 14, item 3): each gateway's rows are
 * made on its own clock, then tagged with the gateway and put together.
 *
 * - Connections: every gateway's entries, keys prefixed with the gateway id.
 * - Machines: a machine with the same device id on several gateways is one row;
 *   the row shows the gateway where it is most alive (a live gateway before one
 *   that is down, then the better status, then the user's gateway order), and
 *   lists its status on every gateway in `parts`.
 *
 * Rows of a gateway that is not connected stay, marked `live: false`, with the
 * time its list was last confirmed: "last known at …".
 */
import type { MachineRow } from './machine-list.js';
import { MACHINE_STATUS_ORDER } from './machines.js';
import { statusFromAge, type PresenceStatus, type StatusThresholds } from '../presence/status.js';
import type { RowBase } from './rows.js';
import type { RowChanges, RowsWithChanges } from './sort-from-last.js';

/** The gateway a row comes from, as its chip shows it. */
export interface GatewayTag {
  readonly id: string;
  readonly name: string;
  /** *Hide hosts & IPs* blurs the name: it has the gateway's host in it. */
  readonly nameShowsAddress: boolean;
  readonly colour: string;
  /** Connected now; false: its rows are the last known. */
  readonly live: boolean;
  /** Local (core) time its list was last confirmed, when not live. */
  readonly lastKnownAtMs?: number;
  /** The gateway's clock minus the core's: add to a core time to get this gateway's. */
  readonly clockOffsetMs: number;
}

/** A connection row without a clock, tagged with its gateway (made by `indexRows` with a key prefix and the tag). */
export interface FleetEntryRow extends RowBase {
  /** `<gateway id>/<row key>`: unique across gateways. */
  readonly key: string;
  readonly gateway: GatewayTag;
}

/** A machine's row on one gateway. */
export interface MachinePart {
  readonly gateway: GatewayTag;
  readonly row: MachineRow;
}

export interface FleetMachineRow extends MachineRow, MachinePart {
  /** `<gateway id>/<machine key>` of the row shown: unique across gateways, and what history is asked by. */
  readonly key: string;
  /** The machine on every gateway that lists it, the one shown first (one part on one gateway). */
  readonly parts: readonly MachinePart[];
}

export function fleetKey(gatewayId: string, key: string): string {
  return `${gatewayId}/${key}`;
}

/** A connection's status at core time `coreNowMs`, on its own gateway's clock. */
export function fleetEntryStatus(row: FleetEntryRow, coreNowMs: number, thresholds: StatusThresholds): PresenceStatus {
  return statusFromAge(coreNowMs + row.gateway.clockOffsetMs - row.entry.ts, thresholds);
}

export function countFleetEntries(rows: readonly FleetEntryRow[], coreNowMs: number, thresholds: StatusThresholds): Record<PresenceStatus, number> {
  const counts: Record<PresenceStatus, number> = { active: 0, idle: 0, stale: 0 };
  for (const r of rows) counts[fleetEntryStatus(r, coreNowMs, thresholds)] += 1;
  return counts;
}

const rank = (p: MachinePart, order: number) => [p.gateway.live ? 0 : 1, MACHINE_STATUS_ORDER.indexOf(p.row.state.status), order] as const;

function better(a: RankedPart, b: RankedPart): boolean {
  const ra = rank(a.part, a.order);
  const rb = rank(b.part, b.order);
  for (let i = 0; i < ra.length; i += 1) if (ra[i] !== rb[i]) return ra[i]! < rb[i]!;
  return false;
}

/** A machine row of one gateway, as the merge holds it: its part and the gateway's place in the list. */
interface RankedPart {
  readonly part: MachinePart;
  readonly order: number;
}

/** What changed between two results of `FleetMachineMerge.update`. */
export type FleetMachineChanges = RowChanges<FleetMachineRow>;

/** The merge's rows, unordered (sorting gives the order; the same array while nothing changed); no changes when the list of gateways changed. */
export type FleetMachineUpdate = RowsWithChanges<FleetMachineRow>;

/** Machines keyed by device id (`d:…`) are the same machine on every gateway; any other key is one gateway's own. */
const mergeKeyOf = (gatewayId: string, machineKey: string) => (machineKey.startsWith('d:') ? machineKey : fleetKey(gatewayId, machineKey));

/**
 * Machines from all gateways, machines keyed by device id on several gateways
 * merged into one row, kept between updates: an update works only on the
 * gateways whose rows changed (their rows array or their tag is a new object),
 * and within them only on the rows that are new objects. With 50 gateways of
 * 200 machines, one beacon costs one gateway's 200 look-ups, not 10,000 rows
 * merged again, and it says which rows changed, so the list's filter, order and
 * counts can follow by the difference too.
 */
export class FleetMachineMerge {
  #slots: Array<{ gateway: GatewayTag; rows: readonly MachineRow[]; byKey: Map<string, MachineRow> }> = [];
  /** Merge key → each gateway's part, by the gateway's place in the list. */
  #parts = new Map<string, Map<number, RankedPart>>();
  #out = new Map<string, FleetMachineRow>();
  #rows: readonly FleetMachineRow[] = [];

  update(perGateway: readonly { gateway: GatewayTag; rows: readonly MachineRow[] }[]): FleetMachineUpdate {
    const sameGateways = this.#slots.length === perGateway.length && perGateway.every((g, i) => g.gateway.id === this.#slots[i]!.gateway.id);
    if (!sameGateways) {
      this.#slots = [];
      this.#parts.clear();
      this.#out.clear();
    }
    const dirty = new Set<string>();
    perGateway.forEach(({ gateway, rows }, order) => {
      const slot = this.#slots[order];
      if (slot && slot.rows === rows && slot.gateway === gateway) return;
      const retagged = slot !== undefined && slot.gateway !== gateway;
      const byKey = slot?.byKey ?? new Map<string, MachineRow>();
      const set = (key: string, row: MachineRow) => {
        const mk = mergeKeyOf(gateway.id, key);
        let parts = this.#parts.get(mk);
        if (!parts) this.#parts.set(mk, (parts = new Map()));
        parts.set(order, { part: { gateway, row }, order });
        dirty.add(mk);
      };
      for (const row of rows) {
        const key = row.machine.key;
        if (byKey.get(key) === row && !retagged) continue;
        byKey.set(key, row);
        set(key, row);
      }
      // Every row's key is in the map now: it holds more only when machines left this gateway.
      if (byKey.size !== rows.length) {
        const present = new Set<string>();
        for (const row of rows) present.add(row.machine.key);
        for (const key of [...byKey.keys()]) {
          if (present.has(key)) continue;
          byKey.delete(key);
          const mk = mergeKeyOf(gateway.id, key);
          this.#parts.get(mk)?.delete(order);
          dirty.add(mk);
        }
      }
      this.#slots[order] = { gateway, rows, byKey };
    });
    const added: FleetMachineRow[] = [];
    const removed: FleetMachineRow[] = [];
    for (const mk of dirty) {
      const parts = this.#parts.get(mk);
      const prev = this.#out.get(mk);
      if (!parts || parts.size === 0) {
        this.#parts.delete(mk);
        if (prev) {
          this.#out.delete(mk);
          removed.push(prev);
        }
        continue;
      }
      const next = merged([...parts.values()], prev);
      if (next === prev) continue;
      if (prev) removed.push(prev);
      added.push(next);
      this.#out.set(mk, next);
    }
    const base = this.#rows;
    if (added.length || removed.length || !sameGateways) this.#rows = [...this.#out.values()];
    return { rows: this.#rows, ...(sameGateways ? { changes: { base, added, removed } } : {}) };
  }
}

/** One merged row from a machine's parts on each gateway; `prev` when nothing it shows changed. */
function merged(parts: RankedPart[], prev: FleetMachineRow | undefined): FleetMachineRow {
  // In the gateways' order, so the details list them as the user ordered them.
  if (parts.length > 1) parts.sort((a, b) => a.order - b.order);
  let best = parts[0]!;
  for (const p of parts) if (better(p, best)) best = p;
  const ordered = parts.length === 1 ? [best.part] : [best.part, ...parts.filter((p) => p !== best).map((p) => p.part)];
  const { gateway, row } = best.part;
  // The last row's key string when it is the same key: not a new string per machine after a fleet-wide change.
  const key = prev && prev.gateway.id === gateway.id && prev.row.machine.key === row.machine.key ? prev.key : fleetKey(gateway.id, row.machine.key);
  if (prev && prev.key === key && prev.row === row && prev.gateway === gateway && prev.parts.length === ordered.length && prev.parts.every((p, i) => p.row === ordered[i]!.row && p.gateway === ordered[i]!.gateway)) return prev;
  return { key, machine: row.machine, state: row.state, gateway, row, parts: ordered };
}

/** Machines from all gateways at once (a merge with no history): see `FleetMachineMerge`. */
export function fleetMachineRows(perGateway: readonly { gateway: GatewayTag; rows: readonly MachineRow[] }[]): FleetMachineRow[] {
  return [...new FleetMachineMerge().update(perGateway).rows];
}
