/**
 * Where to connect, with zero configuration where possible: explicit settings
 * first, then `OPENCLAW_GATEWAY_URL` / `OPENCLAW_GATEWAY_TOKEN` /
 * `OPENCLAW_GATEWAY_PASSWORD`, then a local OpenClaw install's config
 * (`~/.openclaw/openclaw.json`, or `OPENCLAW_CONFIG_PATH`: port and token).
 * With none of these, the app runs its embedded gateway.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSON5 from 'json5';
import { z } from 'zod';

export interface GatewayChoice {
  readonly url: string;
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

/** Checks a gateway URL: ws:// or wss:// with a host. */
export function validateGatewayUrl(raw: string): { ok: true; url: string } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, error: `"${raw}" is not a URL; expected ws://host:port or wss://host` };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return { ok: false, error: `use ws:// or wss://, not ${url.protocol}//` };
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

/** The gateway to use, or undefined for the embedded one. */
export function resolveGateway(explicit: ExplicitGateway, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): GatewayChoice | undefined {
  if (explicit.url) return { url: explicit.url, token: explicit.token, password: explicit.password, source: 'settings' };
  if (env.OPENCLAW_GATEWAY_URL) {
    return {
      url: env.OPENCLAW_GATEWAY_URL,
      token: explicit.token ?? env.OPENCLAW_GATEWAY_TOKEN,
      password: explicit.password ?? env.OPENCLAW_GATEWAY_PASSWORD,
      source: 'environment',
    };
  }
  return readOpenClawConfig(openClawConfigPath(env, home));
}
