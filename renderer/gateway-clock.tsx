/**
 * A gateway's own clock for the rows that come from it: the window's clock is the
 * core's, and each gateway's is the core's plus that gateway's offset, so an age
 * on a gateway whose clock is minutes off still counts from that gateway's time.
 */
import { useMemo, type ReactNode } from 'react';
import { ClockContext, useClock, type Clock } from './clock.js';

export function GatewayClock({ offsetMs, children }: { readonly offsetMs: number; readonly children: ReactNode }) {
  const base = useClock();
  const clock = useMemo<Clock | null>(
    () => (base && offsetMs !== 0 ? { ticker: base.ticker, gatewayNow: () => base.gatewayNow() + offsetMs, gatewayToPageMs: () => base.gatewayToPageMs() - offsetMs } : base),
    [base, offsetMs],
  );
  return <ClockContext.Provider value={clock}>{children}</ClockContext.Provider>;
}
