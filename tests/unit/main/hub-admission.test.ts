import { describe, expect, it } from 'vitest';
import { checkBrowserOrigin, hasForwardingHeaders, normalizeAllowedOrigin } from '../../../main/hub/origin-policy.js';
import {
  AuthBackoff,
  DEFAULT_AUTH_BACKOFF_POLICY,
  UnauthenticatedPool,
  addressKey,
  backoffKeyFor,
  rateLimitedError,
} from '../../../main/hub/admission.js';

const local = { host: '127.0.0.1:18789', remoteAddress: '127.0.0.1' };

describe('browser origin policy (the real gateway checkBrowserOrigin rules)', () => {
  it('lets a client without Origin through: it is not a browser page', () => {
    expect(checkBrowserOrigin({ ...local })).toEqual({ ok: true, matchedBy: 'no-origin' });
  });

  it('refuses another site, however it reaches us', () => {
    expect(checkBrowserOrigin({ ...local, origin: 'http://evil.example' })).toEqual({ ok: false, reason: 'origin not allowed' });
    expect(checkBrowserOrigin({ ...local, origin: 'https://evil.example:18789' }).ok).toBe(false);
    // DNS rebinding: the page and the socket share the name, but the name is not one we trust.
    expect(checkBrowserOrigin({ origin: 'http://evil.example:18789', host: 'evil.example:18789', remoteAddress: '127.0.0.1' }).ok).toBe(false);
  });

  it('refuses opaque and malformed origins', () => {
    for (const origin of ['null', '', 'file://', 'http://a.example/path', 'http://user:pw@127.0.0.1', 'javascript:alert(1)']) {
      expect(checkBrowserOrigin({ ...local, origin }).ok).toBe(false);
    }
  });

  it('lets a loopback page from a loopback client in (the Control UI served on this machine)', () => {
    for (const origin of ['http://127.0.0.1:5178', 'http://localhost:3000', 'http://[::1]:8080', 'http://127.0.0.1']) {
      expect(checkBrowserOrigin({ ...local, origin })).toEqual({ ok: true, matchedBy: 'local-loopback' });
    }
  });

  it('does not trust a loopback page when the socket is not local or came through a proxy', () => {
    expect(checkBrowserOrigin({ origin: 'http://127.0.0.1:5178', host: '10.0.0.2:18789', remoteAddress: '10.0.0.9' }).ok).toBe(false);
    expect(checkBrowserOrigin({ ...local, origin: 'http://127.0.0.1:5178', forwarded: true }).ok).toBe(false);
  });

  it('accepts the same origin as Host only on a host no outside site can take over', () => {
    expect(checkBrowserOrigin({ origin: 'http://192.168.1.5:18789', host: '192.168.1.5:18789', remoteAddress: '192.168.1.9' })).toEqual({ ok: true, matchedBy: 'same-origin' });
    expect(checkBrowserOrigin({ origin: 'https://gw.tail1.ts.net', host: 'gw.tail1.ts.net', remoteAddress: '100.64.0.3' }).ok).toBe(true);
    expect(checkBrowserOrigin({ origin: 'http://box.local:18789', host: 'box.local:18789', remoteAddress: '192.168.1.9' }).ok).toBe(true);
    expect(checkBrowserOrigin({ origin: 'http://8.8.8.8:18789', host: '8.8.8.8:18789', remoteAddress: '8.8.4.4' }).ok).toBe(false);
    expect(checkBrowserOrigin({ origin: 'http://192.168.1.5:1', host: '192.168.1.5:18789', remoteAddress: '192.168.1.9' }).ok).toBe(false);
  });

  it('accepts an allowlisted origin, compared case-insensitively, and * for any', () => {
    const allow = [normalizeAllowedOrigin('https://Dash.Example.com/')];
    expect(allow).toEqual(['https://dash.example.com']);
    expect(checkBrowserOrigin({ ...local, origin: 'https://dash.example.com' }, allow)).toEqual({ ok: true, matchedBy: 'allowlist' });
    expect(checkBrowserOrigin({ ...local, origin: 'https://dash.example.com.evil.example' }, allow).ok).toBe(false);
    expect(checkBrowserOrigin({ ...local, origin: 'http://evil.example' }, ['*']).ok).toBe(true);
    expect(() => normalizeAllowedOrigin('dash.example.com')).toThrow(/not an origin/);
  });

  it('sees proxies by their headers', () => {
    expect(hasForwardingHeaders({ 'X-Forwarded-For': '1.2.3.4' })).toBe(true);
    expect(hasForwardingHeaders({ forwarded: 'for=1.2.3.4' })).toBe(true);
    expect(hasForwardingHeaders({ host: 'x', origin: 'y' })).toBe(false);
  });
});

describe('unauthenticated pool', () => {
  it('caps sockets per address by closing the oldest, never the newcomer', () => {
    const pool = new UnauthenticatedPool<string>({ maxPerAddress: 3, maxTotal: 100 });
    expect(pool.add('a1', '127.0.0.1')).toEqual([]);
    pool.add('a2', '::ffff:127.0.0.1');
    pool.add('a3', '127.0.0.1');
    expect(pool.add('b1', '10.0.0.7')).toEqual([]);
    expect(pool.add('a4', '127.0.0.1')).toEqual(['a1']);
    expect(pool.countFor('127.0.0.1')).toBe(3);
    pool.remove('a2');
    expect(pool.add('a5', '127.0.0.1')).toEqual([]);
    expect(pool.size).toBe(4);
  });

  it('caps the total across addresses the same way', () => {
    const pool = new UnauthenticatedPool<number>({ maxPerAddress: 10, maxTotal: 3 });
    pool.add(1, '10.0.0.1');
    pool.add(2, '10.0.0.2');
    pool.add(3, '10.0.0.3');
    expect(pool.add(4, '10.0.0.4')).toEqual([1]);
    expect(pool.size).toBe(3);
    pool.remove(99);
    expect(pool.size).toBe(3);
  });

  it('spells an IPv4-mapped address like the plain one', () => {
    expect(addressKey('::FFFF:10.0.0.5')).toBe('10.0.0.5');
    expect(addressKey(undefined)).toBe('unknown');
    expect(addressKey('::1')).toBe('::1');
  });
});

describe('failed sign-in back-off', () => {
  const policy = { ...DEFAULT_AUTH_BACKOFF_POLICY, maxAttempts: 3, windowMs: 10_000, lockoutMs: 1_000, lockoutMaxMs: 4_000 };

  it('keys remote clients by address, local browser pages by origin, and other local programs together', () => {
    expect(backoffKeyFor('10.0.0.5', undefined)).toEqual({ key: 'addr:10.0.0.5', local: false });
    expect(backoffKeyFor('::ffff:10.0.0.5', 'http://evil.example')).toEqual({ key: 'addr:10.0.0.5', local: false });
    expect(backoffKeyFor('127.0.0.1', 'HTTP://127.0.0.1:5178')).toEqual({ key: 'origin:http://127.0.0.1:5178', local: false });
    expect(backoffKeyFor('::1', undefined)).toEqual({ key: 'local', local: true });
  });

  it('locks a remote key out after too many failures in the window, for longer each time, and says how long', () => {
    let now = 0;
    const backoff = new AuthBackoff(policy, () => now);
    const key = backoffKeyFor('10.0.0.5', undefined);
    for (let i = 0; i < 3; i += 1) {
      expect(backoff.check(key)).toEqual({ allowed: true });
      expect(backoff.recordFailure(key)).toBe(0);
    }
    expect(backoff.check(key)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    now = 400;
    expect(backoff.check(key)).toEqual({ allowed: false, retryAfterMs: 600 });
    expect(backoff.check(backoffKeyFor('10.0.0.6', undefined))).toEqual({ allowed: true });
    now = 1_000;
    expect(backoff.check(key)).toEqual({ allowed: true });
    for (let i = 0; i < 3; i += 1) backoff.recordFailure(key);
    expect(backoff.check(key)).toEqual({ allowed: false, retryAfterMs: 2_000 });
    now = 3_000;
    for (let i = 0; i < 3; i += 1) backoff.recordFailure(key);
    expect(backoff.check(key)).toEqual({ allowed: false, retryAfterMs: 4_000 });
    now = 7_000;
    for (let i = 0; i < 3; i += 1) backoff.recordFailure(key);
    expect(backoff.check(key)).toEqual({ allowed: false, retryAfterMs: 4_000 });
  });

  it('forgets failures outside the window and after a right secret', () => {
    let now = 0;
    const backoff = new AuthBackoff(policy, () => now);
    const key = backoffKeyFor('10.0.0.5', undefined);
    backoff.recordFailure(key);
    backoff.recordFailure(key);
    now = 10_001;
    backoff.recordFailure(key);
    expect(backoff.check(key).allowed).toBe(true);
    backoff.recordFailure(key);
    backoff.recordSuccess(key);
    backoff.recordFailure(key);
    backoff.recordFailure(key);
    expect(backoff.check(key).allowed).toBe(true);
  });

  it('never locks local programs out, but holds each failure answer longer, up to the cap', () => {
    const now = 0;
    const backoff = new AuthBackoff(DEFAULT_AUTH_BACKOFF_POLICY, () => now);
    const key = backoffKeyFor('127.0.0.1', undefined);
    const delays = Array.from({ length: 8 }, () => backoff.recordFailure(key));
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    expect(backoff.check(key)).toEqual({ allowed: true });
    backoff.recordSuccess(key);
    expect(backoff.recordFailure(key)).toBe(5000);
  });

  it('holds the answer to a right secret from a local program as long as the last failure is held', () => {
    let now = 0;
    const backoff = new AuthBackoff(DEFAULT_AUTH_BACKOFF_POLICY, () => now);
    const local = backoffKeyFor('127.0.0.1', undefined);
    expect(backoff.holdMs(local)).toBe(0);
    backoff.recordFailure(local);
    backoff.recordFailure(local);
    expect(backoff.holdMs(local)).toBe(500);
    now = 300;
    expect(backoff.holdMs(local)).toBe(200);
    now = 600;
    expect(backoff.holdMs(local)).toBe(0);
    const remote = backoffKeyFor('10.0.0.5', undefined);
    backoff.recordFailure(remote);
    expect(backoff.holdMs(remote)).toBe(0);
  });

  it('keeps memory bounded under a spray of addresses', () => {
    let now = 0;
    const backoff = new AuthBackoff({ ...policy, maxKeys: 50 }, () => now);
    for (let i = 0; i < 500; i += 1) {
      now += 1;
      backoff.recordFailure(backoffKeyFor(`10.1.${i >> 8}.${i & 255}`, undefined));
    }
    expect(backoff.size).toBeLessThanOrEqual(50);
  });

  it('answers a lockout in the real gateway shape', () => {
    expect(rateLimitedError(1234.2)).toEqual({
      code: 'INVALID_REQUEST',
      message: 'unauthorized: too many failed authentication attempts (retry later)',
      retryable: true,
      retryAfterMs: 1235,
      details: { code: 'AUTH_RATE_LIMITED', authReason: 'rate_limited', canRetryWithDeviceToken: false, recommendedNextStep: 'wait_then_retry' },
    });
  });
});
