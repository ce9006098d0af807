#!/usr/bin/env node
// Runs the built headless client (npm run build), or the TypeScript source through tsx in a checkout.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const built = fileURLToPath(new URL('../dist/main/cli/beacon-cli.js', import.meta.url));
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const source = fileURLToPath(new URL('../main/cli/beacon-cli.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', source, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
