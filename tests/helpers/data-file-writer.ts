/**
 * A child process for the kill -9 test: rewrites one data file through
 * data-files in a loop, alternating two 4 MB self-checking versions (`a` for odd
 * numbers, `b` for even). Prints `writing N` as it starts version N and `wrote N`
 * once it is in place, so the test can kill it while a write is under way.
 * Usage: node --import tsx tests/helpers/data-file-writer.ts FILE [in-place]
 * (`in-place`: a plain truncate-and-write, to show the test catches a torn file.)
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { writePrivateFile } from '../../main/system/data-files.js';

const [file, how] = process.argv.slice(2);
if (!file) throw new Error('usage: data-file-writer.ts FILE [in-place]');

const FILLER_CHARS = 4 * 1024 * 1024;
const versions = ['b', 'a'].map((c) => {
  const filler = c.repeat(FILLER_CHARS);
  return Buffer.from(JSON.stringify({ sha256: createHash('sha256').update(filler).digest('hex'), filler }));
});

function writeInPlace(bytes: Buffer): void {
  const fd = openSync(file!, 'w', 0o600);
  for (let o = 0; o < bytes.length; o += 64 * 1024) writeSync(fd, bytes, o, Math.min(64 * 1024, bytes.length - o));
  closeSync(fd);
}

for (let n = 1; ; n++) {
  process.stdout.write(`writing ${n}\n`);
  if (how === 'in-place') writeInPlace(versions[n % 2]!);
  else writePrivateFile(file, versions[n % 2]!);
  process.stdout.write(`wrote ${n}\n`);
}
