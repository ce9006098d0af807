/**
 * The OS idle time for plain Node (the headless beacon, the browser shell),
 * where Electron's powerMonitor is not there to ask.
 *
 * The probe runs a tool, so it is never called from the beacon's path: it runs
 * in the background every `refreshMs`, and readers get the latest value at once.
 * A value older than `maxAgeMs` (the probe has been failing) is not reported:
 * an old idle time would tell the gateway the person is away when they may not be.
 */
import { osIdleProbe, type IdleProbe } from './idle-probes.js';

export interface IdleTimeOptions {
  readonly refreshMs?: number;
  readonly maxAgeMs?: number;
  readonly clock?: () => number;
}

export class IdleTime {
  readonly #probe: IdleProbe;
  readonly #refreshMs: number;
  readonly #maxAgeMs: number;
  readonly #clock: () => number;
  #latest: { seconds: number; atMs: number } | undefined;
  #inFlight: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(probe: IdleProbe, options: IdleTimeOptions = {}) {
    this.#probe = probe;
    this.#refreshMs = options.refreshMs ?? 5_000;
    this.#maxAgeMs = options.maxAgeMs ?? this.#refreshMs * 3;
    this.#clock = options.clock ?? Date.now;
  }

  /** Starts refreshing; the promise settles after the first reading. */
  start(): Promise<void> {
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.refresh(), this.#refreshMs);
      // Idle time alone is no reason to keep a process running.
      this.#timer.unref();
    }
    return this.refresh();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Reads the OS now (one reading at a time; a caller during one shares it). */
  refresh(): Promise<void> {
    this.#inFlight ??= this.#probe()
      .then(
        (seconds) => {
          if (seconds !== undefined) this.#latest = { seconds, atMs: this.#clock() };
        },
        () => {},
      )
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  /** Seconds since the last input as last measured, or undefined when not known lately. */
  readonly latest = (): number | undefined => {
    const l = this.#latest;
    return l && this.#clock() - l.atMs <= this.#maxAgeMs ? l.seconds : undefined;
  };
}

/**
 * This OS's idle time, refreshing in the background: the function to pass as
 * `idleSeconds` to the client or the core.
 */
export function startOsIdleTime(options: IdleTimeOptions = {}): () => number | undefined {
  const idle = new IdleTime(osIdleProbe(), options);
  void idle.start();
  return idle.latest;
}
