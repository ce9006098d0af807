import { describe, expect, it } from 'vitest';
import { describeTransition } from '../../../../main/cli/connection-log.js';
import type { ConnectionState } from '../../../../shared/client/view-state.js';

const NOW = 50_000;
const retry = (attempt: number): ConnectionState => ({ kind: 'reconnecting', url: 'ws://a:1', attempt, retryAtMs: NOW + 2_400, lastError: 'cannot reach ws://a:1: connect ECONNREFUSED' });
const failed: ConnectionState = { kind: 'failed', url: 'ws://a:1', reason: 'The gateway refused the token.', action: 'Paste the token again.' };

describe('describeTransition', () => {
  it('says each retry once, with when and why', () => {
    expect(describeTransition({ kind: 'connecting', url: 'ws://a:1', attempt: 1 }, retry(1), NOW)).toBe('reconnecting in 2.4 s (attempt 1 failed: cannot reach ws://a:1: connect ECONNREFUSED)');
    expect(describeTransition(retry(1), retry(1), NOW)).toBeUndefined();
    expect(describeTransition(retry(1), retry(2), NOW)).toMatch(/^reconnecting in 2.4 s \(attempt 2 failed/);
  });

  it('says what to do when the gateway refuses for good, once', () => {
    expect(describeTransition({ kind: 'connecting', url: 'ws://a:1', attempt: 1 }, failed, NOW)).toBe('Paste the token again.');
    expect(describeTransition(failed, failed, NOW)).toBeUndefined();
  });

  it('leaves connecting and connected to the client, which logs them itself', () => {
    expect(describeTransition(undefined, { kind: 'connecting', url: 'ws://a:1', attempt: 1 }, NOW)).toBeUndefined();
    expect(describeTransition(retry(1), { kind: 'connected', url: 'ws://a:1', serverVersion: '1', scopes: [] }, NOW)).toBeUndefined();
  });
});

describe('describeTransition, the wait', () => {
  it('in tenths under 10 s, whole seconds above, never negative', () => {
    const at = (retryInMs: number) => describeTransition(undefined, { ...retry(3), retryAtMs: NOW + retryInMs } as ConnectionState, NOW);
    expect(at(350)).toMatch(/^reconnecting in 0\.4 s/);
    expect(at(29_600)).toMatch(/^reconnecting in 30 s/);
    expect(at(-50)).toMatch(/^reconnecting in 0\.0 s/);
  });
});
