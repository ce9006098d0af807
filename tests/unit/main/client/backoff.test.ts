import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../../../main/client/backoff.js';

describe('backoff', () => {
  it('grows exponentially with jitter and is capped', () => {
    const policy = { baseMs: 500, maxMs: 30_000 };
    expect(backoffDelayMs(1, 0, policy)).toBe(250);
    expect(backoffDelayMs(1, 0.999, policy)).toBeLessThanOrEqual(500);
    expect(backoffDelayMs(3, 0, policy)).toBe(1000);
    expect(backoffDelayMs(20, 0.999, policy)).toBeLessThanOrEqual(30_000);
    expect(backoffDelayMs(20, 0, policy)).toBe(15_000);
  });
});
