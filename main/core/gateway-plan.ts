/**
 * Which gateways the core connects to, from the saved list, the environment and
 * a local OpenClaw config (issue 14, item 1):
 * - every saved remote gateway, with the secret saved for it at its URL;
 * - `OPENCLAW_GATEWAY_URL` (with `OPENCLAW_GATEWAY_TOKEN`/`_PASSWORD`) and a
 *   local OpenClaw config add their gateway once: not when a saved gateway
 *   already has that URL (which then may use their secret, as it's the same
 *   gateway), and not twice;
 * - the built-in gateway when set to run, or in `auto` while nothing else is listed.
 * A URL that can't be used (credentials in it, not ws/wss) is kept in the plan
 * with the reason, so its gateway shows what's wrong instead of vanishing.
 */
import type { DiscoveredGateway } from '../client/gateway-config.js';
import { validateGatewayUrl } from '../client/gateway-config.js';
import { redactUrl } from '../../shared/format/redact-url.js';
import { nameForUrl, nextColour, type GatewaySource, type StoredSettings } from '../../shared/settings/schema.js';

export interface GatewayPlan {
  readonly id: string;
  readonly name: string;
  readonly colour: string;
  readonly source: GatewaySource;
  readonly kind: 'builtin' | 'remote';
  /** '' for the built-in gateway (its port is known once it runs). */
  readonly url: string;
  readonly token?: string;
  readonly password?: string;
  /** Why this gateway's URL can't be used: nothing is sent to it. */
  readonly invalid?: string;
  readonly beacon: boolean;
}

/** Ids for the gateways that come from outside the settings. */
const DISCOVERED_IDS = { environment: 'env', 'openclaw-config': 'openclaw-config' } as const;

export function planGateways(
  settings: StoredSettings,
  discovered: readonly DiscoveredGateway[],
  secretFor: (id: string, url: string) => string | undefined,
): GatewayPlan[] {
  const saved: GatewayPlan[] = [];
  const urls = new Set<string>();
  for (const g of settings.gateways) {
    if (g.kind !== 'remote') continue;
    const checked = validateGatewayUrl(g.url);
    if (!checked.ok) {
      saved.push({ id: g.id, name: g.name, colour: g.colour, source: 'settings', kind: 'remote', url: redactUrl(g.url), invalid: checked.error, beacon: g.beacon });
      continue;
    }
    urls.add(checked.url);
    const secret = secretFor(g.id, g.url) ?? discovered.find((d) => d.url === checked.url && !d.invalid)?.[g.authKind];
    const auth = g.authKind === 'password' ? { password: secret } : { token: secret };
    saved.push({ id: g.id, name: g.name, colour: g.colour, source: 'settings', kind: 'remote', url: checked.url, ...auth, beacon: g.beacon });
  }
  const extra: GatewayPlan[] = [];
  for (const d of discovered) {
    if (urls.has(d.url)) continue;
    urls.add(d.url);
    const colour = nextColour([...settings.gateways.map((g) => g.colour), ...extra.map((g) => g.colour)]);
    extra.push({
      id: DISCOVERED_IDS[d.source],
      name: nameForUrl(d.url),
      colour,
      source: d.source,
      kind: 'remote',
      url: d.url,
      ...(d.token !== undefined ? { token: d.token } : {}),
      ...(d.password !== undefined ? { password: d.password } : {}),
      ...(d.invalid !== undefined ? { invalid: d.invalid } : {}),
      beacon: true,
    });
  }
  const others = saved.length + extra.length;
  const plan: GatewayPlan[] = [];
  for (const g of settings.gateways) {
    if (g.kind === 'builtin') {
      const runs = g.run === 'on' || (g.run === 'auto' && others === 0);
      if (runs) plan.push({ id: g.id, name: g.name, colour: g.colour, source: 'builtin', kind: 'builtin', url: '', beacon: g.beacon });
    } else {
      plan.push(saved.find((s) => s.id === g.id)!);
    }
  }
  return [...plan, ...extra];
}

/** Whether two plans connect the same way (same place, same secret, same beaconing): a session can be kept. */
export function sameConnection(a: GatewayPlan, b: GatewayPlan): boolean {
  return a.kind === b.kind && a.url === b.url && a.token === b.token && a.password === b.password && a.invalid === b.invalid && a.beacon === b.beacon;
}
