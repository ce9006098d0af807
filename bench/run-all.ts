/**
 * `npm run bench`: runs the benchmarks, prints their figures, and writes them
 * with the date and machine into bench/RESULTS.md. `npm run bench -- NAME…` runs
 * some (beacon, renderer, gateway, controlui, idle, client, storm, fleet).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { beaconToRow } from './beacon-to-row.js';
import { fleetGateways } from './fleet-gateways.js';
import { rendererCost } from './renderer-cost.js';
import { gatewayCompare } from './gateway-compare.js';
import { clientFootprint } from './client-footprint.js';
import { controlUiCompare } from './control-ui-compare.js';
import { coreStorm } from './core-storm.js';
import { steadyIdle } from './steady-idle.js';
import { CHROMIUM } from '../tests/helpers/browser.js';
import type { Section } from './stats.js';

const ALL = { beacon: beaconToRow, renderer: rendererCost, gateway: gatewayCompare, controlui: controlUiCompare, idle: steadyIdle, client: clientFootprint, storm: coreStorm, fleet: fleetGateways } as const;
const chosen = (process.argv.slice(2).filter((a) => a in ALL) as Array<keyof typeof ALL>);
const names = chosen.length ? chosen : (Object.keys(ALL) as Array<keyof typeof ALL>);

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'chromium: not found';
  }
}

const machine = `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, ${chromiumVersion()}`;
console.log(`machine: ${machine}`);

// The client footprint runs for minutes of wall time on its own process; start it first
// and let the others run meanwhile (it reads only its own process's CPU and memory).
const footprint = names.includes('client') ? clientFootprint() : undefined;
const sections: Section[] = [];
for (const name of names.filter((n) => n !== 'client')) {
  console.log(`\n== ${name}`);
  const section = await ALL[name]();
  for (const line of section.lines) console.log(`  ${line}`);
  sections.push(section);
}
if (footprint) {
  console.log('\n== client (waiting for the footprint run to finish)');
  const section = await footprint;
  for (const line of section.lines) console.log(`  ${line}`);
  sections.push(section);
}

const resultsFile = new URL('./RESULTS.md', import.meta.url);
const render = (sec: Section) => [`## ${sec.title}`, '', ...sec.lines.map((l) => `- ${l}`), ''].join('\n');
if (!chosen.length || !existsSync(resultsFile)) {
  const md = [
    '# Benchmark results',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
    'Figures from one run of `npm run bench`; ratios are ours ÷ the real OpenClaw gateway from the same run.',
    '',
    ...sections.map(render),
  ].join('\n');
  writeFileSync(resultsFile, md);
} else {
  // A partial run replaces only its own sections, and says when they were measured.
  let md = readFileSync(resultsFile, 'utf8');
  for (const sec of sections) {
    const stamped = { ...sec, lines: [...sec.lines, `(re-measured on ${new Date().toISOString().slice(0, 10)} by \`npm run bench -- ${names.join(' ')}\`)`] };
    const start = md.indexOf(`## ${sec.title}`);
    if (start < 0) md += `\n${render(stamped)}`;
    else {
      const end = md.indexOf('\n## ', start + 3);
      md = md.slice(0, start) + render(stamped) + (end < 0 ? '' : `\n${md.slice(end + 1)}`);
    }
  }
  writeFileSync(resultsFile, md);
}
console.log('\nwrote bench/RESULTS.md');
process.exit(0);
