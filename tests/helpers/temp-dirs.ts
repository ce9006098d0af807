/**
 * Temporary folders for tests, each removed after the test file that made it
 * (`tests/helpers/remove-temp-dirs.ts` is a Vitest setup file), so a run of the
 * test command leaves nothing behind in the system's temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made = new Set<string>();

/** A new empty folder under the system temp folder, removed after this test file. */
export function tempDir(prefix = 'claw-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Removes every folder `tempDir` made so far (a child process may still be writing: retry briefly). */
export function removeTempDirs(): void {
  for (const dir of made) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    made.delete(dir);
  }
}
