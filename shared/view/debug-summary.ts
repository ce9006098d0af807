/** The text "Copy debug summary" puts on the clipboard: enough to file a useful bug. */
import type { GatewayView } from '../ipc/contract.js';
import type { RowModel } from './rows.js';
import { STATUS_LABELS } from '../presence/status.js';
import { visibleText } from '../format/visible-text.js';
import { redactUrl } from '../format/redact-url.js';

/**
 * Most of this text comes from the gateway (host names, errors, the entry's
 * fields), and it is pasted into terminals, issues and chats. Every line is made
 * visible ({@link visibleText}), so NUL, ESC, BEL and bidi controls arrive as
 * `\x00`, `\x1b`, `\x07`, `\u202e`, never as themselves. JSON escapes C0 controls
 * but passes DEL, C1 and bidi characters through; the per-line pass covers those.
 */
export function debugSummary(snapshot: GatewayView, row: RowModel | undefined, appVersion: string): string {
  const c = snapshot.connection;
  const lines = [
    `Claw Instances ${appVersion}`,
    `Gateway: ${snapshot.name} (${snapshot.id}, ${snapshot.source}) ${snapshot.gateway.kind} ${redactUrl(snapshot.gateway.url)} — ${c.kind}${c.kind === 'failed' ? ` (${c.reason})` : c.kind === 'reconnecting' ? ` (${c.lastError})` : ''}`,
    `This device: instanceId ${snapshot.self.instanceId}, deviceId ${snapshot.self.deviceId}`,
    `Clock offset to gateway: ${Math.round(snapshot.clockOffsetMs)} ms`,
    `Entries: ${snapshot.entries.length}`,
  ];
  if (snapshot.lastBeacon) lines.push(`Last beacon: ${snapshot.lastBeacon.reason} ${snapshot.lastBeacon.ok ? 'ok' : `failed: ${snapshot.lastBeacon.error}`}`);
  if (row) {
    lines.push('', `Selected: ${row.entry.host ?? 'unknown host'} — ${STATUS_LABELS[row.status]}, updated ${Math.round(row.ageMs / 1000)} s ago`, ...JSON.stringify(row.entry, null, 2).split('\n'));
  }
  return lines.map((line) => visibleText(line)).join('\n');
}
