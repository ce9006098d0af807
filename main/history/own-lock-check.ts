/**
 * A workaround for node-sqlite3-wasm 0.8.60's file VFS, without which a
 * `kill -9` in the middle of a write corrupts the history for good.
 *
 * Its locks are one `<file>.lock` folder for every lock level, and its
 * `xCheckReservedLock` only asks whether that folder exists, so a connection
 * sees its *own* shared lock as another writer's reserved lock. SQLite checks
 * exactly that when it finds a journal at open: "someone is still writing, the
 * journal is not hot", and it skips the rollback, reading the half-written
 * pages (measured: `integrity_check` fails after every kill that lands after a
 * transaction's first page write).
 *
 * History is kept by one process with one connection (history-db.ts refuses a
 * second owner), so a lock folder of our own database never means another
 * writer. For those paths only, the existence check the VFS makes answers
 * "absent", and SQLite rolls the hot journal back as it should. Every other
 * `fs.accessSync` call is passed through untouched.
 */
import fs from 'node:fs';

const ownLockFolders = new Set<string>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const accessSync = fs.accessSync;
  fs.accessSync = function accessSyncSeeingOwnLocksAsFree(target: fs.PathLike, mode?: number): void {
    if (typeof target === 'string' && ownLockFolders.has(target)) {
      throw Object.assign(new Error(`ENOENT: our own lock, not another writer's: ${target}`), { code: 'ENOENT' });
    }
    accessSync.call(fs, target, mode);
  };
}

/** From now on the VFS's reserved-lock check ignores this database's own lock folder. */
export function treatLockAsOwn(databaseFile: string): void {
  install();
  ownLockFolders.add(`${databaseFile}.lock`);
}

/** The database is closed: its lock folder means what it says again. */
export function releaseOwnLock(databaseFile: string): void {
  ownLockFolders.delete(`${databaseFile}.lock`);
}
