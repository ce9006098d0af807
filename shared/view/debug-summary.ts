/** The text "Copy debug summary" puts on the clipboard: enough to file a useful bug. */
import type { ViewSnapshot } from '../ipc/contract.js';
import type { RowModel } from './rows.js';
import { STATUS_LABELS } from '../presence/status.js';

export function debugSummary(snapshot: ViewSnapshot, row: RowModel | undefined, appVersion: string): string {
  const c = snapshot.connection;
  const lines = [
    `Claw Instances ${appVersion}`,
    `Gateway: ${snapshot.gateway.kind} ${snapshot.gateway.url} — ${c.kind}${c.kind === 'failed' ? ` (${c.reason})` : c.kind === 'reconnecting' ? ` (${c.lastError})` : ''}`,
    `This device: instanceId ${snapshot.self.instanceId}, deviceId ${snapshot.self.deviceId}`,
    `Clock offset to gateway: ${Math.round(snapshot.clockOffsetMs)} ms`,
    `Entries: ${snapshot.entries.length}`,
  ];
  if (snapshot.lastBeacon) lines.push(`Last beacon: ${snapshot.lastBeacon.reason} ${snapshot.lastBeacon.ok ? 'ok' : `failed: ${snapshot.lastBeacon.error}`}`);
  if (row) {
    lines.push('', `Selected: ${row.entry.host ?? 'unknown host'} — ${STATUS_LABELS[row.status]}, updated ${Math.round(row.ageMs / 1000)} s ago`, JSON.stringify(row.entry, null, 2));
  }
  return lines.join('\n');
}
