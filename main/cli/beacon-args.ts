/**
 * The `beacon` command line, read in order.
 *
 * `--gateway` may be given several times. The `--name`, `--token-file`,
 * `--password-file`, `--token` and `--password` that follow a `--gateway` belong
 * to that gateway alone, so a secret only ever goes where it was written down
 * (issue 12 V1's rule: a secret never reaches a gateway it wasn't meant for).
 * `parseArgs` alone keeps each option's values in separate lists and loses
 * which gateway a file followed; its `tokens` keep the order, so pairing is exact.
 *
 * With one `--gateway` the secret options may stand anywhere, as before several
 * gateways existed. With several, a secret option before the first `--gateway`
 * could be meant for any of them, so it is refused rather than guessed.
 */
import { parseArgs } from 'node:util';
import { redactUrl } from '../../shared/format/redact-url.js';
import { CLI_SECRET_OPTIONS, type CliSecretArgs } from '../system/cli-secrets.js';
import { BEACON_INTERVAL_SECONDS, BeaconIntervalSchema } from '../../shared/settings/schema.js';

export interface GatewayArg {
  /** As given (checked later, with the environment at hand). */
  readonly url: string;
  readonly name?: string;
  readonly secrets: CliSecretArgs;
}

export interface BeaconArgs {
  readonly gateways: readonly GatewayArg[];
  /**
   * Secret options given before any `--gateway` when there is none: they are for
   * `OPENCLAW_GATEWAY_URL`, as the environment's token is. (With one `--gateway`
   * they are folded into its `secrets`.)
   */
  readonly looseSecrets: CliSecretArgs;
  readonly list: boolean;
  readonly json: boolean;
  readonly intervalS: number;
  readonly noActivity: boolean;
  readonly dataDir?: string;
  readonly help: boolean;
}

export type ParsedBeaconArgs = { readonly ok: true; readonly args: BeaconArgs } | { readonly ok: false; readonly error: string };


type SecretName = keyof typeof CLI_SECRET_OPTIONS;
const SECRET_NAMES = Object.keys(CLI_SECRET_OPTIONS) as SecretName[];

const OPTIONS = {
  gateway: { type: 'string', multiple: true },
  name: { type: 'string', multiple: true },
  token: { type: 'string', multiple: true },
  'token-file': { type: 'string', multiple: true },
  password: { type: 'string', multiple: true },
  'password-file': { type: 'string', multiple: true },
  list: { type: 'boolean' },
  json: { type: 'boolean' },
  interval: { type: 'string', default: String(BEACON_INTERVAL_SECONDS.default) },
  'no-activity': { type: 'boolean' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function isSecretName(name: string): name is SecretName {
  return (SECRET_NAMES as string[]).includes(name);
}

interface Group {
  url: string;
  name?: string;
  secrets: Partial<Record<SecretName, string>>;
}

/** Reads `argv` (without node and the script); never throws. */
export function parseBeaconArgs(argv: readonly string[]): ParsedBeaconArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, tokens: true, strict: true, allowPositionals: false });
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  const { values, tokens } = parsed;
  const groups: Group[] = [];
  const loose: Partial<Record<SecretName, string>> = {};
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined) continue;
    const current = groups.at(-1);
    if (token.name === 'gateway') {
      groups.push({ url: token.value, secrets: {} });
    } else if (token.name === 'name') {
      if (!current) return { ok: false, error: '--name names the --gateway before it; put it after that --gateway' };
      if (current.name !== undefined) return { ok: false, error: `--gateway ${redactUrl(current.url)} has two --name options` };
      current.name = token.value;
    } else if (isSecretName(token.name)) {
      const into = current?.secrets ?? loose;
      if (into[token.name] !== undefined) {
        return { ok: false, error: `--${token.name} is given twice${current ? ` for --gateway ${redactUrl(current.url)}` : ''}` };
      }
      into[token.name] = token.value;
    }
  }

  const looseGiven = SECRET_NAMES.filter((n) => loose[n] !== undefined);
  if (groups.length > 1 && looseGiven.length > 0) {
    return {
      ok: false,
      error: `--${looseGiven[0]} comes before the first --gateway, so it is not clear which of the ${groups.length} gateways it is for; put it right after the --gateway it belongs to`,
    };
  }
  if (groups.length === 1) {
    // The single-gateway form as it always was: the options may come in any order.
    const only = groups[0]!;
    for (const n of looseGiven) {
      if (only.secrets[n] !== undefined) return { ok: false, error: `--${n} is given twice` };
      only.secrets[n] = loose[n];
    }
  }

  const intervalS = Number(values.interval);
  // The same bounds as the app's Settings (shared/settings/schema.ts): one rule for every beacon this app sends.
  if (!BeaconIntervalSchema.safeParse(intervalS).success) {
    return { ok: false, error: `--interval must be a whole number of seconds from ${BEACON_INTERVAL_SECONDS.min} to ${BEACON_INTERVAL_SECONDS.max}` };
  }
  return {
    ok: true,
    args: {
      gateways: groups.map((g) => ({ url: g.url, ...(g.name !== undefined ? { name: g.name } : {}), secrets: g.secrets })),
      looseSecrets: groups.length === 0 ? loose : {},
      list: values.list ?? false,
      json: values.json ?? false,
      intervalS,
      noActivity: values['no-activity'] ?? false,
      ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
      help: values.help ?? false,
    },
  };
}

/** Whether any secret option is set. */
export function hasSecretArgs(secrets: CliSecretArgs): boolean {
  return SECRET_NAMES.some((n) => secrets[n] !== undefined);
}
