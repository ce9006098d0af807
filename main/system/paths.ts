/**
 * Where the app keeps its settings and identity when Electron's `userData` is
 * not there to ask (headless and browser modes): the same folder Electron
 * would use, so the desktop app and `npm run beacon` on one machine share one
 * identity and show as one row. `CLAW_INSTANCES_HOME` overrides it.
 */
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Claw Instances';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env.CLAW_INSTANCES_HOME) return env.CLAW_INSTANCES_HOME;
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}
