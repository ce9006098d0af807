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

/** The gateway a row comes from, as its chip shows it. */
export interface GatewayTag {
  readonly id: string;
  readonly name: string;
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

function better(a: { part: MachinePart; order: number }, b: { part: MachinePart; order: number }): boolean {
  const ra = rank(a.part, a.order);
  const rb = rank(b.part, b.order);
  for (let i = 0; i < ra.length; i += 1) if (ra[i] !== rb[i]) return ra[i]! < rb[i]!;
  return false;
}

/**
 * Machines from all gateways; machines keyed by device id (`d:…`) on several gateways
 * become one row. `previous` (last result by key) keeps unchanged rows the same objects.
 */
export function fleetMachineRows(perGateway: readonly { gateway: GatewayTag; rows: readonly MachineRow[] }[], previous?: ReadonlyMap<string, FleetMachineRow>): FleetMachineRow[] {
  if (perGateway.length === 1) {
    // One gateway (the usual case): no merging, and no per-row allocation beyond the tag.
    const { gateway, rows } = perGateway[0]!;
    return rows.map((row) => reuse({ key: fleetKey(gateway.id, row.machine.key), machine: row.machine, state: row.state, gateway, row, parts: [{ gateway, row }] }, previous));
  }
  const byDevice = new Map<string, { part: MachinePart; order: number }[]>();
  const singles: { part: MachinePart; order: number }[] = [];
  perGateway.forEach(({ gateway, rows }, order) => {
    for (const row of rows) {
      const part = { part: { gateway, row }, order };
      if (!row.machine.key.startsWith('d:')) {
        singles.push(part);
        continue;
      }
      const list = byDevice.get(row.machine.key);
      if (list) list.push(part);
      else byDevice.set(row.machine.key, [part]);
    }
  });
  const out: FleetMachineRow[] = [];
  const add = (parts: { part: MachinePart; order: number }[]) => {
    let best = parts[0]!;
    for (const p of parts) if (better(p, best)) best = p;
    const ordered = [best.part, ...parts.filter((p) => p !== best).map((p) => p.part)];
    const { gateway, row } = best.part;
    out.push(reuse({ key: fleetKey(gateway.id, row.machine.key), machine: row.machine, state: row.state, gateway, row, parts: ordered }, previous));
  };
  for (const parts of byDevice.values()) add(parts);
  for (const single of singles) add([single]);
  return out;
}

function reuse(row: FleetMachineRow, previous: ReadonlyMap<string, FleetMachineRow> | undefined): FleetMachineRow {
  const prev = previous?.get(row.key);
  if (!prev || prev.row !== row.row || prev.gateway !== row.gateway || prev.parts.length !== row.parts.length) return row;
  for (let i = 0; i < row.parts.length; i += 1) if (prev.parts[i]!.row !== row.parts[i]!.row || prev.parts[i]!.gateway !== row.parts[i]!.gateway) return row;
  return prev;
}
