import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../src/policy.js';

describe('retry backoff', () => {
  const policy = { maxTries: 5, backoffMs: 1000, maxBackoffMs: 5000, jitter: 0.5 };
  it('doubles per try and caps at maxBackoffMs', () => {
    const noJitter = { ...policy, jitter: 0 };
    expect([2, 3, 4, 5].map((n) => retryDelayMs(noJitter, n))).toEqual([1000, 2000, 4000, 5000]);
  });
  it('spreads waits within the jitter fraction below the base', () => {
    expect(retryDelayMs(policy, 3, () => 0)).toBe(1000);
    expect(retryDelayMs(policy, 3, () => 1)).toBe(2000);
  });
});
