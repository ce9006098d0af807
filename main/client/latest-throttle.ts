/**
 * Hands on the newest of a burst of values, at most once per interval.
 *
 * Why: the real gateway sends its whole list on every change, to every client,
 * so a busy fleet (100 beacons/s) sends the core 100 lists of ~52 KB a second.
 * Checking, pushing and recording each one kept the core's event loop busy for
 * hundreds of milliseconds at a time, while a window draws at most one of them
 * per frame. A value after a quiet interval goes at once (one beacon reaches the
 * window as fast as before); values that come sooner wait for the interval's
 * end, and only the newest goes, as older lists are wholly replaced by newer ones.
 */
export interface LatestThrottleOptions<T> {
  readonly intervalMs: number;
  readonly apply: (value: T) => void;
  readonly clock: () => number;
  readonly setTimer?: (run: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}

export class LatestThrottle<T> {
  readonly #o: LatestThrottleOptions<T>;
  #lastAppliedAtMs = Number.NEGATIVE_INFINITY;
  #pending?: { value: T };
  #timer?: unknown;

  constructor(options: LatestThrottleOptions<T>) {
    this.#o = options;
  }

  push(value: T): void {
    this.#pending = { value };
    if (this.#timer !== undefined) return;
    // Capped: a clock that jumps back can't hold a value longer than one interval.
    const waitMs = Math.min(this.#o.intervalMs, Math.max(0, this.#lastAppliedAtMs + this.#o.intervalMs - this.#o.clock()));
    if (waitMs === 0) this.#flush();
    else this.#timer = (this.#o.setTimer ?? setTimeout)(() => this.#flush(), waitMs);
  }

  /** Something newer was applied another way (a list fetched on request): the waiting value is stale. */
  supersede(): void {
    this.cancel();
    this.#lastAppliedAtMs = this.#o.clock();
  }

  /** Drops the waiting value (the connection closed). */
  cancel(): void {
    if (this.#timer !== undefined) (this.#o.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout)))(this.#timer);
    this.#timer = undefined;
    this.#pending = undefined;
  }

  #flush(): void {
    this.#timer = undefined;
    const pending = this.#pending;
    this.#pending = undefined;
    if (!pending) return;
    this.#lastAppliedAtMs = this.#o.clock();
    this.#o.apply(pending.value);
  }
}
