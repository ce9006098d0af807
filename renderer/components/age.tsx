/**
 * An age that keeps itself current ("updated 40s ago", "Disconnected · 4 min
 * ago"): it writes its own text node when the text changes and re-renders
 * nothing else. Ages under a minute move in 10 s steps ("just now", "10s", …;
 * `shared/format/age.ts` says why), and every age on screen wakes on the same
 * 10 s grid of the page clock, so a window of many rows lays out and paints at
 * most once per 10 s, with one timer for all of them, and none while hidden.
 *
 * Its box is as wide as its longest text and contains its own layout
 * (`.age` in styles.css), so a new text lays out that box alone: not the table
 * around it (traced at 20 rows in view: 1.2 ms of layout per step, 0.5 ms
 * boxed), and a column never changes width as its ages move.
 */
import { useLayoutEffect, useRef } from 'react';
import { JUST_NOW, formatLiveAge, liveAgeMaxChars, liveAgeTextStepMs, liveAgeWakeAtMs } from '../../shared/format/age.js';
import { useClock } from '../clock.js';

export interface AgeProps {
  /** Gateway time the age counts from. */
  readonly sinceMs: number;
  /** Gateway time at render; the live clock wins when it is later. */
  readonly nowMs?: number;
  /** `short` "40s", `spaced` "40 s". */
  readonly format?: 'short' | 'spaced';
  readonly prefix?: string;
  /** Left out after "just now" ("updated just now", not "just now ago"). */
  readonly suffix?: string;
  /**
   * Drawn in its fixed, self-contained box (the default). Off where text follows
   * the age in a sentence and the box's room for longer ages would show as a gap.
   */
  readonly boxed?: boolean;
}

export function Age({ sinceMs, nowMs, format = 'short', prefix = '', suffix = '', boxed = true }: AgeProps) {
  const ref = useRef<HTMLSpanElement>(null);
  const clock = useClock();
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const now = () => (clock ? Math.max(nowMs ?? -Infinity, clock.gatewayNow()) : (nowMs ?? Date.now()));
    let cancel = () => {};
    const draw = () => {
      const ageMs = now() - sinceMs;
      const age = formatLiveAge(ageMs, format);
      const text = age === JUST_NOW ? `${prefix}${age}` : `${prefix}${age}${suffix}`;
      // Writing the same text would still cost a layout: only a change is written.
      if (el.textContent !== text) el.textContent = text;
      if (clock) cancel = clock.ticker.at(liveAgeWakeAtMs(clock.ticker.now(), liveAgeTextStepMs(ageMs)), draw);
    };
    draw();
    return () => cancel();
  }, [sinceMs, nowMs, format, prefix, suffix, clock]);
  if (!boxed) return <span ref={ref} />;
  return <span ref={ref} className="age" style={{ inlineSize: `${liveAgeMaxChars(format, prefix, suffix)}ch` }} />;
}
