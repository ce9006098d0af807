/**
 * Where to connect, with zero configuration where possible: explicit settings
 * first, then `OPENCLAW_GATEWAY_URL` / `OPENCLAW_GATEWAY_TOKEN` /
 * `OPENCLAW_GATEWAY_PASSWORD`, then a local OpenClaw install's config
 * (`~/.openclaw/openclaw.json`, or `OPENCLAW_CONFIG_PATH`: port and token).
 * With none of these, the app runs its built-in gateway.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSON5 from 'json5';
import { z } from 'zod';
import { redactUrl } from '../../shared/format/redact-url.js';

export interface GatewayChoice {
  readonly url: string;
  /** Set when the configured URL can't be used (e.g. it carries a password): nothing is connected, and this says why. */
  readonly invalid?: string;
  readonly token?: string;
  readonly password?: string;
  /** Where the choice came from, shown in Settings. */
  readonly source: 'settings' | 'environment' | 'openclaw-config';
}

export interface ExplicitGateway {
  readonly url?: string;
  readonly token?: string;
  readonly password?: string;
}

const OpenClawConfigSchema = z.looseObject({
  gateway: z
    .looseObject({
      port: z.number().int().min(1).max(65535).optional(),
      auth: z.looseObject({ token: z.string().optional(), password: z.string().optional() }).optional(),
    })
    .optional(),
});

export type CheckedUrl = { ok: true; url: string } | { ok: false; error: string };

/**
 * Checks a gateway URL: ws:// or wss:// with a host, and no user name or
 * password in it. Credentials in a URL end up in settings.json, in logs and in
 * anything that shows the URL; the token belongs in the token field (or
 * `OPENCLAW_GATEWAY_TOKEN`), which is kept apart and never shown.
 */
export function validateGatewayUrl(raw: string): CheckedUrl {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    // The raw text may itself carry a secret: show it redacted.
    return { ok: false, error: `"${redactUrl(raw)}" is not a URL; expected ws://host:port or wss://host` };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return { ok: false, error: `use ws:// or wss://, not ${url.protocol}//` };
  if (url.username !== '' || url.password !== '') {
    return { ok: false, error: 'remove the user name and password from the URL (ws://user:secret@host); enter the token or password in its own field instead' };
  }
  if (!url.hostname) return { ok: false, error: 'the URL has no host' };
  return { ok: true, url: url.toString().replace(/\/$/, '') };
}

export function openClawConfigPath(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (env.OPENCLAW_CONFIG_PATH) return env.OPENCLAW_CONFIG_PATH;
  const stateDir = env.OPENCLAW_STATE_DIR ?? path.join(home, '.openclaw');
  return path.join(stateDir, 'openclaw.json');
}

/** Reads a local OpenClaw config, if any; a missing or unreadable file is simply no choice. */
export function readOpenClawConfig(file: string): GatewayChoice | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = OpenClawConfigSchema.parse(JSON5.parse(text));
    const port = parsed.gateway?.port ?? 18789;
    return { url: `ws://127.0.0.1:${port}`, token: parsed.gateway?.auth?.token, password: parsed.gateway?.auth?.password, source: 'openclaw-config' };
  } catch {
    return undefined;
  }
}

/**
 * The gateway to use, or undefined for the embedded one. Every source's URL
 * goes through {@link validateGatewayUrl}; a URL that fails comes back with
 * `invalid` set (and its text redacted) instead of being connected to, so a
 * bad `OPENCLAW_GATEWAY_URL` is reported rather than silently replaced by the
 * built-in gateway.
 */
export function resolveGateway(explicit: ExplicitGateway, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): GatewayChoice | undefined {
  if (explicit.url) return checked({ url: explicit.url, token: explicit.token, password: explicit.password, source: 'settings' });
  if (env.OPENCLAW_GATEWAY_URL) {
    return checked({
      url: env.OPENCLAW_GATEWAY_URL,
      token: explicit.token ?? env.OPENCLAW_GATEWAY_TOKEN,
      password: explicit.password ?? env.OPENCLAW_GATEWAY_PASSWORD,
      source: 'environment',
    });
  }
  const fromConfig = readOpenClawConfig(openClawConfigPath(env, home));
  return fromConfig && checked(fromConfig);
}

function checked(choice: GatewayChoice): GatewayChoice {
  const result = validateGatewayUrl(choice.url);
  if (result.ok) return { ...choice, url: result.url };
  return { url: redactUrl(choice.url), invalid: result.error, source: choice.source };
}

/**
 * The gateways found outside the app's settings: `OPENCLAW_GATEWAY_URL` (with its token or
 * password) and a local OpenClaw config, each checked like a saved URL; the same URL once.
 */
/** A gateway found outside the settings: from the environment or a local OpenClaw config. */
export type DiscoveredGateway = GatewayChoice & { readonly source: 'environment' | 'openclaw-config' };

export function discoverGateways(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): DiscoveredGateway[] {
  const found: DiscoveredGateway[] = [];
  if (env.OPENCLAW_GATEWAY_URL) {
    found.push({ ...checked({ url: env.OPENCLAW_GATEWAY_URL, token: env.OPENCLAW_GATEWAY_TOKEN, password: env.OPENCLAW_GATEWAY_PASSWORD, source: 'environment' }), source: 'environment' });
  }
  const fromConfig = readOpenClawConfig(openClawConfigPath(env, home));
  if (fromConfig) {
    const choice = { ...checked(fromConfig), source: 'openclaw-config' as const };
    if (!found.some((f) => f.url === choice.url)) found.push(choice);
  }
  return found;
}
