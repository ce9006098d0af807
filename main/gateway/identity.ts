/**
 * The client's identity, created once and kept on disk: a stable `instanceId`
 * (so restarts never add a row) and an Ed25519 device key pair (so the gateway
 * grants scopes). The file is written 0600 and replaced atomically.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { generateDeviceKeyPair, keyPairFromPrivatePem, type DeviceKeyPair } from '../device/ed25519.js';

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

/** Loads the identity from `dir`, creating it on first use. A damaged file is kept aside, not lost. */
export function loadOrCreateIdentity(dir: string, log: (line: string) => void = () => {}): ClientIdentity {
  const file = path.join(dir, IDENTITY_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    try {
      const stored = StoredIdentitySchema.parse(JSON.parse(text));
      return { instanceId: stored.instanceId, ...keyPairFromPrivatePem(stored.privateKeyPem) };
    } catch (err) {
      const aside = `${file}.damaged-${Date.now()}`;
      renameSync(file, aside);
      log(`identity file was unreadable (${(err as Error).message}); moved to ${aside} and made a new identity`);
    }
  }
  const identity: ClientIdentity = { instanceId: randomUUID(), ...generateDeviceKeyPair() };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ version: 1, instanceId: identity.instanceId, privateKeyPem: identity.privateKeyPem, createdAtMs: Date.now() }, null, 2), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return identity;
}
