import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateIdentity } from '../../../../main/client/identity.js';
import { deviceIdFromPublicKey, signPayload, verifyPayload } from '../../../../main/device/ed25519.js';
import { tempDir } from '../../../helpers/temp-dirs.js';

describe('identity', () => {
  it('is created once and read back the same, in a 0600 file', () => {
    const dir = tempDir();
    const a = loadOrCreateIdentity(dir);
    const b = loadOrCreateIdentity(dir);
    expect(b).toEqual(a);
    expect(a.instanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(deviceIdFromPublicKey(a.publicKey)).toBe(a.deviceId);
    expect(statSync(path.join(dir, 'identity.json')).mode & 0o777).toBe(0o600);
    expect(verifyPayload(a.publicKey, 'hello', signPayload(a.privateKeyPem, 'hello'))).toBe(true);
    expect(verifyPayload(a.publicKey, 'hellO', signPayload(a.privateKeyPem, 'hello'))).toBe(false);
  });

  it('keeps a damaged file aside and makes a new identity', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'identity.json'), '{not json');
    const logs: string[] = [];
    const id = loadOrCreateIdentity(dir, (l) => logs.push(l));
    expect(id.instanceId).toBeTruthy();
    expect(readdirSync(dir).some((f) => f.startsWith('identity.json.damaged-'))).toBe(true);
    expect(logs[0]).toMatch(/unreadable/);
  });
});
