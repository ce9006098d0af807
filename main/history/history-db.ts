/**
 * Opens the machine-history database (`<dataDir>/history.sqlite`) so that it
 * always opens: after a clean stop, after a `kill -9` in the middle of a write,
 * and after the file was damaged.
 *
 * Why these choices, measured on node-sqlite3-wasm 0.8.60 (SQLite 3.53.4):
 * - Its file VFS has no shared-memory support, so `journal_mode=WAL` stays
 *   `delete`: we use the rollback journal with `synchronous=FULL`. A write cut
 *   off by `kill -9` leaves a hot journal, which SQLite rolls back on the next
 *   open: earlier commits survive, the cut-off transaction vanishes whole. (Only
 *   with own-lock-check.ts: the VFS otherwise mistakes our own lock for another
 *   writer's and skips that rollback.)
 * - Its VFS locks with a `<file>.lock` folder (mkdir/rmdir), which a killed
 *   process leaves behind; every later open would then answer SQLITE_BUSY
 *   forever. So we note our pid in `<file>.owner` (removed on a clean close)
 *   and, at open, remove a lock whose owner is no longer running.
 * - One process keeps history at a time: the desktop app and `npm run serve`
 *   share the data folder, and the second one runs without history rather than
 *   fight over the lock (its writes would fail with SQLITE_BUSY).
 * - A file that isn't SQLite is moved aside (kept, never deleted) and a new one made.
 */
import { existsSync, lstatSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import sqlite from 'node-sqlite3-wasm';
import { ensurePrivateDir, moveAside, readPrivateText, removePrivateFile, writePrivateFile } from '../system/data-files.js';
import { releaseOwnLock, treatLockAsOwn } from './own-lock-check.js';

// A CommonJS package: Node's ESM loader can't see its named exports, so take the default.
const { Database } = sqlite;
type Database = InstanceType<typeof Database>;

export const HISTORY_FILE = 'history.sqlite';

/** The schema this code writes; `migrate` brings older files up to it. */
export const SCHEMA_VERSION = 1;

const MIGRATIONS: Readonly<Record<number, string>> = {
  1: `
    CREATE TABLE machines (
      gateway TEXT NOT NULL,
      key TEXT NOT NULL,
      first_seen_ms INTEGER NOT NULL,
      last_seen_ms INTEGER NOT NULL,
      status TEXT NOT NULL,
      status_at_ms INTEGER NOT NULL,
      fields TEXT NOT NULL,
      PRIMARY KEY (gateway, key)
    ) WITHOUT ROWID;
    CREATE INDEX machines_by_last_seen ON machines (last_seen_ms);
    CREATE TABLE status_changes (
      id INTEGER PRIMARY KEY,
      gateway TEXT NOT NULL,
      key TEXT NOT NULL,
      at_ms INTEGER NOT NULL,
      status TEXT NOT NULL
    );
    CREATE INDEX status_by_machine ON status_changes (gateway, key, at_ms);
    CREATE TABLE stats (
      id INTEGER PRIMARY KEY,
      gateway TEXT NOT NULL,
      key TEXT NOT NULL,
      at_ms INTEGER NOT NULL,
      load1 REAL,
      memory_used REAL,
      disk_used REAL
    );
    CREATE INDEX stats_by_machine ON stats (gateway, key, at_ms);
  `,
};

const ownerFile = (file: string) => `${file}.owner`;

/** After a clean close: the history is free for the next process. */
export function releaseHistory(dataDir: string): void {
  releaseOwnLock(path.resolve(dataDir, HISTORY_FILE));
  removePrivateFile(ownerFile(path.join(dataDir, HISTORY_FILE)));
}

export class HistoryOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryOpenError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Refuses when another running process keeps the history; removes a lock folder left by one that is gone. */
function claimOrRefuse(file: string, log: (line: string) => void): void {
  const owner = Number.parseInt(readPrivateText(ownerFile(file))?.trim() ?? '', 10);
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
    throw new HistoryOpenError(`${file} is in use by another process (pid ${owner})`);
  }
  const lock = `${file}.lock`;
  if (!existsSync(lock)) return;
  if (!lstatSync(lock).isDirectory()) throw new HistoryOpenError(`refusing to use ${file}: ${lock} is not a lock folder`);
  rmdirSync(lock);
  log(`history: removed a lock left by an interrupted write (${path.basename(lock)})`);
}

function isNotADatabase(err: unknown): boolean {
  return /not a database|malformed|file is encrypted|SQLITE_NOTADB|SQLITE_CORRUPT/i.test((err as Error)?.message ?? '');
}

function openAndPrepare(file: string): Database {
  const db = new Database(file);
  try {
    db.exec('PRAGMA synchronous = FULL');
    // Reading the header is what fails on a file that isn't SQLite.
    db.get('PRAGMA schema_version');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Applies each migration above the stored version, each in its own transaction. */
function migrate(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.get('SELECT max(version) AS v FROM schema_version') as { v: number | null } | null;
  const current = row?.v ?? 0;
  if (current > SCHEMA_VERSION) throw new HistoryOpenError(`history was written by a newer version of the app (schema ${current}, this one knows ${SCHEMA_VERSION})`);
  for (let v = current + 1; v <= SCHEMA_VERSION; v += 1) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[v]!);
      db.run('INSERT INTO schema_version (version) VALUES (?)', v);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
}

/**
 * Opens (or makes) the history database in `dataDir`, 0600 in the 0700 folder.
 * Throws HistoryOpenError when another running process holds it.
 */
export function openHistoryDatabase(dataDir: string, log: (line: string) => void, nowMs = Date.now()): Database {
  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, HISTORY_FILE);
  if (existsSync(file) && !lstatSync(file).isFile()) throw new HistoryOpenError(`refusing to use ${file}: not a regular file`);
  claimOrRefuse(file, log);
  if (!existsSync(file)) writePrivateFile(file, new Uint8Array(0));
  writePrivateFile(ownerFile(file), `${process.pid}\n`);
  // Before the first read: that is when SQLite decides whether a journal left by a kill is hot.
  treatLockAsOwn(path.resolve(file));
  try {
    return openAndPrepare(file);
  } catch (err) {
    if (!isNotADatabase(err)) throw err;
    // Keep the damaged file for a look later; a journal beside it belongs to it.
    moveAside(file, `not a SQLite database (${(err as Error).message})`, log, nowMs);
    if (existsSync(`${file}-journal`)) moveAside(`${file}-journal`, 'journal of a damaged database', log, nowMs);
    writePrivateFile(file, new Uint8Array(0));
    return openAndPrepare(file);
  }
}
