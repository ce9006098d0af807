/** The tray's title and tooltip from the list: the number of Active instances. */
import type { ViewSnapshot } from '../../shared/ipc/contract.js';
import { indexRows, countByStatus } from '../../shared/view/rows.js';

export function activeCount(snapshot: ViewSnapshot): number {
  return countByStatus(indexRows(snapshot.entries, snapshot.self), snapshot.gatewayNowMs, snapshot.statusThresholds).active;
}

export function trayTooltip(snapshot: ViewSnapshot): string {
  const connected = snapshot.connection.kind === 'connected';
  const n = activeCount(snapshot);
  return connected ? `Claw Instances — ${n} active instance${n === 1 ? '' : 's'}` : 'Claw Instances — not connected';
}
