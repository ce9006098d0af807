/**
 * One small typed emitter for every "subscribe to changes" in the app (the hub's
 * presence store, the client's connection and snapshots, the core, the page's
 * bridge and store).
 *
 * Why one: a listener is someone else's code. If it throws, the emitter's owner
 * is in the middle of its own work (a socket frame, a commit to the presence
 * list, a push to the window): the error must not unwind into that work, nor keep
 * the listeners after it from hearing the news. So every listener runs in its own
 * try/catch, and its error goes to the owner's `onError` (its log, where it has
 * one), once, never thrown.
 */

/** Where a throwing listener's error goes: the owner's log, typically. */
export type ListenerErrorHandler = (error: unknown) => void;

export class Emitter<Args extends readonly unknown[] = []> {
  readonly #listeners = new Set<(...args: Args) => void>();
  readonly #onError: ListenerErrorHandler;

  constructor(onError: ListenerErrorHandler) {
    this.#onError = onError;
  }

  /** Adds `listener`; returns the function that removes it (calling that twice is harmless). */
  on(listener: (...args: Args) => void): () => void {
    // A wrapper per subscription, so the same function subscribed twice is two subscriptions
    // and each unsubscribe removes only its own.
    const entry = (...args: Args) => listener(...args);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /**
   * Calls every listener subscribed now, in the order they subscribed. A listener
   * added during the call hears the next one; one removed during it is skipped
   * if it hasn't run yet.
   */
  emit(...args: Args): void {
    for (const listener of [...this.#listeners]) {
      if (!this.#listeners.has(listener)) continue;
      try {
        listener(...args);
      } catch (error) {
        this.#report(error);
      }
    }
  }

  /** How many listeners are subscribed. */
  get size(): number {
    return this.#listeners.size;
  }

  /** Removes every listener (the owner is closing). */
  clear(): void {
    this.#listeners.clear();
  }

  #report(error: unknown): void {
    try {
      this.#onError(error);
    } catch {
      // A broken log must not break the owner either.
    }
  }
}

/** An `onError` that writes one line, `<what> listener threw: <message>`, to `log`. */
export function logListenerError(log: (line: string) => void, what: string): ListenerErrorHandler {
  return (error) => log(`${what} listener threw: ${error instanceof Error ? error.message : String(error)}`);
}
