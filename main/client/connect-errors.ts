/**
 * What a refused connection means for the user, and whether retrying can help.
 * Codes are the real gateway's `details.code` values.
 */
import { AUTH_DETAIL_CODES, CLOSE_CODES, ERROR_CODES } from '../../shared/protocol/constants.js';

export interface ConnectFailure {
  /** Retrying the same credentials cannot succeed: stop and say why. */
  readonly terminal: boolean;
  readonly reason: string;
  /** What the user can do about it. */
  readonly action: string;
  /** A longer wait before the next try, when the gateway asked for one. */
  readonly retryAfterMs?: number;
}

export interface ErrorInfo {
  readonly code?: string;
  readonly message: string;
  readonly detailCode?: string;
  readonly closeCode?: number;
  readonly retryAfterMs?: number;
  readonly requestId?: string;
}

/**
 * Measured on openclaw 2026.9.6: `openclaw devices approve --latest` only shows the newest
 * request and asks for its id, so the action names the id when the gateway sent one.
 */
function approveAction(requestId: string | undefined): string {
  const command = requestId ? `openclaw devices approve ${requestId}` : 'openclaw devices list, then openclaw devices approve <request id>';
  return `On the gateway host run: ${command}. Claw Instances keeps retrying.`;
}

export function classifyConnectError(err: ErrorInfo): ConnectFailure {
  switch (err.detailCode) {
    case AUTH_DETAIL_CODES.tokenMismatch:
    case AUTH_DETAIL_CODES.unauthorized:
      return { terminal: true, reason: 'The gateway refused the token.', action: 'Open Settings and paste the gateway token again (openclaw config get gateway.auth.token on the gateway host).' };
    case AUTH_DETAIL_CODES.tokenMissing:
    case AUTH_DETAIL_CODES.authRequired:
      return { terminal: true, reason: 'The gateway needs a token.', action: 'Open Settings and enter the gateway token, or set OPENCLAW_GATEWAY_TOKEN.' };
    case AUTH_DETAIL_CODES.passwordMismatch:
    case AUTH_DETAIL_CODES.passwordMissing:
      return { terminal: true, reason: 'The gateway refused the password.', action: 'Open Settings and enter the gateway password again.' };
    case AUTH_DETAIL_CODES.protocolMismatch:
      return { terminal: true, reason: `The gateway speaks another protocol version (${err.message}).`, action: 'Update Claw Instances or the gateway so both speak protocol 4.' };
    case AUTH_DETAIL_CODES.pairingRequired:
      return {
        terminal: false,
        reason: 'This device is waiting for pairing approval on the gateway.',
        action: approveAction(err.requestId),
        retryAfterMs: 15_000,
      };
    case AUTH_DETAIL_CODES.rateLimited:
      return { terminal: false, reason: 'Too many sign-in attempts; the gateway asked us to wait.', action: 'Wait a moment; Claw Instances retries by itself.', retryAfterMs: err.retryAfterMs ?? 60_000 };
    case AUTH_DETAIL_CODES.deviceAuthInvalid:
    case AUTH_DETAIL_CODES.deviceSignatureExpired:
      return { terminal: false, reason: `The gateway did not accept this device's signature (${err.message}).`, action: "Check that this computer's clock is right; Claw Instances retries by itself." };
    default:
      break;
  }
  if (err.code === ERROR_CODES.notPaired) {
    return { terminal: false, reason: 'This device is not paired with the gateway.', action: approveAction(err.requestId), retryAfterMs: 15_000 };
  }
  if (err.closeCode === CLOSE_CODES.protocolError) return { terminal: true, reason: `Protocol error: ${err.message}`, action: 'Update Claw Instances or the gateway so both speak protocol 4.' };
  if (/invalid connect params/.test(err.message)) {
    return { terminal: true, reason: `The gateway rejected our hello: ${err.message}`, action: 'This gateway version may be newer than Claw Instances; update the app.' };
  }
  return { terminal: false, reason: err.message, action: 'Check that the gateway is running and the URL is right; retrying.' };
}
