/**
 * Who a `connect` is, and what it may do: protocol negotiation, role,
 * shared-secret check, device proof (payload v3, then v2), and the scopes
 * granted. Pure apart from the signature check.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { AUTH_DETAIL_CODES, OPERATOR_SCOPES, PREVIOUS_NODE_PROTOCOL, PROTOCOL_VERSION, ROLES, type Role } from '../../shared/protocol/constants.js';
import { buildDevicePayloadV2, buildDevicePayloadV3, type DevicePayloadFields } from '../../shared/protocol/device-payload.js';
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
  | {
      readonly ok: true;
      readonly role: Role;
      readonly scopes: string[];
      readonly deviceId?: string;
      readonly method: 'none' | 'token' | 'password';
      /** Which signed payload proved the device (the Control UI signs v2). */
      readonly devicePayload?: 'v3' | 'v2';
      /** A node host on the previous protocol (3), admitted as the real gateway does. */
      readonly legacyNodeProtocol: boolean;
    }
  | { readonly ok: false; readonly message: string; readonly detailCode: string; readonly closeCode: number };

/** How far a device signature's clock may be from ours (the real gateway allows 2 minutes). */
export const SIGNATURE_SKEW_MS = 120_000;

const KNOWN_OPERATOR_SCOPES = new Set<string>(OPERATOR_SCOPES);

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

/**
 * The real gateway's protocol rule: everyone may speak 4; a node host
 * (role and mode `node`) may still speak 3; a probe may ask for 3–4.
 * Returns whether the connect is admitted and whether it is a legacy node.
 */
export function negotiateProtocol(params: Pick<ConnectParams, 'minProtocol' | 'maxProtocol' | 'role' | 'client'>): { ok: boolean; legacyNode: boolean } {
  const { minProtocol: min, maxProtocol: max } = params;
  const current = max >= PROTOCOL_VERSION && min <= PROTOCOL_VERSION;
  const probe = params.client.mode === 'probe' && max >= PREVIOUS_NODE_PROTOCOL && min <= PROTOCOL_VERSION;
  const isNode = params.role === 'node' && params.client.mode === 'node';
  const previousNode = isNode && max >= PREVIOUS_NODE_PROTOCOL && min <= PREVIOUS_NODE_PROTOCOL;
  return { ok: current || probe || previousNode, legacyNode: !current && previousNode };
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Which payload version the signature proves, v3 first, like the real gateway; undefined when neither. */
export function verifyDeviceSignature(publicKey: string, signature: string, fields: DevicePayloadFields): 'v3' | 'v2' | undefined {
  if (verifyPayload(publicKey, buildDevicePayloadV3(fields), signature)) return 'v3';
  if (verifyPayload(publicKey, buildDevicePayloadV2(fields), signature)) return 'v2';
  return undefined;
}

export function decideConnect(params: ConnectParams, auth: AuthConfig, ctx: ConnectContext): ConnectDecision {
  const protocol = negotiateProtocol(params);
  if (!protocol.ok) {
    return refuse(
      `protocol mismatch: server speaks ${PROTOCOL_VERSION} (node hosts also ${PREVIOUS_NODE_PROTOCOL}), client ${params.minProtocol}-${params.maxProtocol}`,
      AUTH_DETAIL_CODES.protocolMismatch,
      1002,
    );
  }
  const role = params.role ?? 'operator';
  if (!isRole(role)) return refuse('invalid role', AUTH_DETAIL_CODES.invalidRole);
  let method: 'none' | 'token' | 'password' = 'none';
  if (auth.token !== undefined || auth.password !== undefined) {
    const given = params.auth;
    if (auth.token !== undefined && secretEquals(auth.token, given?.token)) method = 'token';
    else if (auth.password !== undefined && secretEquals(auth.password, given?.password)) method = 'password';
    else if (!given?.token && !given?.password) return refuse('unauthorized: gateway token missing', AUTH_DETAIL_CODES.tokenMissing);
    else if (given.password !== undefined) return refuse('unauthorized: gateway password mismatch', AUTH_DETAIL_CODES.passwordMismatch);
    else return refuse('unauthorized: gateway token mismatch', AUTH_DETAIL_CODES.tokenMismatch);
  }
  // A node holds no operator scopes, whatever it asks for (the real gateway's role rule).
  const requested = (params.scopes ?? []).filter((s) => role === 'operator' && KNOWN_OPERATOR_SCOPES.has(s));
  const legacyNodeProtocol = protocol.legacyNode;

  const device = params.device;
  if (device) {
    if (deviceIdFromPublicKey(device.publicKey) !== device.id) return refuse('device identity mismatch', AUTH_DETAIL_CODES.deviceAuthInvalid);
    if (Math.abs(ctx.nowMs - device.signedAt) > SIGNATURE_SKEW_MS) return refuse('device signature expired', AUTH_DETAIL_CODES.deviceAuthInvalid);
    if (device.nonce !== ctx.nonce) return refuse('device nonce mismatch', AUTH_DETAIL_CODES.deviceAuthInvalid);
    const devicePayload = verifyDeviceSignature(device.publicKey, device.signature, {
      deviceId: device.id,
      clientId: params.client.id,
      clientMode: params.client.mode,
      role,
      scopes: params.scopes ?? [],
      signedAtMs: device.signedAt,
      // The token the real gateway puts in the signed string: shared, then device, then bootstrap.
      token: params.auth?.token ?? params.auth?.deviceToken ?? params.auth?.bootstrapToken,
      nonce: device.nonce,
      platform: params.client.platform,
      deviceFamily: params.client.deviceFamily,
    });
    if (!devicePayload) return refuse('device signature invalid', AUTH_DETAIL_CODES.deviceAuthInvalid);
    // Like the real gateway on loopback: a proven device gets the scopes it asks for.
    return { ok: true, role, scopes: requested, deviceId: device.id, method, devicePayload, legacyNodeProtocol };
  }
  // Without a device, the real gateway keeps scopes only for local backend/cli
  // tools; a UI connection is admitted but may read nothing. Those tools must also
  // have presented the gateway's secret: on a gateway without one (the built-in
  // hub), anything on the machine could otherwise read and write (issue 12, V3).
  const mayKeepScopes =
    method !== 'none' && (params.client.mode === 'backend' || params.client.mode === 'cli') && isLoopbackAddress(ctx.remoteAddress);
  return { ok: true, role, scopes: mayKeepScopes ? requested : [], method, legacyNodeProtocol };
}
