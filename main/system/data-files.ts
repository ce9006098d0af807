/**
 * Files in the app's data folder (identity, settings, secrets, the gateway's own
 * state): private to this user, and written whole or not at all.
 *
 * Every write goes to a new temp file in the same folder (created 0600 with
 * O_EXCL, so nobody can have planted it), is fsynced, then renamed over the
 * target, so a crash or `kill -9` leaves either the old file or the new one.
 * A symlink where a data file or the folder should be is refused: another local
 * user who can write the parent folder must not be able to redirect our writes.
 * The folder is made 0700 and must belong to us; looser modes are tightened.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

const IS_POSIX = process.platform !== 'win32';

export class DataFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFileError';
  }
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Creates `dir` (0700) or checks it: a real folder, ours, not open to others (tightened if it is). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (st.isSymbolicLink()) throw new DataFileError(`refusing to use ${dir}: it is a symbolic link`);
  if (!st.isDirectory()) throw new DataFileError(`refusing to use ${dir}: not a folder`);
  if (!IS_POSIX) return;
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new DataFileError(`refusing to use ${dir}: it belongs to user ${st.uid}, not to us (${uid})`);
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

function checkTarget(file: string): Stats | undefined {
  const st = lstatOrUndefined(file);
  if (st?.isSymbolicLink()) throw new DataFileError(`refusing to use ${file}: it is a symbolic link`);
  if (st && !st.isFile()) throw new DataFileError(`refusing to use ${file}: not a regular file`);
  return st;
}

/** Writes `data` to `file` atomically, 0600, in a private folder. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  ensurePrivateDir(dir);
  checkTarget(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  if (IS_POSIX) syncDir(dir);
  sweepStaleTemps(dir, path.basename(file));
}

/**
 * Removes temp files a killed writer left behind (each a copy of a secret):
 * those of `base` whose process is gone. A live writer's file is left alone.
 */
function sweepStaleTemps(dir: string, base: string): void {
  const prefix = `.${base}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const m = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    rmSync(path.join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `value` as indented JSON, through {@link writePrivateFile}. */
export function writePrivateJson(file: string, value: unknown): void {
  writePrivateFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

// The rename is only durable once the folder's entry is on disk too.
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse to fsync a folder; the data itself is already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Reads a private data file: undefined when absent. A symlink is refused; a file
 * readable by others (left by an older version, or a hand edit) is tightened to 0600.
 */
export function readPrivateFile(file: string): Buffer | undefined {
  const st = checkTarget(file);
  if (!st) return undefined;
  if (IS_POSIX && (st.mode & 0o077) !== 0) chmodSync(file, 0o600);
  return readFileSync(file);
}

/** {@link readPrivateFile} as UTF-8 text. */
export function readPrivateText(file: string): string | undefined {
  return readPrivateFile(file)?.toString('utf8');
}

/**
 * Moves a damaged data file aside (kept, never lost) so a fresh one can be made,
 * and says so through `log`. Returns where it went.
 */
export function moveAside(file: string, why: string, log: (line: string) => void, nowMs = Date.now()): string {
  const aside = `${file}.damaged-${nowMs}`;
  renameSync(file, aside);
  log(`${path.basename(file)} was unreadable (${why}); moved to ${aside} and started afresh`);
  return aside;
}

/**
 * Reads a private JSON data file checked against `schema`: undefined when it is
 * absent, and also when it is damaged (not JSON, or not what `schema` says), in
 * which case it is moved aside (`<file>.damaged-<time>`) with one line to `log`,
 * so the caller starts afresh without losing what was there. A symlink is
 * refused, as by {@link readPrivateFile}.
 */
export function readPrivateJson<T>(file: string, schema: z.ZodType<T>, log: (line: string) => void, nowMs = Date.now()): T | undefined {
  const text = readPrivateText(file);
  if (text === undefined) return undefined;
  let problem: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    problem = issue ? `${issue.path.join('/') || 'file'}: ${issue.message}` : 'invalid';
  } catch (err) {
    problem = `not JSON: ${(err as Error).message}`;
  }
  moveAside(file, problem, log, nowMs);
  return undefined;
}

/** Removes a data file; absent is fine. */
export function removePrivateFile(file: string): void {
  checkTarget(file);
  rmSync(file, { force: true });
}
