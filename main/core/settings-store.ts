/**
 * The user's settings on disk (`settings.json` in the data folder), and the
 * gateway secret, kept apart by a SecretStore and bound to the URL it was
 * saved for.
 *
 * Both go through `main/system/data-files.ts`: written whole (temp file, fsync,
 * rename), 0600, never through a symlink. A settings file that can't be read
 * is moved aside and logged, not silently replaced by defaults, so a hand edit
 * gone wrong can be recovered.
 */
import path from 'node:path';
import { z } from 'zod';
import { readPrivateJson, readPrivateText, removePrivateFile, writePrivateFile, writePrivateJson } from '../system/data-files.js';
import {
  DEFAULT_BUILTIN,
  DEFAULT_SETTINGS,
  GATEWAY_COLOURS,
  LegacySettingsSchema,
  StoredSettingsSchema,
  nameForUrl,
  type StoredSettings,
} from '../../shared/settings/schema.js';

export { DEFAULT_SETTINGS, type StoredSettings };

/** The id a version-1 gateway URL gets when its settings are first read by this version. */
export const LEGACY_GATEWAY_ID = 'gateway-1';

/**
 * Version-1 settings as version 2: a saved URL becomes the one remote gateway
 * (and the built-in gateway stays in `auto`, so it still doesn't run beside it).
 */
export function migrateLegacySettings(raw: unknown): StoredSettings | undefined {
  const legacy = LegacySettingsSchema.safeParse(raw);
  if (!legacy.success) return undefined;
  const { gatewayUrl, authKind, beaconIntervalSeconds, shareActivity } = legacy.data;
  const remote = gatewayUrl
    ? [{ kind: 'remote' as const, id: LEGACY_GATEWAY_ID, name: nameForUrl(gatewayUrl), url: gatewayUrl, authKind, colour: GATEWAY_COLOURS[1], beacon: true }]
    : [];
  return { version: 2, gateways: [DEFAULT_BUILTIN, ...remote], beaconIntervalSeconds, shareActivity };
}

/**
 * The file as this version writes it, or as version 1 wrote it (no `version` key), migrated.
 * A file that is neither is moved aside by `readPrivateJson`, never silently reset.
 */
const CurrentOrLegacySchema = z.unknown().transform((raw, ctx): StoredSettings => {
  // A file without `version` was written by version 1; anything else is read as current, so a
  // damaged current file is reported with the field at fault rather than read as "no settings".
  const isLegacy = typeof raw === 'object' && raw !== null && !('version' in raw);
  const parsed = isLegacy ? LegacySettingsSchema.safeParse(raw) : StoredSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  const migrated = isLegacy ? migrateLegacySettings(parsed.data) : (parsed.data as StoredSettings);
  if (!migrated) {
    ctx.addIssue({ code: 'custom', message: 'not a settings file this version can read' });
    return z.NEVER;
  }
  return migrated;
});

export class SettingsStore {
  readonly #file: string;
  readonly #log: (line: string) => void;

  constructor(dataDir: string, log: (line: string) => void = () => {}) {
    this.#file = path.join(dataDir, 'settings.json');
    this.#log = log;
  }

  /** The saved settings; defaults when there are none, or when the file was damaged (then moved aside). */
  read(): StoredSettings {
    return readPrivateJson(this.#file, CurrentOrLegacySchema, this.#log) ?? DEFAULT_SETTINGS;
  }

  write(settings: StoredSettings): void {
    writePrivateJson(this.#file, settings);
  }
}

/** Keeps the gateway token or password. Electron's uses safeStorage (the OS keychain). */
export interface SecretStore {
  readonly kind: 'os-keychain' | 'file';
  load(): string | undefined;
  save(secret: string): void;
  clear(): void;
}

/**
 * A 0600 file, for headless use and for systems without a keychain. Not
 * encryption: it keeps the secret from other users, as `~/.openclaw` does.
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'gateway-secret');
  }

  load(): string | undefined {
    try {
      return readPrivateText(this.#file) || undefined;
    } catch {
      // A symlink or a folder where the file should be: no secret, rather than one read through it.
      return undefined;
    }
  }

  save(secret: string): void {
    writePrivateFile(this.#file, secret);
  }

  clear(): void {
    removePrivateFile(this.#file);
  }
}

const SecretEntrySchema = z.strictObject({ url: z.string().max(2048), secret: z.string().max(4096) });
const GatewaySecretsSchema = z.strictObject({ v: z.literal(2), gateways: z.record(z.string().max(40), SecretEntrySchema) });
const LegacyBoundSecretSchema = z.strictObject({ v: z.literal(1), url: z.string().max(2048), secret: z.string().max(4096) });
type SecretEntries = Record<string, z.infer<typeof SecretEntrySchema>>;

/**
 * The token or password of each gateway, in the one secret store (the OS keychain where
 * there is one). A secret belongs to the gateway *and the URL* it was saved for
 * (issue 12, V1): it is handed out only while that gateway still has that URL, so
 * changing a URL in Settings without giving a new secret never sends the old one
 * to the new address.
 *
 * Older versions kept one secret: plain text (bound to whatever URL was in settings)
 * or `{v: 1, url, secret}`. Either is read as the secret of the gateway that has that
 * URL after migration, and rewritten in this form on first use.
 */
export class GatewaySecrets {
  readonly #store: SecretStore;

  constructor(store: SecretStore) {
    this.#store = store;
  }

  get kind(): SecretStore['kind'] {
    return this.#store.kind;
  }

  /** The secret saved for gateway `id` at `url`, or undefined (none saved, or saved for another URL). */
  loadFor(id: string, url: string): string | undefined {
    const entry = this.#read()[id];
    return entry && url !== '' && entry.url === url ? entry.secret : undefined;
  }

  /** Rewrites an older single secret as the secret of the gateway that had its URL. */
  migrateLegacy(gateways: readonly { id: string; url?: string }[]): void {
    const raw = this.#store.load();
    if (raw === undefined || this.#parse(raw)) return;
    const legacy = this.#parseLegacy(raw);
    const owner = gateways.find((g) => g.url !== undefined && g.url !== '' && (legacy === undefined || g.url === legacy.url));
    if (!owner?.url) {
      this.#store.clear();
      return;
    }
    this.#write({ [owner.id]: { url: owner.url, secret: legacy?.secret ?? raw } });
  }

  save(id: string, url: string, secret: string): void {
    this.#write({ ...this.#read(), [id]: { url, secret } });
  }

  clear(id: string): void {
    const entries = this.#read();
    if (!(id in entries)) return;
    delete entries[id];
    this.#write(entries);
  }

  /** Forgets the secrets of gateways no longer in the list. */
  retain(ids: ReadonlySet<string>): void {
    const entries = this.#read();
    const kept = Object.fromEntries(Object.entries(entries).filter(([id]) => ids.has(id)));
    if (Object.keys(kept).length !== Object.keys(entries).length) this.#write(kept);
  }

  #write(entries: SecretEntries): void {
    if (Object.keys(entries).length === 0) this.#store.clear();
    else this.#store.save(JSON.stringify({ v: 2, gateways: entries }));
  }

  #read(): SecretEntries {
    const raw = this.#store.load();
    return (raw !== undefined && this.#parse(raw)) || {};
  }

  #parse(raw: string): SecretEntries | undefined {
    return this.#json(raw, GatewaySecretsSchema)?.gateways;
  }

  #parseLegacy(raw: string): { url: string; secret: string } | undefined {
    return this.#json(raw, LegacyBoundSecretSchema);
  }

  #json<T>(raw: string, schema: z.ZodType<T>): T | undefined {
    if (!raw.startsWith('{')) return undefined;
    try {
      const parsed = schema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      // Not our JSON: a plain-text secret that happens to start with a brace.
      return undefined;
    }
  }
}
