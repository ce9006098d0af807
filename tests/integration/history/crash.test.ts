/**
 * History survives `kill -9` in the middle of a write: a child process writes
 * big transactions in a loop and is SIGKILLed; the database then opens (the
 * VFS's lock folder left behind is cleared, the hot journal rolled back), every
 * batch the child reported committed is there whole, no half batch is, and the
 * file passes SQLite's integrity check. Three rounds on the same file.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HISTORY_FILE, openHistoryDatabase, releaseHistory } from '../../../main/history/history-db.js';
import { tempDir } from '../../helpers/test-client.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Starts the writer and kills it with SIGKILL once it has committed `commits` batches and is well into the next. */
function writeThenKill(dataDir: string, start: number, commits: number): Promise<{ lastCommitted: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'crash-writer.ts'), dataDir, String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastCommitted = start - 1;
    let out = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^committed (\d+)$/.exec(line);
        if (m) lastCommitted = Number(m[1]);
        // A transaction of 1,000 rows (and its journal) is being written: kill it there.
        if (!killed && /^writing \d+$/.test(line) && lastCommitted - start + 1 >= commits) {
          killed = true;
          // Well into the transaction (it takes far longer than this: see crash-writer.ts), past its first write.
          setTimeout(() => child.kill('SIGKILL'), 40);
        }
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code ?? signal} before it was killed:\n${stderr}`));
      else resolve({ lastCommitted, stderr });
    });
  });
}

describe('history and kill -9', () => {
  it('opens after a kill in the middle of a write, with every committed batch and no partial one', async () => {
    const dataDir = tempDir('claw-history-crash-');
    dirs.push(dataDir);
    let start = 0;
    let sawLeftovers = false;
    let clearedLock = false;
    for (let round = 0; round < 3; round += 1) {
      const { lastCommitted } = await writeThenKill(dataDir, start, 3 + round);
      sawLeftovers ||= existsSync(path.join(dataDir, `${HISTORY_FILE}.lock`)) || existsSync(path.join(dataDir, `${HISTORY_FILE}-journal`));
      const logs: string[] = [];
      const db = openHistoryDatabase(dataDir, (l) => logs.push(l));
      clearedLock ||= logs.some((l) => l.includes('removed a lock left by an interrupted write'));
      try {
        expect(db.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
        const perBatch = db.all("SELECT substr(key, 1, instr(key, '-') - 1) AS b, count(*) AS n FROM machines WHERE gateway = 'crash-gw' GROUP BY b") as Array<{ b: string; n: number }>;
        const batches = new Map(perBatch.map((r) => [Number(r.b.slice(1)), r.n]));
        for (let b = 0; b <= lastCommitted; b += 1) expect(batches.get(b), `batch ${b}`).toBe(1000);
        // Anything beyond the last reported commit is either whole (committed just before the kill) or absent.
        for (const [b, n] of batches) if (b > lastCommitted) expect(n, `batch ${b}`).toBe(1000);
        const changes = db.get("SELECT count(*) AS n FROM status_changes WHERE gateway = 'crash-gw'") as { n: number };
        expect(changes.n).toBe(1000 * batches.size);
        start = Math.max(lastCommitted, ...batches.keys()) + 1;
      } finally {
        // A clean close, as the app does: the next writer may take the history.
        db.close();
        releaseHistory(dataDir);
      }
    }
    // The kills really did land mid-write at least once (a lock folder or a hot journal was left).
    expect(sawLeftovers).toBe(true);
    // Without clearing the VFS's lock folder, these opens would have failed with SQLITE_BUSY.
    expect(clearedLock).toBe(true);
  });
});
