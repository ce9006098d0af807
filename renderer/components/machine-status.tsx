/**
 * A machine's status as a user reads it: "Active", "Disconnected · 40 s ago",
 * "Offline · last seen 3 h ago (Node disconnected)", "Gone · last seen 2 h ago".
 * The badge changes only when the status does; the age keeps itself current.
 */
import type { MachineState } from '../../shared/view/machines.js';
import { reasonLabel } from '../../shared/format/reason.js';
import { StatusBadge } from './status-badge.js';
import { Age } from './age.js';

export function MachineStatusText({ state, nowMs }: { state: MachineState; nowMs?: number }) {
  const { status, sinceMs, lastSeenReason } = state;
  const offlineReason = status === 'offline' ? reasonLabel(lastSeenReason) : undefined;
  return (
    <span className="machine-status">
      <StatusBadge status={status} />
      {sinceMs !== undefined && (status === 'disconnected' || status === 'offline' || status === 'gone') && (
        <span className="status-age">
          {' · '}
          <Age sinceMs={sinceMs} nowMs={nowMs} format="spaced" prefix={status === 'disconnected' ? '' : 'last seen '} suffix=" ago" boxed={!offlineReason} />
          {offlineReason ? ` (${offlineReason})` : ''}
        </span>
      )}
    </span>
  );
}
