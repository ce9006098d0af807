/**
 * `npm run gateway -- --port 18789 --token T`: the hub (our built-in presence gateway), standalone.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HubServer } from '../hub/hub-server.js';
import { normalizeAllowedOrigin } from '../hub/origin-policy.js';
import { localSelfInfo } from '../hub/self-info.js';
import { safeLogLine, safeLogger } from '../system/safe-log.js';
import { CLI_SECRET_OPTIONS, CLI_SECRET_USAGE, resolveCliSecrets } from '../system/cli-secrets.js';
import { defaultDataDir } from '../system/paths.js';

/**
 * Where the standalone gateway keeps its instanceId and the nodes it has seen, unless
 * --data-dir says otherwise. Not the app's own `gateway` folder: the two are different
 * gateways and must not share an id when both run on one machine.
 */
function defaultGatewayDataDir(): string {
  return path.join(defaultDataDir(), 'standalone-gateway');
}

const USAGE = `Usage: claw-gateway [--host 127.0.0.1] [--port 18789] [--token-file F | --password-file F] [--allow-origin ORIGIN]... [--data-dir DIR]

Runs the Claw Instances presence gateway (OpenClaw protocol 4, presence subset).
Binds loopback by default; any other address needs a token or a password.
Browser pages may connect only from this machine's loopback pages, from the
gateway's own host, or from an origin given with --allow-origin (repeatable,
e.g. --allow-origin https://dash.example.com).
--data-dir: where it keeps its own id and the nodes it has seen
  (default: ${defaultGatewayDataDir()}).
${CLI_SECRET_USAGE}
Environment: OPENCLAW_GATEWAY_TOKEN, OPENCLAW_GATEWAY_PASSWORD.`;

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '18789' },
        ...CLI_SECRET_OPTIONS,
        'allow-origin': { type: 'string', multiple: true },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not "${values.port}"`);
    process.exit(2);
  }
  const secrets = resolveCliSecrets(values, process.env, (line) => console.error(safeLogLine(line)));
  if (!secrets.ok) {
    console.error(safeLogLine(secrets.error));
    process.exit(2);
  }
  let server: HubServer;
  try {
    const allowedOrigins = (values['allow-origin'] ?? []).map(normalizeAllowedOrigin);
    server = new HubServer({
      allowedOrigins,
      host: values.host,
      port,
      token: secrets.token,
      password: secrets.password,
      self: localSelfInfo(),
      dataDir: path.resolve(values['data-dir'] ?? defaultGatewayDataDir()),
      log: safeLogger(''),
    });
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  server.start().then(
    () => console.log(`presence gateway listening on ${server.url}`),
    (err: Error) => {
      console.error(`could not listen on ${values.host}:${port}: ${err.message}`);
      process.exit(1);
    },
  );
  const stop = () => void server.stop('gateway stopping').then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main();
