/**
 * One timer for the whole window: ages and statuses ask to be woken at the
 * moment their text changes, and the ticker keeps a single `setTimeout` for the
 * earliest of them. While the page is hidden (window hidden or minimised) no
 * timer runs at all; on show, everything that fell due runs once to catch up.
 *
 * Why: the old once-a-second tick re-rendered every visible row, about 14 ms of
 * main thread per second in a tray app that is idle all day (issue 11 item 6).
 */
export interface Ticker {
  /** Runs `fn` once at page time `atMs` (or, if the page was hidden then, when it is shown). Returns a cancel. */
  at(atMs: number, fn: () => void): () => void;
  /** Page time now. */
  now(): number;
  /** Whether timers are held (the page is hidden). */
  isHeld(): boolean;
}

interface Job {
  readonly atMs: number;
  readonly fn: () => void;
}

export interface TickerEnv {
  readonly now: () => number;
  readonly setTimer: (fn: () => void, ms: number) => unknown;
  readonly clearTimer: (handle: unknown) => void;
  /** Whether the page is hidden now, and a subscription to changes. */
  readonly isHidden: () => boolean;
  readonly onVisibility: (listener: () => void) => void;
}

/** The browser's: timers and `document.visibilityState`, looked up at call time (so test fake timers apply). */
export function browserTickerEnv(): TickerEnv {
  return {
    now: () => Date.now(),
    setTimer: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimer: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    isHidden: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
    onVisibility: (listener) => {
      if (typeof document !== 'undefined') document.addEventListener('visibilitychange', listener);
    },
  };
}

export function createTicker(env: TickerEnv = browserTickerEnv()): Ticker {
  const jobs = new Set<Job>();
  let timer: unknown;
  let timerAt = Infinity;

  const schedule = () => {
    if (env.isHidden()) {
      if (timer !== undefined) env.clearTimer(timer);
      timer = undefined;
      timerAt = Infinity;
      return;
    }
    let first = Infinity;
    for (const j of jobs) if (j.atMs < first) first = j.atMs;
    if (first === timerAt) return;
    if (timer !== undefined) env.clearTimer(timer);
    timer = undefined;
    timerAt = first;
    if (first === Infinity) return;
    timer = env.setTimer(run, Math.max(0, first - env.now()));
  };

  const run = () => {
    timer = undefined;
    timerAt = Infinity;
    if (env.isHidden()) return;
    const now = env.now();
    const due = [...jobs].filter((j) => j.atMs <= now);
    for (const j of due) jobs.delete(j);
    for (const j of due) j.fn();
    schedule();
  };

  env.onVisibility(() => (env.isHidden() ? schedule() : run()));

  return {
    at(atMs, fn) {
      const job = { atMs, fn };
      jobs.add(job);
      if (atMs < timerAt) schedule();
      return () => {
        jobs.delete(job);
      };
    },
    now: env.now,
    isHeld: env.isHidden,
  };
}
