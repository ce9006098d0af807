/**
 * `npm run beacon -- --gateway ws://127.0.0.1:18789 --token T`: the presence
 * client without a window, so a server can appear in the Instances list.
 * `--list` prints the presence list once (a table, or `--json`) and exits.
 */
import { parseArgs } from 'node:util';
import { PresenceClient } from '../client/presence-client.js';
import { loadOrCreateIdentity } from '../client/identity.js';
import { resolveGateway, validateGatewayUrl } from '../client/gateway-config.js';
import { appVersion } from '../system/app-version.js';
import { defaultDataDir } from '../system/paths.js';
import { readHostInfo } from '../system/host-info.js';
import { presenceJson, presenceTable } from './presence-table.js';
import { safeLogLine, safeLogger } from '../system/safe-log.js';
import { CLI_SECRET_OPTIONS, CLI_SECRET_USAGE, resolveCliSecrets } from '../system/cli-secrets.js';
import { IdleTime } from '../system/idle/idle-time.js';
import { osIdleProbe } from '../system/idle/idle-probes.js';

const USAGE = `Usage: claw-beacon [--gateway ws://host:port] [--token-file F | --password-file F] [options]

Beacons this machine's presence to an OpenClaw gateway until stopped.
  --list            print the presence list once and exit (--json for JSON)
  --interval S      seconds between beacons (default 60)
  --no-activity     do not share idle time (sends the clear tag instead)
  --data-dir DIR    where the identity is kept (default: the app's data folder)
${CLI_SECRET_USAGE}
Without --gateway: OPENCLAW_GATEWAY_URL, then a local OpenClaw config.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        gateway: { type: 'string' },
        ...CLI_SECRET_OPTIONS,
        list: { type: 'boolean' },
        json: { type: 'boolean' },
        interval: { type: 'string', default: '60' },
        'no-activity': { type: 'boolean' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const log = safeLogger('[beacon]');
  const secrets = resolveCliSecrets(values, process.env, (line) => console.error(safeLogLine(line)));
  if (!secrets.ok) {
    console.error(safeLogLine(secrets.error));
    return 2;
  }
  const choice = resolveGateway({ url: values.gateway, token: secrets.token, password: secrets.password });
  if (!choice) {
    console.error(`No gateway given and none found (OPENCLAW_GATEWAY_URL, ~/.openclaw/openclaw.json).\n\n${USAGE}`);
    return 2;
  }
  const checked = validateGatewayUrl(choice.url);
  if (!checked.ok) {
    console.error(safeLogLine(checked.error));
    return 2;
  }
  const intervalS = Number(values.interval);
  if (!Number.isFinite(intervalS) || intervalS < 5) {
    console.error('--interval must be a number of seconds, at least 5');
    return 2;
  }
  const identity = loadOrCreateIdentity(values['data-dir'] ?? defaultDataDir(), log);
  // The OS idle time, read in the background (a tool per platform) and only when shared.
  let idleSeconds = (): number | undefined => undefined;
  if (!values.list && !values['no-activity']) {
    const idle = new IdleTime(osIdleProbe());
    // The first beacon should carry it, but a slow first reading (PowerShell
    // compiling its helper) must not hold the beacon back: at most 3 s.
    await Promise.race([idle.start(), new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    idleSeconds = idle.latest;
  }
  const client = new PresenceClient({
    gateway: { url: checked.url, token: choice.token, password: choice.password, kind: 'remote' },
    identity,
    version: appVersion(),
    hostInfo: readHostInfo,
    idleSeconds,
    shareActivity: !values['no-activity'],
    beacon: !values.list,
    beaconIntervalMs: intervalS * 1000,
    log: values.list ? () => {} : log,
  });

  if (values.list) {
    return await new Promise<number>((resolve) => {
      const timeout = setTimeout(() => finish(`timed out waiting for ${checked.url}`), 20_000);
      const finish = (error?: string) => {
        clearTimeout(timeout);
        const s = client.snapshot();
        void client.stop();
        if (error) {
          for (const line of error.split('\n')) console.error(safeLogLine(line));
          resolve(1);
          return;
        }
        const now = Date.now() + s.clockOffsetMs;
        console.log(values.json ? presenceJson(s.entries) : presenceTable(s.entries, now));
        resolve(0);
      };
      client.subscribe((s) => {
        if (s.connection.kind === 'failed') finish(`${s.connection.reason}\n${s.connection.action}`);
        else if (s.connection.kind === 'connected' && s.missingScope) finish(`this connection lacks ${s.missingScope}`);
        else if (s.connection.kind === 'connected' && s.listReceivedAtMs !== undefined) finish();
      });
      client.start();
    });
  }

  client.subscribe((s) => {
    if (s.connection.kind === 'failed') {
      console.error(safeLogLine(s.connection.reason));
      console.error(safeLogLine(s.connection.action));
      process.exit(1);
    }
  });
  client.start();
  log(`instanceId ${identity.instanceId}, beaconing to ${checked.url} every ${intervalS} s, idle time ${idleSeconds() === undefined ? 'not available' : 'shared'} (Ctrl+C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await client.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  // E.g. a data folder refused (a symlink, another user's): say why, no stack trace.
  (err: Error) => {
    console.error(safeLogLine(err.message));
    process.exit(1);
  },
);
