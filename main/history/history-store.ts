/**
 * The machine-history tables, per gateway: each machine seen (first and last
 * seen, last status, last fields as JSON), its status changes, and host-stat
 * samples. Kept 7 days; `prune` drops what is older.
 *
 * All writes of one list change go in one transaction (`apply`): one fsync per
 * change, never one per machine. Statements are prepared once.
 */
import type { Database, Statement } from 'node-sqlite3-wasm';
import type { MachineHistory, MachineStatus } from '../../shared/view/machines.js';

export const HISTORY_KEEP_MS = 7 * 24 * 60 * 60 * 1000;
export const HISTORY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A machine as the history knows it. Times are on the gateway's clock. */
export interface StoredMachine {
  readonly key: string;
  readonly firstSeenAtMs: number;
  readonly lastSeenAtMs: number;
  readonly status: MachineStatus;
  readonly statusAtMs: number;
  /** Its last fields, as JSON text. */
  readonly fieldsJson: string;
}

export interface StatSample {
  readonly key: string;
  readonly atMs: number;
  readonly load1?: number;
  readonly memoryUsedRatio?: number;
  readonly diskUsedRatio?: number;
}

/** What one list change writes. */
export interface HistoryWrites {
  /** Machines to insert or update (whole row). */
  readonly machines: readonly StoredMachine[];
  readonly statusChanges: ReadonlyArray<{ readonly key: string; readonly atMs: number; readonly status: MachineStatus }>;
  readonly stats: readonly StatSample[];
}

export function isEmptyWrites(w: HistoryWrites): boolean {
  return w.machines.length === 0 && w.statusChanges.length === 0 && w.stats.length === 0;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export class HistoryStore {
  readonly #db: Database;
  readonly #statements: Statement[] = [];
  readonly #upsert: Statement;
  readonly #addChange: Statement;
  readonly #addStat: Statement;

  constructor(db: Database) {
    this.#db = db;
    this.#upsert = this.#prepare(
      `INSERT INTO machines (gateway, key, first_seen_ms, last_seen_ms, status, status_at_ms, fields)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (gateway, key) DO UPDATE SET
         last_seen_ms = excluded.last_seen_ms, status = excluded.status,
         status_at_ms = excluded.status_at_ms, fields = excluded.fields`,
    );
    this.#addChange = this.#prepare('INSERT INTO status_changes (gateway, key, at_ms, status) VALUES (?, ?, ?, ?)');
    this.#addStat = this.#prepare('INSERT INTO stats (gateway, key, at_ms, load1, memory_used, disk_used) VALUES (?, ?, ?, ?, ?, ?)');
  }

  #prepare(sql: string): Statement {
    const s = this.#db.prepare(sql);
    this.#statements.push(s);
    return s;
  }

  /** Every machine of `gateway` seen since `sinceMs`, newest first. */
  machines(gateway: string, sinceMs: number): StoredMachine[] {
    const rows = this.#db.all(
      'SELECT key, first_seen_ms, last_seen_ms, status, status_at_ms, fields FROM machines WHERE gateway = ? AND last_seen_ms >= ? ORDER BY last_seen_ms DESC, key',
      [gateway, sinceMs],
    ) as Array<Record<string, number | string>>;
    return rows.map((r) => ({
      key: String(r.key),
      firstSeenAtMs: Number(r.first_seen_ms),
      lastSeenAtMs: Number(r.last_seen_ms),
      status: String(r.status) as MachineStatus,
      statusAtMs: Number(r.status_at_ms),
      fieldsJson: String(r.fields),
    }));
  }

  /** Writes one list change's worth in one transaction. */
  apply(gateway: string, w: HistoryWrites): void {
    this.applyAll([{ gateway, writes: w }]);
  }

  /** Several gateways' writes, in order, in one transaction: one sync to disk for all of them. */
  applyAll(batch: readonly { readonly gateway: string; readonly writes: HistoryWrites }[]): void {
    const work = batch.filter((b) => !isEmptyWrites(b.writes));
    if (!work.length) return;
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const { gateway, writes: w } of work) {
        for (const m of w.machines) this.#upsert.run([gateway, m.key, m.firstSeenAtMs, m.lastSeenAtMs, m.status, m.statusAtMs, m.fieldsJson]);
        for (const c of w.statusChanges) this.#addChange.run([gateway, c.key, c.atMs, c.status]);
        for (const s of w.stats) this.#addStat.run([gateway, s.key, s.atMs, s.load1 ?? null, s.memoryUsedRatio ?? null, s.diskUsedRatio ?? null]);
      }
      this.#db.exec('COMMIT');
    } catch (err) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  /**
   * A machine's window `[fromMs, toMs]`: status changes inside it, led by the
   * status at `fromMs` (the last change before it), and stat samples.
   */
  history(gateway: string, key: string, fromMs: number, toMs: number): MachineHistory {
    const machine = this.#db.get('SELECT first_seen_ms, last_seen_ms FROM machines WHERE gateway = ? AND key = ?', [gateway, key]) as Record<string, number> | null;
    if (!machine) return { key, statusChanges: [], stats: [] };
    const before = this.#db.get('SELECT status FROM status_changes WHERE gateway = ? AND key = ? AND at_ms <= ? ORDER BY at_ms DESC, id DESC LIMIT 1', [gateway, key, fromMs]) as {
      status: string;
    } | null;
    const inside = this.#db.all('SELECT at_ms, status FROM status_changes WHERE gateway = ? AND key = ? AND at_ms > ? AND at_ms <= ? ORDER BY at_ms, id', [gateway, key, fromMs, toMs]) as Array<{
      at_ms: number;
      status: string;
    }>;
    const stats = this.#db.all('SELECT at_ms, load1, memory_used, disk_used FROM stats WHERE gateway = ? AND key = ? AND at_ms >= ? AND at_ms <= ? ORDER BY at_ms, id', [
      gateway,
      key,
      fromMs,
      toMs,
    ]) as Array<Record<string, number | null>>;
    return {
      key,
      firstSeenAtMs: machine.first_seen_ms,
      lastSeenAtMs: machine.last_seen_ms,
      statusChanges: [
        ...(before ? [{ atMs: fromMs, status: before.status as MachineStatus }] : []),
        ...inside.map((c) => ({ atMs: c.at_ms, status: c.status as MachineStatus })),
      ],
      stats: stats.map((s) => {
        const load1 = num(s.load1);
        const memoryUsedRatio = num(s.memory_used);
        const diskUsedRatio = num(s.disk_used);
        return {
          atMs: Number(s.at_ms),
          ...(load1 !== undefined ? { load1 } : {}),
          ...(memoryUsedRatio !== undefined ? { memoryUsedRatio } : {}),
          ...(diskUsedRatio !== undefined ? { diskUsedRatio } : {}),
        };
      }),
    };
  }

  /** Deletes a machine and everything recorded about it. Returns whether it existed. */
  forget(gateway: string, key: string): boolean {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const { changes } = this.#db.run('DELETE FROM machines WHERE gateway = ? AND key = ?', [gateway, key]);
      this.#db.run('DELETE FROM status_changes WHERE gateway = ? AND key = ?', [gateway, key]);
      this.#db.run('DELETE FROM stats WHERE gateway = ? AND key = ?', [gateway, key]);
      this.#db.exec('COMMIT');
      return changes > 0;
    } catch (err) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  /**
   * Drops what is older than `cutoffMs` (all gateways): machines last seen
   * before it with all their records, stat samples before it, and status
   * changes before it except each machine's newest one, which still says what
   * its status was at the start of any window after the cutoff.
   */
  prune(cutoffMs: number): { machines: number; statusChanges: number; stats: number } {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const gone = this.#db.run(
        `DELETE FROM status_changes WHERE (gateway, key) IN (SELECT gateway, key FROM machines WHERE last_seen_ms < ?)`,
        cutoffMs,
      ).changes;
      const goneStats = this.#db.run(`DELETE FROM stats WHERE (gateway, key) IN (SELECT gateway, key FROM machines WHERE last_seen_ms < ?)`, cutoffMs).changes;
      const machines = this.#db.run('DELETE FROM machines WHERE last_seen_ms < ?', cutoffMs).changes;
      const changes = this.#db.run(
        `DELETE FROM status_changes AS s WHERE s.at_ms < :cutoff AND EXISTS (
           SELECT 1 FROM status_changes AS t
           WHERE t.gateway = s.gateway AND t.key = s.key AND t.at_ms < :cutoff AND (t.at_ms > s.at_ms OR (t.at_ms = s.at_ms AND t.id > s.id)))`,
        { ':cutoff': cutoffMs },
      ).changes;
      // Records of machines no longer in the machines table (forgotten mid-write, older versions).
      const orphans = this.#db.run('DELETE FROM status_changes WHERE NOT EXISTS (SELECT 1 FROM machines m WHERE m.gateway = status_changes.gateway AND m.key = status_changes.key)').changes;
      const stats = this.#db.run('DELETE FROM stats WHERE at_ms < ?', cutoffMs).changes;
      this.#db.exec('COMMIT');
      return { machines, statusChanges: gone + changes + orphans, stats: goneStats + stats };
    } catch (err) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    for (const s of this.#statements) if (!s.isFinalized) s.finalize();
    this.#db.close();
  }
}
