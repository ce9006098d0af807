/**
 * Who a `connect` is, and what it may do: shared-secret check, device proof,
 * and the scopes granted. Pure apart from the signature check.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { AUTH_DETAIL_CODES, PROTOCOL_VERSION, SCOPE_ADMIN, SCOPE_READ } from '../../shared/protocol/constants.js';
import { buildDevicePayloadV3 } from '../../shared/protocol/device-payload.js';
import type { ConnectParams } from '../../shared/protocol/frames.js';
import { isLoopbackAddress } from '../../shared/presence/loopback.js';
import { deviceIdFromPublicKey, verifyPayload } from '../device/ed25519.js';

export interface AuthConfig {
  readonly token?: string;
  readonly password?: string;
}

export interface ConnectContext {
  readonly nonce: string;
  readonly nowMs: number;
  readonly remoteAddress?: string;
}

export type ConnectDecision =
  | { readonly ok: true; readonly role: string; readonly scopes: string[]; readonly deviceId?: string; readonly method: 'none' | 'token' | 'password' }
  | { readonly ok: false; readonly message: string; readonly detailCode: string; readonly closeCode: number };

/** How far a device signature's clock may be from ours (the real gateway allows 2 minutes). */
export const SIGNATURE_SKEW_MS = 120_000;

const KNOWN_OPERATOR_SCOPES = new Set([SCOPE_READ, SCOPE_ADMIN]);

function secretEquals(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  // Hash first so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

function refuse(message: string, detailCode: string, closeCode = 1008): ConnectDecision {
  return { ok: false, message, detailCode, closeCode };
}

export function decideConnect(params: ConnectParams, auth: AuthConfig, ctx: ConnectContext): ConnectDecision {
  if (params.minProtocol > PROTOCOL_VERSION || params.maxProtocol < PROTOCOL_VERSION) {
    return refuse(
      `protocol mismatch: server speaks ${PROTOCOL_VERSION}, client ${params.minProtocol}-${params.maxProtocol}`,
      AUTH_DETAIL_CODES.protocolMismatch,
      1002,
    );
  }
  let method: 'none' | 'token' | 'password' = 'none';
  if (auth.token !== undefined || auth.password !== undefined) {
    const given = params.auth;
    if (auth.token !== undefined && secretEquals(auth.token, given?.token)) method = 'token';
    else if (auth.password !== undefined && secretEquals(auth.password, given?.password)) method = 'password';
    else if (!given?.token && !given?.password) return refuse('unauthorized: gateway token missing', AUTH_DETAIL_CODES.tokenMissing);
    else if (given.password !== undefined) return refuse('unauthorized: gateway password mismatch', AUTH_DETAIL_CODES.passwordMismatch);
    else return refuse('unauthorized: gateway token mismatch', AUTH_DETAIL_CODES.tokenMismatch);
  }
  const role = params.role ?? 'operator';
  const requested = (params.scopes ?? []).filter((s) => role === 'operator' && KNOWN_OPERATOR_SCOPES.has(s));

  const device = params.device;
  if (device) {
    if (deviceIdFromPublicKey(device.publicKey) !== device.id) return refuse('device identity mismatch', AUTH_DETAIL_CODES.deviceAuthInvalid);
    if (Math.abs(ctx.nowMs - device.signedAt) > SIGNATURE_SKEW_MS) return refuse('device signature expired', AUTH_DETAIL_CODES.deviceAuthInvalid);
    if (device.nonce !== ctx.nonce) return refuse('device nonce mismatch', AUTH_DETAIL_CODES.deviceAuthInvalid);
    const payload = buildDevicePayloadV3({
      deviceId: device.id,
      clientId: params.client.id,
      clientMode: params.client.mode,
      role,
      scopes: params.scopes ?? [],
      signedAtMs: device.signedAt,
      token: params.auth?.token ?? params.auth?.deviceToken,
      nonce: device.nonce,
      platform: params.client.platform,
      deviceFamily: params.client.deviceFamily,
    });
    if (!verifyPayload(device.publicKey, payload, device.signature)) return refuse('device signature invalid', AUTH_DETAIL_CODES.deviceAuthInvalid);
    // Like the real gateway on loopback: a proven device gets the scopes it asks for.
    return { ok: true, role, scopes: requested, deviceId: device.id, method };
  }
  // Without a device, the real gateway keeps scopes only for local backend/cli
  // tools; a UI connection is admitted but may read nothing. Those tools must also
  // have presented the gateway's secret: on a gateway without one (the built-in
  // hub), anything on the machine could otherwise read and write (issue 12, V3).
  const mayKeepScopes =
    method !== 'none' && (params.client.mode === 'backend' || params.client.mode === 'cli') && isLoopbackAddress(ctx.remoteAddress);
  return { ok: true, role, scopes: mayKeepScopes ? requested : [], method };
}
