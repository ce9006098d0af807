/**
 * The Settings dialog's working copy, and the pure rules over it: what the
 * user edits is a draft; nothing reaches the core until Save, and Save sends the
 * whole saved list in order (gateways left out are removed, with their secrets).
 *
 * Secrets are write-only (issue 12, V1): the draft holds only what the user typed
 * now; a saved secret is known by `hasSecret` alone and belongs to the URL and
 * sign-in kind it was saved with, so the core forgets it when either changes
 * without a new one. The dialog says so before saving (`secretFate`).
 */
import {
  BEACON_INTERVAL_SECONDS,
  BeaconIntervalSchema,
  GatewayUpdateSchema,
  nameForUrl,
  nextColour,
  type GatewayUpdate,
  type PublicGateway,
  type PublicSettings,
  type SettingsUpdate,
} from '../../../shared/settings/schema.js';

export type AuthKind = PublicGateway['authKind'];
export type BuiltinRun = NonNullable<PublicGateway['run']>;

export interface BuiltinDraft {
  readonly kind: 'builtin';
  readonly key: string;
  readonly name: string;
  readonly colour: string;
  readonly run: BuiltinRun;
  readonly beacon: boolean;
}

export interface RemoteDraft {
  readonly kind: 'remote';
  /** The saved id, or `new-N` for a gateway added in this dialog. */
  readonly key: string;
  /** As the core last reported it; absent for a gateway added in this dialog. */
  readonly saved?: PublicGateway;
  readonly name: string;
  readonly url: string;
  readonly authKind: AuthKind;
  readonly colour: string;
  readonly beacon: boolean;
  /** What the user typed now ('' = nothing typed); never a saved secret. */
  readonly secret: string;
  /** The user pressed Forget: send `null`. */
  readonly forgetSecret: boolean;
}

export type GatewayDraft = BuiltinDraft | RemoteDraft;

export interface SettingsDraft {
  /** The saved list, in order: what Save sends. */
  readonly gateways: readonly GatewayDraft[];
  /** Removed in this dialog, with where they were (for Undo). */
  readonly removed: readonly { readonly gateway: RemoteDraft; readonly index: number }[];
  /** Environment and OpenClaw-config gateways: shown, never sent back. */
  readonly readOnly: readonly PublicGateway[];
  /** As typed, so a half-typed number isn't rewritten under the cursor. */
  readonly intervalText: string;
  readonly shareActivity: boolean;
  /** For keys of gateways added in this dialog. */
  readonly added: number;
}

/**
 * Whether the draft says anything the opened settings didn't: what Save would
 * send, the list's order included. An edit typed and then taken back is no change.
 */
export function draftChanged(opened: SettingsDraft, now: SettingsDraft): boolean {
  const sent = (d: SettingsDraft) => JSON.stringify([d.gateways, d.removed.length, d.intervalText.trim(), d.shareActivity]);
  return sent(opened) !== sent(now);
}

/** The schema's own bounds for the fields the dialog caps as you type (read from it, not repeated). */
const REMOTE_UPDATE = GatewayUpdateSchema.options[1].shape;
export const LIMITS = {
  nameChars: REMOTE_UPDATE.name.unwrap().maxLength ?? undefined,
  urlChars: REMOTE_UPDATE.url.maxLength ?? undefined,
  secretChars: REMOTE_UPDATE.secret.unwrap().unwrap().maxLength ?? undefined,
  interval: BEACON_INTERVAL_SECONDS,
} as const;

export function draftFromSettings(settings: PublicSettings): SettingsDraft {
  const gateways: GatewayDraft[] = [];
  const readOnly: PublicGateway[] = [];
  for (const g of settings.gateways) {
    if (!g.editable) readOnly.push(g);
    else if (g.kind === 'builtin') gateways.push({ kind: 'builtin', key: g.id, name: g.name, colour: g.colour, run: g.run ?? 'auto', beacon: g.beacon });
    else gateways.push({ kind: 'remote', key: g.id, saved: g, name: g.name, url: g.url, authKind: g.authKind, colour: g.colour, beacon: g.beacon, secret: '', forgetSecret: false });
  }
  return { gateways, removed: [], readOnly, intervalText: String(settings.beaconIntervalSeconds), shareActivity: settings.shareActivity, added: 0 };
}

/** The name a row goes by (buttons say "Edit home"): what was typed, else what the core would call it. */
export function displayName(g: GatewayDraft): string {
  if (g.name.trim()) return g.name.trim();
  return g.kind === 'remote' && g.url.trim() ? nameForUrl(g.url) : 'new gateway';
}

/** A new gateway at the end of the saved list, in the first colour no gateway has yet. */
export function addGateway(d: SettingsDraft): { draft: SettingsDraft; key: string } {
  const key = `new-${d.added + 1}`;
  const colour = nextColour([...d.gateways.map((g) => g.colour), ...d.readOnly.map((g) => g.colour)]);
  const gateway: RemoteDraft = { kind: 'remote', key, name: '', url: '', authKind: 'token', colour, beacon: true, secret: '', forgetSecret: false };
  return { draft: { ...d, gateways: [...d.gateways, gateway], added: d.added + 1 }, key };
}

export function updateGateway(d: SettingsDraft, key: string, change: (g: GatewayDraft) => GatewayDraft): SettingsDraft {
  return { ...d, gateways: d.gateways.map((g) => (g.key === key ? change(g) : g)) };
}

/** Swaps a gateway with its neighbour; a move past either end changes nothing. */
export function moveGateway(d: SettingsDraft, key: string, by: -1 | 1): SettingsDraft {
  const from = d.gateways.findIndex((g) => g.key === key);
  const to = from + by;
  if (from < 0 || to < 0 || to >= d.gateways.length) return d;
  const gateways = [...d.gateways];
  [gateways[from], gateways[to]] = [gateways[to]!, gateways[from]!];
  return { ...d, gateways };
}

/** Takes a remote gateway out of the list; a saved one can come back with Undo until Save. The built-in one stays. */
export function removeGateway(d: SettingsDraft, key: string): SettingsDraft {
  const index = d.gateways.findIndex((g) => g.key === key);
  const gateway = d.gateways[index];
  if (!gateway || gateway.kind !== 'remote') return d;
  const gateways = d.gateways.filter((g) => g.key !== key);
  // One added in this dialog was never saved: nothing to undo.
  return { ...d, gateways, removed: gateway.saved ? [...d.removed, { gateway, index }] : d.removed };
}

export function undoRemove(d: SettingsDraft, key: string): SettingsDraft {
  const entry = d.removed.find((r) => r.gateway.key === key);
  if (!entry) return d;
  const gateways = [...d.gateways];
  gateways.splice(Math.min(entry.index, gateways.length), 0, entry.gateway);
  return { ...d, gateways, removed: d.removed.filter((r) => r !== entry) };
}

/**
 * What Save does to a gateway's token or password:
 * - `none`: none saved, none typed; `new`: the typed one is saved;
 * - `kept`: the saved one stays; `forget`: the user pressed Forget;
 * - `forget-url` / `forget-auth`: the URL or sign-in kind changed with nothing typed,
 *   so the core forgets the saved one (issue 12, V1) — the dialog warns.
 */
export type SecretFate = 'none' | 'new' | 'kept' | 'forget' | 'forget-url' | 'forget-auth';

export function secretFate(g: RemoteDraft): SecretFate {
  if (g.secret !== '') return 'new';
  if (!g.saved?.hasSecret) return 'none';
  if (g.forgetSecret) return 'forget';
  if (g.url.trim() !== g.saved.url) return 'forget-url';
  if (g.authKind !== g.saved.authKind) return 'forget-auth';
  return 'kept';
}

export interface DraftErrors {
  readonly interval?: string;
  /** By gateway key. */
  readonly url: Readonly<Record<string, string>>;
}

export const INTERVAL_ERROR = `Heartbeat every ${BEACON_INTERVAL_SECONDS.min} to ${BEACON_INTERVAL_SECONDS.max} seconds (whole seconds).`;

/** What the dialog checks before sending; everything else (URL scheme, credentials in a URL) is the core's to judge. */
export function validateDraft(d: SettingsDraft): DraftErrors {
  const url: Record<string, string> = {};
  const seen = new Map<string, RemoteDraft>();
  for (const g of d.gateways) {
    if (g.kind !== 'remote') continue;
    if (g.url.trim() === '') {
      url[g.key] = "Enter the gateway's URL: ws://host:port, or wss://host.";
      continue;
    }
    // Two entries for one gateway would be two connections with one identity, and every row twice.
    const same = seen.get(sameGateway(g.url));
    if (same) url[g.key] = `This gateway is already in the list, as ${displayName(same)}.`;
    else seen.set(sameGateway(g.url), g);
  }
  const interval = BeaconIntervalSchema.safeParse(d.intervalText.trim() === '' ? Number.NaN : Number(d.intervalText));
  return { ...(interval.success ? {} : { interval: INTERVAL_ERROR }), url };
}

/** A URL as far as telling two entries apart goes: the core keeps the scheme and host in lower case and drops a trailing slash. */
function sameGateway(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  const rest = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/i.exec(trimmed);
  return rest ? `${rest[1]!.toLowerCase()}${rest[2]}` : trimmed;
}

export function hasErrors(e: DraftErrors): boolean {
  return e.interval !== undefined || Object.keys(e.url).length > 0;
}

/** The update Save sends: the whole saved list in order; read-only gateways are not part of it. */
export function toUpdate(d: SettingsDraft): SettingsUpdate {
  const gateways = d.gateways.map((g): GatewayUpdate => {
    if (g.kind === 'builtin') return { kind: 'builtin', ...(g.name.trim() ? { name: g.name.trim() } : {}), colour: g.colour, run: g.run, beacon: g.beacon };
    const fate = secretFate(g);
    return {
      kind: 'remote',
      ...(g.saved ? { id: g.saved.id } : {}),
      // Empty: the core names it after the URL.
      ...(g.name.trim() ? { name: g.name.trim() } : {}),
      url: g.url.trim(),
      authKind: g.authKind,
      colour: g.colour,
      beacon: g.beacon,
      // Absent keeps the saved secret for the same URL and sign-in kind; the core forgets it on a change.
      ...(fate === 'new' ? { secret: g.secret } : fate === 'forget' ? { secret: null } : {}),
    };
  });
  return { gateways, beaconIntervalSeconds: Number(d.intervalText), shareActivity: d.shareActivity };
}
