/**
 * The gateway secret in the OS keychain through Electron's safeStorage
 * (Keychain, DPAPI, libsecret/kwallet). Where no keychain is available
 * (a bare Linux session), falls back to the 0600 file and says so in Settings.
 */
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { FileSecretStore, type SecretStore } from '../core/settings-store.js';

class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'os-keychain' as const;
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'gateway-secret.enc');
  }

  load(): string | undefined {
    try {
      return safeStorage.decryptString(readFileSync(this.#file)) || undefined;
    } catch {
      return undefined;
    }
  }

  save(secret: string): void {
    writeFileSync(this.#file, safeStorage.encryptString(secret), { mode: 0o600 });
  }

  clear(): void {
    rmSync(this.#file, { force: true });
  }
}

export function createSecretStore(dataDir: string): SecretStore {
  // On Linux "basic_text" means no real keychain: encryption there is obfuscation only.
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (safeStorage.isEncryptionAvailable() && backend !== 'basic_text') return new SafeStorageSecretStore(dataDir);
  return new FileSecretStore(dataDir);
}
