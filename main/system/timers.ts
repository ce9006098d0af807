/** The process's clock and timers, for shared code that takes them injected (`shared/events/paced.ts`). */
import type { PacedTimers } from '../../shared/events/paced.js';

export const nodeTimers: PacedTimers = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
