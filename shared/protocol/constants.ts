/**
 * Protocol constants shared by our client and our built-in gateway.
 *
 * The sets mirror the real OpenClaw gateway (protocol 4, `openclaw` 2026.9.6):
 * a `connect` whose `client.id` or `client.mode` is outside them is refused there,
 * so we refuse it too.
 */
export const PROTOCOL_VERSION = 4;
/** Node hosts may still speak the previous protocol; the real gateway accepts it from them. */
export const PREVIOUS_NODE_PROTOCOL = 3;

export const CLIENT_IDS = [
  'webchat-ui',
  'openclaw-control-ui',
  'openclaw-browser-copilot',
  'openclaw-tui',
  'webchat',
  'cli',
  'gateway-client',
  'openclaw-macos',
  'openclaw-linux',
  'openclaw-ios',
  'openclaw-watchos',
  'openclaw-android',
  'node-host',
  'openclaw-worker',
  'test',
  'fingerprint',
  'openclaw-probe',
] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

export const CLIENT_MODES = ['webchat', 'cli', 'ui', 'backend', 'node', 'worker', 'probe', 'test'] as const;
export type ClientMode = (typeof CLIENT_MODES)[number];

export const ROLES = ['operator', 'node'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPE_READ = 'operator.read';
export const SCOPE_WRITE = 'operator.write';
export const SCOPE_ADMIN = 'operator.admin';
/** Operator scopes our hub grants when asked; others are dropped at connect. */
export const OPERATOR_SCOPES = [SCOPE_READ, SCOPE_WRITE, SCOPE_ADMIN] as const;
/** A method only a `role: "node"` connection may call (the real gateway's node-role methods). */
export const ROLE_NODE = 'node';
export type MethodScope = (typeof OPERATOR_SCOPES)[number] | typeof ROLE_NODE;

/**
 * Methods our hub serves, with the scope each needs: the same as the real
 * gateway 2026.9.6 (`method-scopes`), so a client can tell before calling.
 */
export const METHOD_SCOPES = {
  'system-presence': SCOPE_READ,
  'system-event': SCOPE_ADMIN,
  health: SCOPE_READ,
  status: SCOPE_READ,
  'system.info': SCOPE_READ,
  'last-heartbeat': SCOPE_READ,
  wake: SCOPE_WRITE,
  'node.list': SCOPE_READ,
  'node.event': ROLE_NODE,
} as const satisfies Record<string, MethodScope>;
export type GatewayMethod = keyof typeof METHOD_SCOPES;
export const GATEWAY_METHODS = Object.keys(METHOD_SCOPES) as GatewayMethod[];

/**
 * Whether `granted` satisfies `required`, as the real gateway decides:
 * `operator.admin` covers every operator scope, `operator.write` covers read.
 */
export function scopeSatisfied(required: string, granted: readonly string[]): boolean {
  if (!required.startsWith('operator.')) return false;
  if (granted.includes(required) || granted.includes(SCOPE_ADMIN)) return true;
  return required === SCOPE_READ && granted.includes(SCOPE_WRITE);
}

export const EVENTS = ['connect.challenge', 'presence', 'tick', 'shutdown'] as const;

/** Error codes as the real gateway spells them. */
export const ERROR_CODES = {
  invalidRequest: 'INVALID_REQUEST',
  forbidden: 'FORBIDDEN',
  unavailable: 'UNAVAILABLE',
  notPaired: 'NOT_PAIRED',
} as const;

/**
 * `details.code` values: the first ones as the real gateway spells them on handshake
 * failures; the rest are ours, for faults the real gateway reports with a bare message.
 */
export const AUTH_DETAIL_CODES = {
  tokenMismatch: 'AUTH_TOKEN_MISMATCH',
  tokenMissing: 'AUTH_TOKEN_MISSING',
  /** Older gateways' words for a refused or missing secret. */
  unauthorized: 'AUTH_UNAUTHORIZED',
  authRequired: 'AUTH_REQUIRED',
  passwordMismatch: 'AUTH_PASSWORD_MISMATCH',
  passwordMissing: 'AUTH_PASSWORD_MISSING',
  deviceIdentityRequired: 'DEVICE_IDENTITY_REQUIRED',
  deviceAuthInvalid: 'DEVICE_AUTH_INVALID',
  deviceSignatureExpired: 'DEVICE_AUTH_SIGNATURE_EXPIRED',
  missingScope: 'MISSING_SCOPE',
  pairingRequired: 'PAIRING_REQUIRED',
  rateLimited: 'AUTH_RATE_LIMITED',
  protocolMismatch: 'PROTOCOL_MISMATCH',
  invalidRole: 'INVALID_ROLE',
  badJson: 'INVALID_JSON',
  frameTooLarge: 'FRAME_TOO_LARGE',
  tooManyConnections: 'TOO_MANY_CONNECTIONS',
  notConnected: 'NOT_CONNECTED',
  unknownMethod: 'UNKNOWN_METHOD',
} as const;

/** Beacon tag that asks the gateway to forget a previously shared idle time (defined beside the rule that reads it). */
export { CLEAR_LAST_INPUT_TAG } from '../presence/beacon-tags.js';

/** WebSocket close codes the real gateway uses. */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  policyViolation: 1008,
  tooBig: 1009,
  tryAgainLater: 1013,
} as const;
