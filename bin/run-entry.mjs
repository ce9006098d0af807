// Runs one of the app's command-line entries: the built one (npm run build), or the
// TypeScript source through tsx in a checkout that hasn't been built.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** @param {string} name e.g. "gateway-cli" */
export async function runEntry(name) {
  const built = fileURLToPath(new URL(`../dist/main/cli/${name}.js`, import.meta.url));
  if (existsSync(built)) {
    await import(pathToFileURL(built).href);
    return;
  }
  const source = fileURLToPath(new URL(`../main/cli/${name}.ts`, import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', source, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
