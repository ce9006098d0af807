/**
 * An age that keeps itself current ("12s", "4 min"): it writes its own text node
 * when the text changes (every second under a minute, every minute under an
 * hour, …; on the page clock's whole second, so all ages move together) and
 * re-renders nothing else. Many rows' ages cost one timer, and
 * none while the window is hidden.
 */
import { useLayoutEffect, useRef } from 'react';
import { ageTextStepMs, formatAge, formatAgeSpaced } from '../../shared/format/age.js';
import { useClock } from '../clock.js';

export interface AgeProps {
  /** Gateway time the age counts from. */
  readonly sinceMs: number;
  /** Gateway time at render; the live clock wins when it is later. */
  readonly nowMs?: number;
  /** `short` "12s", `spaced` "12 s". */
  readonly format?: 'short' | 'spaced';
  readonly prefix?: string;
  readonly suffix?: string;
}

export function Age({ sinceMs, nowMs, format = 'short', prefix = '', suffix = '' }: AgeProps) {
  const ref = useRef<HTMLSpanElement>(null);
  const clock = useClock();
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fmt = format === 'spaced' ? formatAgeSpaced : formatAge;
    const now = () => (clock ? Math.max(nowMs ?? -Infinity, clock.gatewayNow()) : (nowMs ?? Date.now()));
    let cancel = () => {};
    const draw = () => {
      const ageMs = now() - sinceMs;
      const text = `${prefix}${fmt(ageMs)}${suffix}`;
      if (el.textContent !== text) el.textContent = text;
      // Wake at the next whole second of the page clock after the text changes (at most 1 s
      // late): every age on screen then wakes in the same task, for one layout and paint per
      // second rather than one per row (rows' timestamps have different sub-second phases).
      if (clock) cancel = clock.ticker.at(Math.ceil((clock.ticker.now() + ageTextStepMs(ageMs)) / 1000) * 1000, draw);
    };
    draw();
    return () => cancel();
  }, [sinceMs, nowMs, format, prefix, suffix, clock]);
  return <span ref={ref} className="age" />;
}
