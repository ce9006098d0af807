/**
 * "Copy debug summary" for a machine: the connection-level summary of its
 * newest entry (shared/view/debug-summary.ts, unchanged), plus what the machine
 * row adds: status, connections folded into it, node and approval.
 */
import type { GatewayView } from '../ipc/contract.js';
import { statusFromAge } from '../presence/status.js';
import { debugSummary } from './debug-summary.js';
import { MACHINE_STATUS_LABELS, type Machine, type MachineState } from './machines.js';
import type { RowModel } from './rows.js';

export function machineDebugSummary(snapshot: GatewayView, machine: Machine, state: MachineState, gatewayNowMs: number, appVersion: string): string {
  const newest = machine.entries[0];
  const row: RowModel | undefined = newest
    ? { key: machine.key, entry: newest, isSelf: machine.isSelf, looksDuplicate: false, ageMs: gatewayNowMs - newest.ts, status: statusFromAge(gatewayNowMs - newest.ts, snapshot.statusThresholds) }
    : undefined;
  const since = state.sinceMs === undefined ? '' : `, since ${new Date(state.sinceMs).toISOString()} (${Math.round((gatewayNowMs - state.sinceMs) / 1000)} s ago)`;
  const lines = [
    debugSummary(snapshot, row, appVersion),
    '',
    `Machine ${machine.key}: ${MACHINE_STATUS_LABELS[state.status]}${since}${state.lastSeenReason ? `, last seen reason ${state.lastSeenReason}` : ''}`,
    `Connections: ${machine.entries.length}${machine.entries.map((e) => `\n  - mode ${e.mode ?? '—'}, client ${typeof e.clientId === 'string' ? e.clientId : '—'}, reason ${e.reason ?? '—'}, ts ${e.ts}`).join('')}`,
  ];
  if (machine.node) lines.push(`Node: ${JSON.stringify(machine.node)}`);
  if (machine.approval) lines.push(`Approval: ${machine.approval.state}${machine.approval.requestId ? ` (openclaw nodes approve ${machine.approval.requestId})` : ''}`);
  if (snapshot.known?.note) lines.push(`Note: ${snapshot.known.note}`);
  return lines.join('\n');
}
