/**
 * A listener called with the newest value at most once per interval: at once
 * after a quiet spell, else once at the end of the interval, with the newest
 * value only.
 *
 * Used by the shells (one push to a window per frame) and by the page's store
 * (one render per frame). Why: a window draws at most once per frame, so pushing it every snapshot of a
 * storm (300 beacons a second across gateways) only costs the core encoding and
 * sending, and the page decoding, what it will never draw. The snapshot stream's
 * encoder works from what the window has, so skipping an intermediate snapshot
 * loses nothing: the next push carries every change since the last one.
 */
export interface PacedTimers {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export interface Paced<T> {
  push(value: T): void;
  /** Drops a value waiting for its turn; nothing is called after this. */
  cancel(): void;
}

/** `timers`: the process's (main/system/timers.ts `nodeTimers`); shared code reads no clock of its own. */
export function paced<T>(listener: (value: T) => void, intervalMs: number, timers: PacedTimers): Paced<T> {
  let lastAt = -Infinity;
  let waiting: { value: T } | undefined;
  let timer: unknown;
  const call = (value: T) => {
    lastAt = timers.now();
    listener(value);
  };
  return {
    push(value) {
      if (timer !== undefined) {
        waiting = { value };
        return;
      }
      const wait = lastAt + intervalMs - timers.now();
      if (wait <= 0) {
        call(value);
        return;
      }
      waiting = { value };
      timer = timers.setTimer(() => {
        timer = undefined;
        const next = waiting;
        waiting = undefined;
        if (next) call(next.value);
      }, wait);
    },
    cancel() {
      if (timer !== undefined) timers.clearTimer(timer);
      timer = undefined;
      waiting = undefined;
    },
  };
}
