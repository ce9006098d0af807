/**
 * A machine's last 24 hours in plain SVG: a strip coloured by status, and
 * sparklines for load, memory and disk. Each has a text equivalent, so nothing
 * is said by colour alone.
 */
import type { MachineHistory, MachineStatus } from '../../shared/view/machines.js';
import { MACHINE_STATUS_LABELS } from '../../shared/view/machines.js';

const DAY_MS = 24 * 3_600_000;

export interface StripSegment {
  readonly status: MachineStatus;
  readonly fromMs: number;
  readonly toMs: number;
}

/** Status changes (oldest first) as segments inside the window `[endMs - windowMs, endMs]`. */
export function statusSegments(changes: MachineHistory['statusChanges'], endMs: number, windowMs = DAY_MS): StripSegment[] {
  const startMs = endMs - windowMs;
  const out: StripSegment[] = [];
  changes.forEach((c, i) => {
    const from = Math.max(startMs, c.atMs);
    const to = Math.min(endMs, changes[i + 1]?.atMs ?? endMs);
    if (to > from) out.push({ status: c.status, fromMs: from, toMs: to });
  });
  return out;
}

const hhmm = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

export function StatusStrip({ changes, endMs }: { changes: MachineHistory['statusChanges']; endMs: number }) {
  const segments = statusSegments(changes, endMs);
  const startMs = endMs - DAY_MS;
  const x = (ms: number) => ((ms - startMs) / DAY_MS) * 100;
  const summary = segments.length
    ? segments.map((s) => `${MACHINE_STATUS_LABELS[s.status]} ${hhmm(s.fromMs)}–${hhmm(s.toMs)}`).join(', ')
    : 'No status recorded in the last 24 hours.';
  return (
    <figure className="strip">
      <svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label={`Status over the last 24 hours: ${summary}`} data-testid="status-strip">
        <rect x="0" y="0" width="100" height="10" className="strip-empty" />
        {segments.map((s) => (
          <rect key={s.fromMs} x={x(s.fromMs)} y="0" width={Math.max(0.2, x(s.toMs) - x(s.fromMs))} height="10" className={`strip-${s.status}`}>
            <title>{`${MACHINE_STATUS_LABELS[s.status]} ${hhmm(s.fromMs)}–${hhmm(s.toMs)}`}</title>
          </rect>
        ))}
      </svg>
      <figcaption>
        <span>24 h ago</span>
        <span>now</span>
      </figcaption>
    </figure>
  );
}

/** A line over the last 24 hours; `max` fixes the top (1 for ratios), else the highest value. */
export function Sparkline({ label, points, endMs, max, format }: { label: string; points: ReadonlyArray<{ atMs: number; value: number }>; endMs: number; max?: number; format: (v: number) => string }) {
  if (points.length === 0) return null;
  const startMs = endMs - DAY_MS;
  const top = max ?? Math.max(...points.map((p) => p.value), 1e-9);
  const coords = points.map((p) => `${(((p.atMs - startMs) / DAY_MS) * 100).toFixed(2)},${(20 - (Math.min(p.value, top) / top) * 19).toFixed(2)}`).join(' ');
  const last = points[points.length - 1]!.value;
  return (
    <div className="spark">
      <span className="spark-label">{label}</span>
      <svg viewBox="0 0 100 20" preserveAspectRatio="none" role="img" aria-label={`${label} over the last 24 hours, now ${format(last)}`}>
        <polyline points={coords} fill="none" vectorEffect="non-scaling-stroke" />
      </svg>
      <span className="spark-value">{format(last)}</span>
    </div>
  );
}
