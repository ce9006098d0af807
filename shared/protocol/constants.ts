/**
 * Protocol constants shared by our client and our embedded gateway.
 *
 * The sets mirror the real OpenClaw gateway (protocol 4, `openclaw` 2026.9.6):
 * a `connect` whose `client.id` or `client.mode` is outside them is refused there,
 * so we refuse it too.
 */
export const PROTOCOL_VERSION = 4;

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
export const SCOPE_ADMIN = 'operator.admin';

/** Methods our hub serves, with the scope each needs (same as the real gateway). */
export const METHOD_SCOPES = {
  'system-presence': SCOPE_READ,
  'system-event': SCOPE_ADMIN,
} as const;
export type PresenceMethod = keyof typeof METHOD_SCOPES;

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
  passwordMismatch: 'AUTH_PASSWORD_MISMATCH',
  deviceIdentityRequired: 'DEVICE_IDENTITY_REQUIRED',
  deviceAuthInvalid: 'DEVICE_AUTH_INVALID',
  missingScope: 'MISSING_SCOPE',
  pairingRequired: 'PAIRING_REQUIRED',
  rateLimited: 'AUTH_RATE_LIMITED',
  protocolMismatch: 'PROTOCOL_MISMATCH',
  badJson: 'INVALID_JSON',
  frameTooLarge: 'FRAME_TOO_LARGE',
  tooManyConnections: 'TOO_MANY_CONNECTIONS',
  notConnected: 'NOT_CONNECTED',
  unknownMethod: 'UNKNOWN_METHOD',
} as const;

/** Beacon tag that asks the gateway to forget a previously shared idle time. */
export const CLEAR_LAST_INPUT_TAG = 'system-presence-clear-last-input';

/** WebSocket close codes the real gateway uses. */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  policyViolation: 1008,
  tooBig: 1009,
  tryAgainLater: 1013,
} as const;
