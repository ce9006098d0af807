#!/usr/bin/env node
// The whole test command: static checks, the real OpenClaw gateway install (cached),
// the renderer build, then every Vitest project in one run, ending with one plain
// "N passed, N failed, N skipped" line for all suites together.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const run = (label, cmd, args, env = {}) => {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${label}: ${r.status === 0 ? 'ok' : `failed (exit ${r.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.status === 0;
};

const checks = [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['build', 'npm', ['run', '-s', 'build']],
  ['electron security scan', 'node', ['scripts/security-scan.mjs']],
  ['real OpenClaw gateway install (cached)', 'node', ['--import', 'tsx', 'tests/helpers/openclaw/install-cli.ts']],
];
let checksFailed = 0;
for (const [label, cmd, args] of checks) {
  if (!run(label, cmd, args)) checksFailed += 1;
}

mkdirSync('test-results', { recursive: true });
const vitestOk = run('tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json', ...process.argv.slice(2)]);

let passed = 0;
let failed = 0;
let skipped = 0;
const skippedNotes = [];
try {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  skipped = report.numPendingTests + report.numTodoTests;
  for (const file of report.testResults) {
    for (const t of file.assertionResults) {
      if (t.status === 'skipped' || t.status === 'pending') skippedNotes.push(`${t.fullName}`);
    }
  }
} catch (err) {
  console.error(`could not read the test report: ${err.message}`);
  failed += 1;
}
if (skippedNotes.length) console.log(`\nSkipped (with reason in the name):\n${skippedNotes.map((n) => `  - ${n}`).join('\n')}`);
if (checksFailed) console.log(`\n${checksFailed} static check(s) failed; see above.`);
// Static checks count as failures in the total so a red check can't hide behind green tests.
console.log(`\n${passed} passed, ${failed + checksFailed} failed, ${skipped} skipped`);
process.exit(vitestOk && checksFailed === 0 && failed === 0 ? 0 : 1);
