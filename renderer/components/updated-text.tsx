/**
 * An Updated cell, the same in both tables: "updated 40s ago · Heartbeat", the
 * age live in its own box, the time exact on hover, and the reason after it
 * wrapping as one piece.
 */
import { reasonLabel } from '../../shared/format/reason.js';
import { Age } from './age.js';

export function UpdatedText({ ts, nowMs, reason }: { readonly ts: number; readonly nowMs?: number; readonly reason?: string }) {
  const label = reasonLabel(reason);
  return (
    <>
      <time dateTime={new Date(ts).toISOString()} title={new Date(ts).toLocaleString()}>
        <Age sinceMs={ts} nowMs={nowMs} prefix="updated " suffix=" ago" />
      </time>
      {label ? <span className="age-reason"> · {label}</span> : null}
    </>
  );
}
