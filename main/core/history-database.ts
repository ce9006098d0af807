/**
 * The machine history database of the core: opened once at start, shared by
 * every gateway session's recorder, pruned to 7 days on open and hourly, closed
 * at stop. If it can't be opened (another process holds it), the app runs
 * without history and says so in the log; nothing else changes.
 */
import path from 'node:path';
import { HISTORY_FILE, openHistoryDatabase, releaseHistory } from '../history/history-db.js';
import { HISTORY_KEEP_MS, HistoryStore, isEmptyWrites, type HistoryWrites } from '../history/history-store.js';

export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;
/** Longest a recorder's writes wait to go to disk with the other gateways'. */
export const WRITE_BATCH_MS = 1000;

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
  #turns: Array<() => void> = [];
  #turnAsked = false;
  #writes: Array<{ gateway: string; writes: HistoryWrites }> = [];
  #flushTimer?: NodeJS.Timeout;

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

  /**
   * Queues a recorder's writes. Every gateway's queued writes go to disk together,
   * in one transaction, within `WRITE_BATCH_MS`: with 50 gateways a storm made
   * 50 transactions a second, each with its own sync to disk, and a slow sync holds
   * the core (SQLite here runs on the core's thread). A kill loses at most the
   * writes of that last second, as the recorders' own coalescing already could.
   */
  write(gateway: string, writes: HistoryWrites): void {
    if (isEmptyWrites(writes)) return;
    this.#writes.push({ gateway, writes });
    this.#flushTimer ??= setTimeout(() => this.takeTurn(() => this.flush()), WRITE_BATCH_MS);
  }

  /** Writes what is queued now (before a read that must see it, and on close). */
  flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const batch = this.#writes;
    this.#writes = [];
    if (!batch.length || !this.#store) return;
    try {
      this.#store.applyAll(batch);
    } catch (err) {
      // The recorders' memory moved on: their next change writes the newest state again.
      this.#log(`history: a write failed: ${(err as Error).message}`);
    }
  }

  /**
   * Runs `job` soon, one job per turn of the event loop. Why: the recorders of
   * gateways connected together fall due together, and their folds and writes run
   * back to back held the core for 100 ms and more (the fleet bench's storms);
   * one per turn lets sockets and timers in between each.
   */
  takeTurn(job: () => void): void {
    this.#turns.push(job);
    if (this.#turnAsked) return;
    this.#turnAsked = true;
    setImmediate(this.#nextTurn);
  }

  #nextTurn = (): void => {
    const job = this.#turns.shift();
    try {
      job?.();
    } catch (err) {
      this.#log(`history: ${(err as Error).message}`);
    }
    // Queued from inside a turn, setImmediate runs on the next turn of the loop.
    if (this.#turns.length) setImmediate(this.#nextTurn);
    else this.#turnAsked = false;
  };

  /** Closes the database; recorders write what they held back before this (the sessions stop first). */
  close(): void {
    clearInterval(this.#pruneTimer);
    this.flush();
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
    this.flush();
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
