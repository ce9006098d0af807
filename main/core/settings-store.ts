/**
 * The user's settings on disk (`settings.json` in the data folder), validated
 * on read so a hand-edited or damaged file falls back to defaults instead of
 * crashing the app. The gateway secret is kept apart, by a SecretStore.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

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

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'settings.json');
  }

  read(): StoredSettings {
    try {
      return StoredSettingsSchema.parse(JSON.parse(readFileSync(this.#file, 'utf8')));
    } catch {
      return DEFAULT_SETTINGS;
    }
  }

  write(settings: StoredSettings): void {
    mkdirSync(path.dirname(this.#file), { recursive: true, mode: 0o700 });
    const tmp = `${this.#file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(settings, null, 2), { mode: 0o600 });
    renameSync(tmp, this.#file);
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
      return readFileSync(this.#file, 'utf8') || undefined;
    } catch {
      return undefined;
    }
  }

  save(secret: string): void {
    mkdirSync(path.dirname(this.#file), { recursive: true, mode: 0o700 });
    writeFileSync(this.#file, secret, { mode: 0o600 });
  }

  clear(): void {
    try {
      writeFileSync(this.#file, '', { mode: 0o600 });
    } catch {
      // nothing saved
    }
  }
}
