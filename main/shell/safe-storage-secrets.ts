/**
 * The gateway secret in the OS keychain through Electron's safeStorage
 * (Keychain, DPAPI, libsecret/kwallet). Where no keychain is available
 * (a bare Linux session), falls back to the 0600 file and says so in Settings.
 */
import path from 'node:path';
import { safeStorage } from 'electron';
import { FileSecretStore, type SecretStore } from '../core/settings-store.js';
import { readPrivateFile, removePrivateFile, writePrivateFile } from '../system/data-files.js';

class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'os-keychain' as const;
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'gateway-secret.enc');
  }

  load(): string | undefined {
    try {
      const bytes = readPrivateFile(this.#file);
      return bytes ? safeStorage.decryptString(bytes) || undefined : undefined;
    } catch {
      return undefined;
    }
  }

  save(secret: string): void {
    writePrivateFile(this.#file, safeStorage.encryptString(secret));
  }

  clear(): void {
    removePrivateFile(this.#file);
  }
}

export function createSecretStore(dataDir: string): SecretStore {
  // On Linux "basic_text" means no real keychain: encryption there is obfuscation only.
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (safeStorage.isEncryptionAvailable() && backend !== 'basic_text') return new SafeStorageSecretStore(dataDir);
  return new FileSecretStore(dataDir);
}
