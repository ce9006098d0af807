import type { PresenceStatus } from '../../shared/presence/status.js';
import { STATUS_LABELS } from '../../shared/presence/status.js';

const GLYPHS: Record<PresenceStatus, string> = { active: '●', idle: '◐', stale: '○' };

/** Always text and a glyph, never colour alone. */
export function StatusBadge({ status }: { status: PresenceStatus }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      <span aria-hidden="true">{GLYPHS[status]}</span> {STATUS_LABELS[status]}
    </span>
  );
}
