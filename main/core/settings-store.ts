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

const StoredSettingsSchema = z.object({
  gatewayUrl: z.string().max(2048).default(''),
  authKind: z.enum(['token', 'password']).default('token'),
  beaconIntervalSeconds: z.number().int().min(10).max(3600).default(60),
  shareActivity: z.boolean().default(true),
});
export type StoredSettings = z.infer<typeof StoredSettingsSchema>;

export const DEFAULT_SETTINGS: StoredSettings = StoredSettingsSchema.parse({});

export class SettingsStore {
  readonly #file: string;
  readonly #log: (line: string) => void;

  constructor(dataDir: string, log: (line: string) => void = () => {}) {
    this.#file = path.join(dataDir, 'settings.json');
    this.#log = log;
  }

  /** The saved settings; defaults when there are none, or when the file was damaged (then moved aside). */
  read(): StoredSettings {
    return readPrivateJson(this.#file, StoredSettingsSchema, this.#log) ?? DEFAULT_SETTINGS;
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

const BoundSecretSchema = z.strictObject({ v: z.literal(1), url: z.string().max(2048), secret: z.string().max(4096) });

/**
 * A secret belongs to the gateway URL it was saved for (issue 12, V1): it is
 * stored together with that URL, in one write, and handed out only for that
 * same URL. Changing the URL in Settings without giving a new secret must
 * never send the old one to the new address.
 *
 * A secret saved by an older version (plain text, no URL) is taken as bound to
 * the URL in settings at the time it is first read, which is what it was saved with.
 */
export class BoundSecret {
  readonly #store: SecretStore;

  constructor(store: SecretStore) {
    this.#store = store;
  }

  get kind(): SecretStore['kind'] {
    return this.#store.kind;
  }

  /** The secret saved for `url`, or undefined (none saved, or saved for another URL). */
  loadFor(url: string, legacyUrl: string): string | undefined {
    const bound = this.#read(legacyUrl);
    return bound && bound.url === url && url !== '' ? bound.secret : undefined;
  }

  /** Rewrites a legacy (unbound) secret as bound to `url`, so a later hand edit of the URL can't carry it along. */
  pinLegacy(url: string): void {
    const raw = this.#store.load();
    if (raw === undefined || this.#isBound(raw)) return;
    this.save(url, raw);
  }

  save(url: string, secret: string): void {
    this.#store.save(JSON.stringify({ v: 1, url, secret }));
  }

  clear(): void {
    this.#store.clear();
  }

  #read(legacyUrl: string): { url: string; secret: string } | undefined {
    const raw = this.#store.load();
    if (raw === undefined) return undefined;
    const bound = this.#parse(raw);
    if (bound) return bound.secret ? bound : undefined;
    return { url: legacyUrl, secret: raw };
  }

  #isBound(raw: string): boolean {
    return this.#parse(raw) !== undefined;
  }

  #parse(raw: string): { url: string; secret: string } | undefined {
    if (!raw.startsWith('{')) return undefined;
    try {
      const parsed = BoundSecretSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      // Not our JSON: a legacy secret that happens to start with a brace.
      return undefined;
    }
  }
}
