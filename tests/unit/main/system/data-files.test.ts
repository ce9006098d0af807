/**
 * The data folder's files under attack by another local user (symlinks, loose
 * modes, a folder that is theirs) and under `kill -9` in the middle of a write.
 * Runs as root here, so `nobody` plays the other user.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DataFileError, ensurePrivateDir, moveAside, readPrivateJson, readPrivateText, removePrivateFile, writePrivateFile, writePrivateJson } from '../../../../main/system/data-files.js';
import { loadOrCreateIdentity } from '../../../../main/client/identity.js';
import { loadBounds, saveBounds } from '../../../../main/shell/window-state.js';
import { tempDir } from '../../../helpers/test-client.js';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh private folder, removed after the file's tests. */
function scratch(): string {
  const d = tempDir('claw-data-');
  dirs.push(d);
  return d;
}

const mode = (p: string) => statSync(p).mode & 0o777;
const NOBODY = 65534;

describe('data files', () => {
  it('writes new files 0600 in a 0700 folder, and tightens a 0644 file on read and on write', () => {
    const dir = path.join(scratch(), 'data');
    writePrivateJson(path.join(dir, 'a.json'), { a: 1 });
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'a.json'))).toBe(0o600);

    const loose = path.join(dir, 'settings.json');
    writeFileSync(loose, '{"old":true}', { mode: 0o644 });
    chmodSync(loose, 0o644);
    expect(readPrivateText(loose)).toBe('{"old":true}');
    expect(mode(loose)).toBe(0o600);

    chmodSync(loose, 0o644);
    writePrivateFile(loose, 'new');
    expect(mode(loose)).toBe(0o600);
    expect(readFileSync(loose, 'utf8')).toBe('new');
  });

  it('refuses a symlinked file, for reading, writing and removing, and leaves its target alone', () => {
    const dir = scratch();
    const victim = path.join(scratch(), 'victim.txt');
    writeFileSync(victim, 'precious', { mode: 0o644 });
    const link = path.join(dir, 'identity.json');
    symlinkSync(victim, link);
    expect(() => readPrivateText(link)).toThrow(DataFileError);
    expect(() => writePrivateFile(link, 'attacker-chosen')).toThrow(/symbolic link/);
    expect(() => removePrivateFile(link)).toThrow(/symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(mode(victim)).toBe(0o644);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    // The identity refuses it too, with the reason, rather than starting afresh.
    expect(() => loadOrCreateIdentity(dir)).toThrow(/identity\.json: it is a symbolic link/);
  });

  it('refuses a symlinked folder', () => {
    const real = scratch();
    const link = path.join(scratch(), 'Claw Instances');
    symlinkSync(real, link);
    expect(() => ensurePrivateDir(link)).toThrow(/it is a symbolic link/);
    expect(() => writePrivateJson(path.join(link, 'settings.json'), {})).toThrow(DataFileError);
    expect(() => loadOrCreateIdentity(link)).toThrow(DataFileError);
    expect(readdirSync(real)).toEqual([]);
  });

  it('makes a 0777 folder 0700', () => {
    const dir = path.join(scratch(), 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    loadOrCreateIdentity(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'identity.json'))).toBe(0o600);
  });

  it("refuses a folder that belongs to another user (here: nobody's)", () => {
    expect(process.getuid?.()).toBe(0);
    const dir = path.join(scratch(), 'theirs');
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, NOBODY, NOBODY);
    expect(() => ensurePrivateDir(dir)).toThrow(`refusing to use ${dir}: it belongs to user ${NOBODY}, not to us (0)`);
    expect(() => writePrivateJson(path.join(dir, 'settings.json'), { gatewayUrl: 'ws://x' })).toThrow(DataFileError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('moves a damaged file aside, keeps it, and says so', () => {
    const dir = scratch();
    const file = path.join(dir, 'identity.json');
    writePrivateFile(file, '{torn');
    const logs: string[] = [];
    const id = loadOrCreateIdentity(dir, (l) => logs.push(l));
    expect(id.instanceId).toMatch(/^[0-9a-f-]{36}$/);
    const aside = readdirSync(dir).find((f) => f.startsWith('identity.json.damaged-'));
    expect(aside && readFileSync(path.join(dir, aside), 'utf8')).toBe('{torn');
    expect(logs).toEqual([expect.stringMatching(/^identity\.json was unreadable \(.+\); moved to .+damaged-\d+ and started afresh$/)]);
    expect(moveAside(path.join(dir, 'identity.json'), 'test', () => {}, 42)).toBe(`${file}.damaged-42`);
  });

  it('reads JSON against a schema, and moves a damaged one (not JSON, or not the schema) aside with one log line', () => {
    const dir = scratch();
    const file = path.join(dir, 'thing.json');
    const Schema = z.object({ n: z.number().int().default(1) });
    const logs: string[] = [];
    const log = (l: string) => logs.push(l);
    expect(readPrivateJson(file, Schema, log)).toBeUndefined();
    writePrivateJson(file, {});
    expect(readPrivateJson(file, Schema, log)).toEqual({ n: 1 });
    expect(logs).toEqual([]);

    writePrivateFile(file, '{"n": 2,');
    expect(readPrivateJson(file, Schema, log, 100)).toBeUndefined();
    expect(readFileSync(`${file}.damaged-100`, 'utf8')).toBe('{"n": 2,');
    writePrivateJson(file, { n: 'two' });
    expect(readPrivateJson(file, Schema, log, 200)).toBeUndefined();
    expect(JSON.parse(readFileSync(`${file}.damaged-200`, 'utf8'))).toEqual({ n: 'two' });
    expect(readdirSync(dir).sort()).toEqual(['thing.json.damaged-100', 'thing.json.damaged-200']);
    expect(logs).toEqual([
      expect.stringMatching(/^thing\.json was unreadable \(not JSON: .+\); moved to .+thing\.json\.damaged-100 and started afresh$/),
      expect.stringMatching(/^thing\.json was unreadable \(n: .+\); moved to .+thing\.json\.damaged-200 and started afresh$/),
    ]);

    const planted = path.join(scratch(), 'planted.json');
    writeFileSync(planted, '{"n": 3}');
    symlinkSync(planted, file);
    expect(() => readPrivateJson(file, Schema, log)).toThrow(DataFileError);
    expect(readFileSync(planted, 'utf8')).toBe('{"n": 3}');
  });

  it('keeps the window state private and ignores a symlinked one', () => {
    const dir = scratch();
    expect(saveBounds(dir, { x: 10, y: 20, width: 800, height: 600 })).toBe(true);
    expect(mode(path.join(dir, 'window-state.json'))).toBe(0o600);
    expect(loadBounds(dir)).toEqual({ x: 10, y: 20, width: 800, height: 600 });
    const other = scratch();
    const planted = path.join(scratch(), 'planted.json');
    writeFileSync(planted, JSON.stringify({ x: 1, y: 2, width: 3, height: 4 }));
    symlinkSync(planted, path.join(other, 'window-state.json'));
    expect(loadBounds(other)).toBeUndefined();
    // Saving over the planted link is refused without a throw (it runs as the window closes).
    expect(saveBounds(other, { x: 0, y: 0, width: 10, height: 10 })).toBe(false);
    expect(JSON.parse(readFileSync(planted, 'utf8'))).toEqual({ x: 1, y: 2, width: 3, height: 4 });
  });
});

/** Which version a complete file of the writer is (`a` or `b`); throws on a torn one. */
function wholeVersion(text: string): string {
  const v = JSON.parse(text) as { filler: string; sha256: string };
  if (v.filler.length !== 4 * 1024 * 1024 || createHash('sha256').update(v.filler).digest('hex') !== v.sha256) throw new Error('torn file');
  return v.filler[0]!;
}

/**
 * Runs the writer until it starts version `target`, then kills it with SIGKILL
 * (mid-write, as a write of 4 MB takes milliseconds). Returns the last version it
 * finished.
 */
async function killMidWrite(file: string, target: number, how: 'atomic' | 'in-place'): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/data-file-writer.ts', file, how], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  let lastWritten = 0;
  let text = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      for (const m of text.matchAll(/wrote (\d+)\n/g)) lastWritten = Math.max(lastWritten, Number(m[1]));
      if (!child.killed && text.includes(`writing ${target}\n`)) {
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  expect(await exited).toBe('SIGKILL');
  return lastWritten;
}

const ROUNDS = 8;
const parity = (n: number) => (n % 2 === 1 ? 'a' : 'b');

describe('kill -9 in the middle of a write', () => {
  it('leaves the old or the new file, never a torn one, and the next open works', async () => {
    const dir = scratch();
    const file = path.join(dir, 'settings.json');
    for (let round = 0; round < ROUNDS; round++) {
      const lastWritten = await killMidWrite(file, 3 + round, 'atomic');
      // The last version it announced, or the next one (renamed in, not yet announced).
      expect([parity(lastWritten), parity(lastWritten + 1)]).toContain(wholeVersion(readPrivateText(file)!));
      expect(mode(file)).toBe(0o600);
    }
    // Killed writers leave temp files; the next write works and sweeps them.
    writePrivateJson(file, { after: 'crash' });
    expect(JSON.parse(readPrivateText(file)!)).toEqual({ after: 'crash' });
    expect(readdirSync(dir)).toEqual(['settings.json']);
  }, 120_000);

  it('(the same kill tears a file written in place, so the test above can fail)', async () => {
    const file = path.join(scratch(), 'settings.json');
    let torn = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await killMidWrite(file, 3 + round, 'in-place');
      try {
        wholeVersion(readFileSync(file, 'utf8'));
      } catch {
        torn += 1;
      }
    }
    expect(torn).toBeGreaterThan(0);
  }, 120_000);
});
