/**
 * The client's identity, created once and kept on disk: a stable `instanceId`
 * (so restarts never add a row) and an Ed25519 device key pair (so the gateway
 * grants scopes). The file holds a private key, so it goes through
 * `data-files`: private folder, 0600, written whole or not at all, no symlinks.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { generateDeviceKeyPair, keyPairFromPrivatePem, type DeviceKeyPair } from '../device/ed25519.js';
import { ensurePrivateDir, moveAside, readPrivateText, writePrivateJson } from '../system/data-files.js';

export interface ClientIdentity extends DeviceKeyPair {
  readonly instanceId: string;
}

const StoredIdentitySchema = z.object({
  version: z.literal(1),
  instanceId: z.string().uuid(),
  privateKeyPem: z.string().min(1),
  createdAtMs: z.number(),
});

export const IDENTITY_FILE = 'identity.json';

/**
 * Loads the identity from `dir`, creating it on first use. A damaged file is
 * kept aside, not lost. A symlinked file or folder, or a folder that belongs to
 * someone else, is refused (a `DataFileError`): another user must not be able to
 * hand us a key or read ours.
 */
export function loadOrCreateIdentity(dir: string, log: (line: string) => void = () => {}): ClientIdentity {
  ensurePrivateDir(dir);
  const file = path.join(dir, IDENTITY_FILE);
  const text = readPrivateText(file);
  if (text !== undefined) {
    try {
      const stored = StoredIdentitySchema.parse(JSON.parse(text));
      return { instanceId: stored.instanceId, ...keyPairFromPrivatePem(stored.privateKeyPem) };
    } catch (err) {
      moveAside(file, (err as Error).message, log);
    }
  }
  const identity: ClientIdentity = { instanceId: randomUUID(), ...generateDeviceKeyPair() };
  writePrivateJson(file, { version: 1, instanceId: identity.instanceId, privateKeyPem: identity.privateKeyPem, createdAtMs: Date.now() });
  return identity;
}
