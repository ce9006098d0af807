/**
 * Ed25519 device keys in the encodings the gateway protocol uses: the public key
 * as raw 32 bytes in base64url, the device id as the SHA-256 hex of those bytes,
 * signatures in base64url.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export interface DeviceKeyPair {
  readonly deviceId: string;
  /** Raw public key, base64url. */
  readonly publicKey: string;
  /** PKCS#8 PEM; never leaves this process except to its 0600 file. */
  readonly privateKeyPem: string;
}

export function generateDeviceKeyPair(): DeviceKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return {
    deviceId: requireDeviceId(raw),
    publicKey: raw,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Rebuilds the pair from a stored private key, so the public half can't drift. */
export function keyPairFromPrivatePem(privateKeyPem: string): DeviceKeyPair {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('device key is not Ed25519');
  const raw = rawPublicKey(createPublicKey(privateKey));
  return { deviceId: requireDeviceId(raw), publicKey: raw, privateKeyPem };
}

function requireDeviceId(raw: string): string {
  const id = deviceIdFromPublicKey(raw);
  if (!id) throw new Error('Ed25519 public key is not 32 bytes');
  return id;
}

function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 public key');
  return jwk.x;
}

/** SHA-256 hex of the raw key bytes; undefined when the key is not 32 bytes. */
export function deviceIdFromPublicKey(publicKeyBase64Url: string): string | undefined {
  const raw = Buffer.from(publicKeyBase64Url, 'base64url');
  if (raw.length !== 32) return undefined;
  return createHash('sha256').update(raw).digest('hex');
}

export function signPayload(privateKeyPem: string, payload: string): string {
  return sign(null, Buffer.from(payload, 'utf8'), createPrivateKey(privateKeyPem)).toString('base64url');
}

export function verifyPayload(publicKeyBase64Url: string, payload: string, signatureBase64Url: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKeyBase64Url }, format: 'jwk' });
    return verify(null, Buffer.from(payload, 'utf8'), key, Buffer.from(signatureBase64Url, 'base64url'));
  } catch {
    return false;
  }
}
