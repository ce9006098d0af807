#!/usr/bin/env node
// `npm start`: builds, then opens the desktop app. Electron fetches its binary on
// first run; where that can't happen, say so plainly and offer the browser shell.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const build = spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], { encoding: 'utf8' });
const binary = probe.status === 0 ? probe.stdout.trim() : '';
if (!binary || !existsSync(binary)) {
  const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  console.error(`
The Electron binary is not installed, and it could not be downloaded here.
(${(probe.stderr.split('\n').find((l) => /Error/.test(l)) ?? 'no binary found').trim()})

What you can do:
  • On a machine with internet access, run  npm start  again: Electron downloads its binary once.
  • Or point to an Electron 45 you already have:  ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron-dir npm start
  • Or use the same app in your browser, no Electron needed:
        npm run serve      then open the link it prints (http://127.0.0.1:5178/?token=…)

(Electron package: ${electronDir})
`);
  process.exit(1);
}
const run = spawnSync(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 0);
