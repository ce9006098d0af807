/**
 * What a refused connection means for the user, and whether retrying can help.
 * Codes are the real gateway's `details.code` values.
 */
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
    case 'AUTH_TOKEN_MISMATCH':
    case 'AUTH_UNAUTHORIZED':
      return { terminal: true, reason: 'The gateway refused the token.', action: 'Open Settings and paste the gateway token again (openclaw config get gateway.auth.token on the gateway host).' };
    case 'AUTH_TOKEN_MISSING':
    case 'AUTH_REQUIRED':
      return { terminal: true, reason: 'The gateway needs a token.', action: 'Open Settings and enter the gateway token, or set OPENCLAW_GATEWAY_TOKEN.' };
    case 'AUTH_PASSWORD_MISMATCH':
    case 'AUTH_PASSWORD_MISSING':
      return { terminal: true, reason: 'The gateway refused the password.', action: 'Open Settings and enter the gateway password again.' };
    case 'PROTOCOL_MISMATCH':
      return { terminal: true, reason: `The gateway speaks another protocol version (${err.message}).`, action: 'Update Claw Instances or the gateway so both speak protocol 4.' };
    case 'PAIRING_REQUIRED':
      return {
        terminal: false,
        reason: 'This device is waiting for pairing approval on the gateway.',
        action: approveAction(err.requestId),
        retryAfterMs: 15_000,
      };
    case 'AUTH_RATE_LIMITED':
      return { terminal: false, reason: 'Too many sign-in attempts; the gateway asked us to wait.', action: 'Wait a moment; Claw Instances retries by itself.', retryAfterMs: err.retryAfterMs ?? 60_000 };
    case 'DEVICE_AUTH_INVALID':
    case 'DEVICE_AUTH_SIGNATURE_EXPIRED':
      return { terminal: false, reason: `The gateway did not accept this device's signature (${err.message}).`, action: "Check that this computer's clock is right; Claw Instances retries by itself." };
    default:
      break;
  }
  if (err.code === 'NOT_PAIRED') {
    return { terminal: false, reason: 'This device is not paired with the gateway.', action: approveAction(err.requestId), retryAfterMs: 15_000 };
  }
  if (err.closeCode === 1002) return { terminal: true, reason: `Protocol error: ${err.message}`, action: 'Update Claw Instances or the gateway so both speak protocol 4.' };
  if (/invalid connect params/.test(err.message)) {
    return { terminal: true, reason: `The gateway rejected our hello: ${err.message}`, action: 'This gateway version may be newer than Claw Instances; update the app.' };
  }
  return { terminal: false, reason: err.message, action: 'Check that the gateway is running and the URL is right; retrying.' };
}
