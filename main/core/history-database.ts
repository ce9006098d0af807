/**
 * The machine history database of the core: opened once at start, shared by
 * every gateway session's recorder, pruned to 7 days on open and hourly, closed
 * at stop. If it can't be opened (another process holds it), the app runs
 * without history and says so in the log; nothing else changes.
 */
import path from 'node:path';
import { HISTORY_FILE, openHistoryDatabase, releaseHistory } from '../history/history-db.js';
import { HISTORY_KEEP_MS, HistoryStore } from '../history/history-store.js';

export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export interface HistoryDatabaseOptions {
  readonly dataDir: string;
  readonly log?: (line: string) => void;
  readonly clock?: () => number;
}

export class HistoryDatabase {
  readonly #o: HistoryDatabaseOptions;
  readonly #clock: () => number;
  readonly #pruned = new Set<(sinceMs: number) => void>();
  #store?: HistoryStore;
  #pruneTimer?: NodeJS.Timeout;

  constructor(options: HistoryDatabaseOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
  }

  get file(): string {
    return path.join(this.#o.dataDir, HISTORY_FILE);
  }

  /** The open store, or undefined (not open, or could not be opened). */
  get store(): HistoryStore | undefined {
    return this.#store;
  }

  open(): void {
    if (this.#store) return;
    try {
      this.#store = new HistoryStore(openHistoryDatabase(this.#o.dataDir, this.#log, this.#clock()));
    } catch (err) {
      this.#log(`history: not kept this session: ${(err as Error).message}`);
      return;
    }
    this.#prune();
    this.#pruneTimer = setInterval(() => this.#prune(), PRUNE_INTERVAL_MS);
    this.#pruneTimer.unref?.();
  }

  /** Recorders hear of a prune, to drop what they hold of machines older than `sinceMs`. */
  onPrune(listener: (sinceMs: number) => void): () => void {
    this.#pruned.add(listener);
    return () => this.#pruned.delete(listener);
  }

  /** Closes the database; recorders write what they held back before this (the sessions stop first). */
  close(): void {
    clearInterval(this.#pruneTimer);
    const store = this.#store;
    this.#store = undefined;
    if (!store) return;
    store.close();
    try {
      releaseHistory(this.#o.dataDir);
    } catch (err) {
      this.#log(`history: ${(err as Error).message}`);
    }
  }

  #prune(): void {
    if (!this.#store) return;
    const sinceMs = this.#clock() - HISTORY_KEEP_MS;
    try {
      const dropped = this.#store.prune(sinceMs);
      if (!dropped.machines) return;
      this.#log(`history: pruned ${dropped.machines} machine(s) not seen for 7 days`);
      for (const listener of this.#pruned) listener(sinceMs);
    } catch (err) {
      this.#log(`history: pruning failed: ${(err as Error).message}`);
    }
  }

  #log = (line: string): void => {
    this.#o.log?.(line);
  };
}
