import { describe, expect, it } from 'vitest';
import { classifyConnectError } from '../../../../main/client/connect-errors.js';

describe('connect errors', () => {
  it('stop retrying on a bad token or protocol, with what to do', () => {
    expect(classifyConnectError({ message: 'x', detailCode: 'AUTH_TOKEN_MISMATCH' })).toMatchObject({ terminal: true, reason: 'The gateway refused the token.' });
    expect(classifyConnectError({ message: 'x', detailCode: 'PROTOCOL_MISMATCH' }).terminal).toBe(true);
    expect(classifyConnectError({ message: 'closed', closeCode: 1002 }).terminal).toBe(true);
  });
  it('keep retrying, slower, while pairing waits or the gateway rate-limits', () => {
    const pairing = classifyConnectError({ message: 'pairing required', code: 'NOT_PAIRED', detailCode: 'PAIRING_REQUIRED', requestId: 'req-42' });
    expect(pairing).toMatchObject({ terminal: false, retryAfterMs: 15_000 });
    expect(pairing.action).toBe('On the gateway host run: openclaw devices approve req-42. Claw Instances keeps retrying.');
    expect(classifyConnectError({ message: 'pairing required', detailCode: 'PAIRING_REQUIRED' }).action).toMatch(/openclaw devices list, then openclaw devices approve <request id>/);
    expect(classifyConnectError({ message: 'slow down', detailCode: 'AUTH_RATE_LIMITED', retryAfterMs: 5000 })).toMatchObject({ terminal: false, retryAfterMs: 5000 });
    expect(classifyConnectError({ message: 'ECONNREFUSED' }).terminal).toBe(false);
  });
});
