/**
 * The keychain-backed secret store's file handling, with Electron's safeStorage
 * replaced (the Electron binary cannot run here) by a reversible stand-in.
 */
import { readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../helpers/test-client.js';

vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (s: string) => Buffer.from(`enc:${s}`),
    decryptString: (b: Buffer) => {
      const s = b.toString();
      if (!s.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return s.slice(4);
    },
  },
}));

const { createSecretStore } = await import('../../../main/shell/safe-storage-secrets.js');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function scratch(): string {
  const d = tempDir('claw-keychain-');
  dirs.push(d);
  return d;
}

describe('safe-storage secret store', () => {
  it('keeps the encrypted secret in a 0600 file, replaced whole, and removes it', () => {
    const dir = scratch();
    const store = createSecretStore(dir);
    expect(store.kind).toBe('os-keychain');
    store.save('s3cret');
    const file = path.join(dir, 'gateway-secret.enc');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('enc:s3cret');
    expect(store.load()).toBe('s3cret');
    store.save('other');
    expect(store.load()).toBe('other');
    store.clear();
    expect(store.load()).toBeUndefined();
  });

  it('refuses a planted symlink: nothing read from it, nothing written through it', () => {
    const dir = scratch();
    const planted = path.join(scratch(), 'attacker-owned');
    writeFileSync(planted, 'enc:attacker-token');
    symlinkSync(planted, path.join(dir, 'gateway-secret.enc'));
    const store = createSecretStore(dir);
    expect(store.load()).toBeUndefined();
    expect(() => store.save('s3cret')).toThrow(/symbolic link/);
    expect(readFileSync(planted, 'utf8')).toBe('enc:attacker-token');
  });
});
