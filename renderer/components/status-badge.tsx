import type { PresenceStatus } from '../../shared/presence/status.js';
import { MACHINE_STATUS_LABELS, type MachineStatus } from '../../shared/view/machines.js';

const GLYPHS: Record<MachineStatus, string> = { active: '●', idle: '◐', stale: '○', disconnected: '◌', offline: '⊘', gone: '–' };

/** Always text and a glyph, never colour alone. Connections have the first three; machines all six. */
export function StatusBadge({ status }: { status: PresenceStatus | MachineStatus }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      <span aria-hidden="true">{GLYPHS[status]}</span> {MACHINE_STATUS_LABELS[status]}
    </span>
  );
}
