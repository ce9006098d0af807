/**
 * The settings, written once (issue 13, item 2): the stored file, what the
 * window may see, and what it may send are all derived from the schemas here,
 * and the dialog and the CLIs read their bounds from them.
 *
 * Several gateways (issue 14): the built-in gateway (the hub) is always in the
 * list, once, and can be set to run always, never, or only when no other
 * gateway is configured (the default, which is how the app behaved before it
 * knew about several). Secrets are not here: they are kept per gateway by the
 * core's secret store and never reach the window.
 */
import { z } from 'zod';

export const BEACON_INTERVAL_SECONDS = { min: 10, max: 3600, default: 60 } as const;
export const MAX_GATEWAYS = 64;
export const BUILTIN_GATEWAY_ID = 'builtin';

/** Distinct on light and dark backgrounds and for the common colour-vision deficiencies (Okabe–Ito, darkened). */
export const GATEWAY_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#b8860b', '#56b4e9', '#7a5195', '#4d4d4d'] as const;

export const GatewayIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a gateway id is 1–40 lower-case letters, digits and dashes');
const NameSchema = z.string().trim().min(1).max(60);
const ColourSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb');
const UrlSchema = z.string().max(2048);
export const AuthKindSchema = z.enum(['token', 'password']);
/** When the built-in gateway runs: `auto` runs it only while no other gateway is in the list. */
export const BuiltinRunSchema = z.enum(['auto', 'on', 'off']);
export const BeaconIntervalSchema = z.number().int().min(BEACON_INTERVAL_SECONDS.min).max(BEACON_INTERVAL_SECONDS.max);

const StoredBuiltinSchema = z.object({
  kind: z.literal('builtin'),
  id: z.literal(BUILTIN_GATEWAY_ID),
  name: NameSchema.default('Built-in'),
  colour: ColourSchema.default(GATEWAY_COLOURS[0]),
  run: BuiltinRunSchema.default('auto'),
  beacon: z.boolean().default(true),
});
const StoredRemoteSchema = z.object({
  kind: z.literal('remote'),
  id: GatewayIdSchema,
  name: NameSchema,
  url: UrlSchema,
  authKind: AuthKindSchema.default('token'),
  colour: ColourSchema,
  beacon: z.boolean().default(true),
});
export const StoredGatewaySchema = z.discriminatedUnion('kind', [StoredBuiltinSchema, StoredRemoteSchema]);
export type StoredGateway = z.infer<typeof StoredGatewaySchema>;
export type StoredBuiltinGateway = z.infer<typeof StoredBuiltinSchema>;
export type StoredRemoteGateway = z.infer<typeof StoredRemoteSchema>;

export const StoredSettingsSchema = z
  .object({
    version: z.literal(2),
    gateways: z.array(StoredGatewaySchema).max(MAX_GATEWAYS).default([]),
    beaconIntervalSeconds: BeaconIntervalSchema.default(BEACON_INTERVAL_SECONDS.default),
    shareActivity: z.boolean().default(true),
  })
  .transform((s) => ({ ...s, gateways: withOneBuiltin(s.gateways) }))
  .refine((s) => new Set(s.gateways.map((g) => g.id)).size === s.gateways.length, 'gateway ids repeat');
export type StoredSettings = z.infer<typeof StoredSettingsSchema>;

/** Settings as saved before several gateways (version 1): one URL, or none for the built-in gateway. */
export const LegacySettingsSchema = z.object({
  gatewayUrl: UrlSchema.default(''),
  authKind: AuthKindSchema.default('token'),
  beaconIntervalSeconds: BeaconIntervalSchema.default(BEACON_INTERVAL_SECONDS.default),
  shareActivity: z.boolean().default(true),
});

export const DEFAULT_BUILTIN: StoredBuiltinGateway = StoredBuiltinSchema.parse({ kind: 'builtin', id: BUILTIN_GATEWAY_ID });
export const DEFAULT_SETTINGS: StoredSettings = StoredSettingsSchema.parse({ version: 2 });

/** The built-in gateway exactly once, where the user put it (first when missing). */
function withOneBuiltin(gateways: readonly StoredGateway[]): StoredGateway[] {
  const builtins = gateways.filter((g) => g.kind === 'builtin');
  if (builtins.length === 1) return [...gateways];
  const rest = gateways.filter((g) => g.kind !== 'builtin');
  return [builtins[0] ?? DEFAULT_BUILTIN, ...rest];
}

/** A URL's host and port, without credentials ('' when it has none). shared/ has no URL parser: a pattern does. */
function hostPortOf(url: string): string {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url.trim())?.[1] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}

/** A short name for a gateway URL: its host and port. */
export function nameForUrl(url: string): string {
  return hostPortOf(url).slice(0, 60) || 'Gateway';
}

/** A URL's host name, lower case, without port ('' when it has none). */
function hostOf(url: string): string {
  const hostPort = hostPortOf(url);
  const bracketed = /^\[([^\]]*)\]/.exec(hostPort);
  return (bracketed ? bracketed[1]! : hostPort.replace(/:\d*$/, '')).toLowerCase();
}

/**
 * Whether a gateway's name gives its address away: the name `nameForUrl` made for it
 * ("192.168.1.5:18789"), or a typed name with the URL's host in it. *Hide hosts & IPs*
 * blurs such a name wherever it is shown.
 */
export function nameShowsAddress(name: string, url: string): boolean {
  const host = hostOf(url);
  return host !== '' && name.toLowerCase().includes(host);
}

/** The first palette colour no gateway in `used` has yet (cycling when all are taken). */
export function nextColour(used: readonly string[]): string {
  const taken = new Set(used.map((c) => c.toLowerCase()));
  return GATEWAY_COLOURS.find((c) => !taken.has(c)) ?? GATEWAY_COLOURS[used.length % GATEWAY_COLOURS.length]!;
}

// --- What the window may see -------------------------------------------------

/** Where a gateway in the list comes from. Environment and OpenClaw-config gateways are read each start, not saved. */
export type GatewaySource = 'builtin' | 'settings' | 'environment' | 'openclaw-config';

/** A gateway as the window sees it: the stored fields (never a secret), and what the core adds. */
export type PublicGateway = Pick<StoredRemoteGateway, 'id' | 'name' | 'url' | 'authKind' | 'colour' | 'beacon'> & {
  readonly kind: StoredGateway['kind'];
  /** Built-in only. */
  readonly run?: StoredBuiltinGateway['run'];
  /** Whether a token or password is kept for this gateway (the secret itself never comes back). */
  readonly hasSecret: boolean;
  readonly source: GatewaySource;
  /** Environment and OpenClaw-config gateways are read-only in Settings: change them where they come from. */
  readonly editable: boolean;
};

/** Settings as the window may see them. */
export type PublicSettings = Pick<StoredSettings, 'beaconIntervalSeconds' | 'shareActivity'> & {
  readonly gateways: readonly PublicGateway[];
  /** Where secrets are kept: the OS keychain, or a 0600 file where none exists. */
  readonly secretStorage: 'os-keychain' | 'file';
};

// --- What the window may send ------------------------------------------------

/** A new secret; `null` forgets the saved one; absent keeps it (for the same URL only). */
const SecretUpdateSchema = z.string().max(4096).nullable().optional();

const BuiltinUpdateSchema = z.strictObject({
  kind: z.literal('builtin'),
  name: NameSchema.optional(),
  colour: ColourSchema.optional(),
  run: BuiltinRunSchema.optional(),
  beacon: z.boolean().optional(),
});
const RemoteUpdateSchema = z.strictObject({
  kind: z.literal('remote'),
  /** Absent: a new gateway. */
  id: GatewayIdSchema.optional(),
  name: z.string().trim().max(60).optional(),
  url: UrlSchema,
  authKind: AuthKindSchema.optional(),
  colour: ColourSchema.optional(),
  beacon: z.boolean().optional(),
  secret: SecretUpdateSchema,
});
export const GatewayUpdateSchema = z.discriminatedUnion('kind', [BuiltinUpdateSchema, RemoteUpdateSchema]);
export type GatewayUpdate = z.infer<typeof GatewayUpdateSchema>;
export type RemoteGatewayUpdate = z.infer<typeof RemoteUpdateSchema>;

export const SettingsUpdateSchema = z.strictObject({
  /** The whole saved list, in order; gateways left out are removed (with their secrets). */
  gateways: z.array(GatewayUpdateSchema).max(MAX_GATEWAYS).optional(),
  beaconIntervalSeconds: BeaconIntervalSchema.optional(),
  shareActivity: z.boolean().optional(),
});
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>;

export type SaveResult = { readonly ok: true; readonly settings: PublicSettings } | { readonly ok: false; readonly error: string };
