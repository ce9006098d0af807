#!/usr/bin/env node
// Runs @doyensec/electronegativity over the built app (dist/) and fails on any HIGH
// finding not accepted below with a reason. It exits 0 whatever it finds, so this
// reads its SARIF report (asked for HIGH and above only). Each accepted finding says why.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

/** @type {Array<{ rule: string, file: string, why: string }>} */
const ACCEPTED = [
  {
    rule: 'CSP_GLOBAL_CHECK',
    file: 'renderer/index.html',
    // Not a HIGH: electronegativity's global CSP check always reports LOW ("maybe weak",
    // manual review; see CSPGlobalCheck.js), but `-s high` does not filter global checks.
    // csp-evaluator flags script-src 'self' as a possible bypass via same-origin script
    // gadgets; our origin serves only our own bundle, with no JSONP or user uploads.
    why: 'LOW maybe-weak CSP note for script-src self; own bundle only',
  },
];

mkdirSync('test-results', { recursive: true });
const out = 'test-results/electronegativity-high.sarif';
const r = spawnSync('npx', ['electronegativity', '-i', 'dist', '-e', '45.4.1', '-r', '-v', 'false', '-s', 'high', '-o', out], { encoding: 'utf8' });
if (r.status !== 0) {
  console.error(r.stdout, r.stderr);
  process.exit(1);
}
const results = JSON.parse(readFileSync(out, 'utf8')).runs.flatMap((run) => run.results ?? []);
const findings = results.map((f) => ({ rule: f.ruleId, file: f.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? 'N/A', line: f.locations?.[0]?.physicalLocation?.region?.startLine }));
const open = findings.filter((f) => !ACCEPTED.some((a) => a.rule === f.rule && a.file === f.file));
for (const f of findings) console.log(`  ${f.rule} ${f.file}:${f.line ?? '?'}${open.includes(f) ? '' : ' (accepted)'}`);
console.log(`electronegativity (-s high): ${findings.length} finding(s), ${open.length} not accepted`);
process.exit(open.length === 0 ? 0 : 1);
