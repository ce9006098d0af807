/**
 * `npm run beacon -- --gateway ws://127.0.0.1:18789 --token-file F`: the presence
 * client without a window, so a server can appear in the Instances list of one
 * gateway or several (`--gateway` again for each, each with its own secret).
 * `--list` prints the presence lists once (a table, or `--json`) and exits.
 */
import { PresenceClient, type PresenceClientOptions } from '../client/presence-client.js';
import { loadOrCreateIdentity } from '../client/identity.js';
import { appVersion } from '../system/app-version.js';
import { defaultDataDir } from '../system/paths.js';
import { readHostInfo } from '../system/host-info.js';
import { safeLogLine, safeLogger } from '../system/safe-log.js';
import { CLI_SECRET_USAGE } from '../system/cli-secrets.js';
import { IdleTime } from '../system/idle/idle-time.js';
import { osIdleProbe } from '../system/idle/idle-probes.js';
import { redactUrl } from '../../shared/format/redact-url.js';
import { parseBeaconArgs } from './beacon-args.js';
import { resolveBeaconTargets, type BeaconTarget } from './beacon-targets.js';
import { readLists } from './list-reader.js';
import { listReport } from './list-report.js';
import { runBeacons } from './beacon-runner.js';
import { BEACON_INTERVAL_SECONDS } from '../../shared/settings/schema.js';

const USAGE = `Usage: claw-beacon [--gateway URL [--name N] [--token-file F | --password-file F]]... [options]

Beacons this machine's presence to one or more OpenClaw gateways until stopped,
with one identity: the same machine (one instanceId, one device) on every gateway.
  --gateway URL     a gateway (ws://host:port or wss://host); repeat for several.
                    --name, --token-file and --password-file right after a
                    --gateway are for that gateway only
  --name N          how logs and the GATEWAY column call it (default: host:port)
  --list            print the presence list once and exit (--json for JSON);
                    with several gateways, one table with a GATEWAY column
  --interval S      seconds between beacons, ${BEACON_INTERVAL_SECONDS.min}–${BEACON_INTERVAL_SECONDS.max} (default ${BEACON_INTERVAL_SECONDS.default})
  --no-activity     do not share idle time (sends the clear tag instead)
  --data-dir DIR    where the identity is kept (default: the app's data folder)
${CLI_SECRET_USAGE}
With one --gateway the secret options may come anywhere, and OPENCLAW_GATEWAY_TOKEN
or OPENCLAW_GATEWAY_PASSWORD is used for it. With several, those go only to the
--gateway whose URL is OPENCLAW_GATEWAY_URL; a secret option before the first
--gateway is refused (which gateway would it be for?).
Without --gateway: OPENCLAW_GATEWAY_URL, and a local OpenClaw config (its port
and token); both when both exist.`;

/** After Ctrl-C, the longest the clients get to close before the process exits anyway. */
const STOP_DEADLINE_MS = 5_000;

async function main(): Promise<number> {
  const parsed = parseBeaconArgs(process.argv.slice(2));
  if (!parsed.ok) {
    // parseArgs writes some messages over several lines: each is kept, and made safe.
    console.error(`${parsed.error.split('\n').map(safeLogLine).join('\n')}\n\n${USAGE}`);
    return 2;
  }
  const args = parsed.args;
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const resolved = resolveBeaconTargets(args, { env: process.env, warn: (line) => console.error(safeLogLine(line)) });
  if (!resolved.ok) {
    console.error(safeLogLine(resolved.error));
    return 2;
  }
  const targets = resolved.targets;
  const log = safeLogger('[beacon]');
  // Loaded once: every gateway sees the same instanceId and device.
  const identity = loadOrCreateIdentity(args.dataDir ?? defaultDataDir(), log);
  const common = { identity, version: appVersion(), hostInfo: readHostInfo };
  const gatewayOf = (t: BeaconTarget): PresenceClientOptions['gateway'] => ({ url: t.url, token: t.token, password: t.password, kind: 'remote' });

  if (args.list) {
    const reads = await readLists(targets, (t) => new PresenceClient({ ...common, gateway: gatewayOf(t), idleSeconds: () => undefined, beacon: false }));
    const report = listReport(reads, args.json);
    for (const line of report.stderr) console.error(line);
    if (report.stdout !== undefined) console.log(report.stdout);
    return report.exitCode;
  }

  // The OS idle time, read in the background (a tool per platform), once for all gateways, and only when shared.
  let idleSeconds = (): number | undefined => undefined;
  let idle: IdleTime | undefined;
  if (!args.noActivity) {
    idle = new IdleTime(osIdleProbe());
    // The first beacon should carry it, but a slow first reading (PowerShell
    // compiling its helper) must not hold the beacon back: at most 3 s.
    await Promise.race([idle.start(), new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    idleSeconds = idle.latest;
  }
  const gateways = targets.map((t) => {
    const gatewayLog = safeLogger(`[beacon ${t.label}]`);
    const client = new PresenceClient({
      ...common,
      gateway: gatewayOf(t),
      idleSeconds,
      shareActivity: !args.noActivity,
      beaconIntervalMs: args.intervalS * 1000,
      log: gatewayLog,
    });
    return { target: t, client, log: gatewayLog };
  });
  log(`instanceId ${identity.instanceId}, idle time ${idleSeconds() === undefined ? 'not available' : 'shared'}, beaconing every ${args.intervalS} s to ${targets.length} gateway${targets.length === 1 ? '' : 's'} (Ctrl+C to stop)`);
  for (const g of gateways) g.log(`beaconing to ${redactUrl(g.target.url)}`);
  const running = runBeacons(gateways);

  const why = await Promise.race([
    running.allFailed.then(() => 'failed' as const),
    new Promise<'signal'>((resolve) => {
      process.once('SIGINT', () => resolve('signal'));
      process.once('SIGTERM', () => resolve('signal'));
    }),
  ]);
  // A second Ctrl-C while the clients close means "now".
  const now = () => process.exit(130);
  process.once('SIGINT', now);
  process.once('SIGTERM', now);
  idle?.stop();
  if (!(await running.stop(STOP_DEADLINE_MS))) log(`not every gateway closed within ${STOP_DEADLINE_MS / 1000} s; exiting anyway`);
  return why === 'failed' ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  // E.g. a data folder refused (a symlink, another user's): say why, no stack trace.
  (err: Error) => {
    console.error(safeLogLine(err.message));
    process.exit(1);
  },
);
