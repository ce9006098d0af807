/**
 * Which gateways `beacon` talks to, each with the secret meant for it.
 *
 * - `--gateway` options: each with its own secret options. The environment's
 *   `OPENCLAW_GATEWAY_TOKEN` / `_PASSWORD` go to the one `--gateway` when there is
 *   one (as always), and with several only to the `--gateway` whose URL is
 *   `OPENCLAW_GATEWAY_URL`, the gateway they were set for. When that leaves the
 *   environment's secret unplaced while some gateway has none of its own, the
 *   user may well expect it to be used: that is refused with a clear error, never
 *   guessed.
 * - No `--gateway`: `OPENCLAW_GATEWAY_URL` (its secret from the secret options or
 *   the environment) and a local OpenClaw config (its own port and token), both
 *   when both exist (`discoverGateways`).
 *
 * Every URL is checked (ws/wss, no credentials in it); a bad one stops the
 * command, as a typo should. Each gateway gets a label for logs and the GATEWAY
 * column: its `--name`, or its host:port (and path, if any).
 */
import { discoverGateways, validateGatewayUrl, type GatewayChoice } from '../client/gateway-config.js';
import { redactUrl } from '../../shared/format/redact-url.js';
import { visibleText } from '../../shared/format/visible-text.js';
import { resolveCliSecrets } from '../system/cli-secrets.js';
import { hasSecretArgs, type BeaconArgs } from './beacon-args.js';

export interface BeaconTarget {
  /** Checked and normalised. */
  readonly url: string;
  /** For logs (`[beacon LABEL]`) and the GATEWAY column. */
  readonly label: string;
  readonly token?: string;
  readonly password?: string;
}

export type TargetsResult = { readonly ok: true; readonly targets: readonly BeaconTarget[] } | { readonly ok: false; readonly error: string };

export interface TargetDeps {
  readonly env: NodeJS.ProcessEnv;
  /** The gateways found without `--gateway` (default: {@link discoverGateways}). */
  readonly discover?: (env: NodeJS.ProcessEnv) => GatewayChoice[];
  /** Warnings about secrets (given on the command line, a file others can read). */
  readonly warn: (line: string) => void;
}

export const NAME_MAX_CHARS = 60;
const SECRET_ENV = ['OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_GATEWAY_PASSWORD'] as const;

/** Only the secret variables, for handing to {@link resolveCliSecrets} (or none: `{}`). */
function secretEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(SECRET_ENV.filter((k) => env[k]).map((k) => [k, env[k]]));
}

/** host:port as the URL gives it (a default port is left out), and the path when there is one. */
export function defaultLabel(url: string): string {
  const u = new URL(url);
  return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
}

function checkName(name: string): { ok: true; name: string } | { ok: false; error: string } {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > NAME_MAX_CHARS) return { ok: false, error: `--name must be 1 to ${NAME_MAX_CHARS} characters` };
  if (visibleText(trimmed) !== trimmed) return { ok: false, error: `--name ${visibleText(trimmed)} has control or invisible characters` };
  return { ok: true, name: trimmed };
}

function fromGatewayArgs(args: BeaconArgs, deps: TargetDeps): TargetsResult {
  const several = args.gateways.length > 1;
  const envSecret = secretEnv(deps.env);
  const envUrl = deps.env.OPENCLAW_GATEWAY_URL ? validateGatewayUrl(deps.env.OPENCLAW_GATEWAY_URL) : undefined;
  const envOwner = envUrl?.ok ? envUrl.url : undefined;
  const targets: BeaconTarget[] = [];
  const unplaced: string[] = [];
  for (const g of args.gateways) {
    const checked = validateGatewayUrl(g.url);
    if (!checked.ok) return { ok: false, error: `--gateway ${redactUrl(g.url)}: ${checked.error}` };
    if (targets.some((t) => t.url === checked.url)) return { ok: false, error: `--gateway ${redactUrl(checked.url)} is given twice` };
    const envIsFor = !several || checked.url === envOwner;
    if (!envIsFor && !hasSecretArgs(g.secrets)) unplaced.push(checked.url);
    const secrets = resolveCliSecrets(g.secrets, envIsFor ? envSecret : {}, deps.warn);
    if (!secrets.ok) return { ok: false, error: several ? `--gateway ${redactUrl(checked.url)}: ${secrets.error}` : secrets.error };
    let label = defaultLabel(checked.url);
    if (g.name !== undefined) {
      const named = checkName(g.name);
      if (!named.ok) return named;
      label = named.name;
    }
    targets.push({ url: checked.url, label, ...defined(secrets) });
  }
  const envNames = Object.keys(envSecret);
  if (envNames.length > 0 && unplaced.length > 0 && !targets.some((t) => t.url === envOwner)) {
    return {
      ok: false,
      error:
        `${envNames.join(' and ')} ${envNames.length > 1 ? 'are' : 'is'} set, but ${args.gateways.length} gateways are given and ` +
        `OPENCLAW_GATEWAY_URL names none of them, so it is not clear which gateway ${envNames.length > 1 ? 'they are' : 'it is'} for. ` +
        `Give each gateway its own --token-file (or --password-file) right after its --gateway, or set OPENCLAW_GATEWAY_URL to the gateway the secret belongs to, or unset ${envNames.join(' and ')}.`,
    };
  }
  return withUniqueLabels(targets);
}

function fromDiscovery(args: BeaconArgs, deps: TargetDeps): TargetsResult {
  const found = (deps.discover ?? discoverGateways)(deps.env);
  if (found.length === 0) return { ok: false, error: 'No gateway given and none found (OPENCLAW_GATEWAY_URL, ~/.openclaw/openclaw.json).' };
  const bad = found.find((f) => f.invalid);
  if (bad) return { ok: false, error: `${bad.source === 'environment' ? 'OPENCLAW_GATEWAY_URL' : 'the OpenClaw config'} (${bad.url}): ${bad.invalid}` };
  const fromEnv = found.find((f) => f.source === 'environment');
  if (hasSecretArgs(args.looseSecrets) && !fromEnv) {
    return {
      ok: false,
      error: 'a --token-file or --password-file without --gateway is for OPENCLAW_GATEWAY_URL, which is not set; the local OpenClaw config gateway uses the token in that config. Add --gateway URL before it.',
    };
  }
  const targets: BeaconTarget[] = [];
  for (const f of found) {
    if (f === fromEnv) {
      // As before several gateways: the secret options, else the environment's secret.
      const secrets = resolveCliSecrets(args.looseSecrets, secretEnv(deps.env), deps.warn);
      if (!secrets.ok) return secrets;
      targets.push({ url: f.url, label: defaultLabel(f.url), ...defined(secrets) });
    } else {
      targets.push({ url: f.url, label: defaultLabel(f.url), ...defined(f) });
    }
  }
  return withUniqueLabels(targets);
}

function defined(s: { token?: string; password?: string }): { token?: string; password?: string } {
  return { ...(s.token !== undefined ? { token: s.token } : {}), ...(s.password !== undefined ? { password: s.password } : {}) };
}

/** Two gateways under one label could not be told apart in logs or the table. */
function withUniqueLabels(targets: BeaconTarget[]): TargetsResult {
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.label)) return { ok: false, error: `two gateways would both be shown as ${t.label}; give each its own --name after its --gateway` };
    seen.add(t.label);
  }
  return { ok: true, targets };
}

/** The gateways to use, each with its secret, or why the command line can't be followed. */
export function resolveBeaconTargets(args: BeaconArgs, deps: TargetDeps): TargetsResult {
  return args.gateways.length > 0 ? fromGatewayArgs(args, deps) : fromDiscovery(args, deps);
}

