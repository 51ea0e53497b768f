import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter, SignInThrottle } from '../src/auth/index.js';
import { OWNER, startAuthServer } from './auth-helpers.js';

const MIN = 60_000;

describe('sign-in throttling over HTTP', () => {
  let s: Awaited<ReturnType<typeof startAuthServer>>;
  beforeAll(async () => {
    // Behind a (loopback) proxy, so each test can come from its own client address.
    s = await startAuthServer({
      SWITCHBOARD_TRUST_PROXY: 'loopback',
      SWITCHBOARD_OWNER_EMAIL: OWNER.email,
      SWITCHBOARD_OWNER_PASSWORD: OWNER.password,
    });
  });
  afterAll(() => s.close());

  it('slows brute force: the 6th wrong attempt is 429 with Retry-After, and each failure is logged', async () => {
    const from = { 'x-forwarded-for': '203.0.113.7' };
    const guesses = [
      'guess-number-1',
      'guess-number-2',
      'guess-number-3',
      'guess-number-4',
      'guess-number-5',
    ];
    for (const guess of guesses) {
      const answer = await s.client().signIn(OWNER.email, guess, from);
      expect(answer.status).toBe(401);
    }
    const sixth = await s.client().signIn(OWNER.email, 'guess-number-6', from);
    expect(sixth.status).toBe(429);
    expect(sixth.body.error).toBe('too_many_attempts');
    const retryAfter = Number(sixth.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(25);
    expect(retryAfter).toBeLessThanOrEqual(30);
    // Even the right password waits, from any address: the account's address is locked.
    expect((await s.client().signIn(OWNER.email, OWNER.password, from)).status).toBe(429);
    expect(
      (await s.client().signIn(OWNER.email, OWNER.password, { 'x-forwarded-for': '198.51.100.1' })).status,
    ).toBe(429);

    const lines = s.log.map((l) => JSON.parse(l) as Record<string, unknown>);
    const failures = lines.filter((l) => l.msg === 'sign-in failed');
    expect(failures).toHaveLength(5);
    for (const line of failures) {
      expect(line).toMatchObject({ level: 40, email: OWNER.email, ip: '203.0.113.7' });
    }
    expect(lines.filter((l) => l.msg === 'sign-in refused: too many failed attempts').length).toBe(3);
    const text = s.log.join('\n');
    for (const guess of [...guesses, 'guess-number-6', OWNER.password]) expect(text).not.toContain(guess);
  });

  it('locks an address that guesses across many accounts', async () => {
    const from = { 'x-forwarded-for': '192.0.2.99' };
    for (let i = 0; i < 5; i++) {
      expect((await s.client().signIn(`user${i}@example.com`, 'some password', from)).status).toBe(401);
    }
    const next = await s.client().signIn('someone-else@example.com', 'some password', from);
    expect(next.status).toBe(429);
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other addresses are not affected.
    expect(
      (
        await s
          .client()
          .signIn('someone-else@example.com', 'some password', { 'x-forwarded-for': '192.0.2.100' })
      ).status,
    ).toBe(401);
  });
});

describe('SignInThrottle', () => {
  it('locks after 5 failures in 15 minutes, doubling from 30 s up to 15 minutes', () => {
    const t = new SignInThrottle();
    let now = 1_000_000;
    for (let i = 0; i < 4; i++) t.fail(['k'], now);
    expect(t.wait(['k'], now)).toBe(0);
    t.fail(['k'], now);
    expect(t.wait(['k'], now)).toBe(30_000);
    const locks: number[] = [];
    for (let i = 0; i < 7; i++) {
      now += t.wait(['k'], now);
      t.fail(['k'], now);
      locks.push(t.wait(['k'], now));
    }
    expect(locks).toEqual([60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
    // Quiet for a whole window after the last lock: it starts over.
    now += t.wait(['k'], now) + 15 * MIN;
    t.fail(['k'], now);
    expect(t.wait(['k'], now)).toBe(0);
  });

  it('forgets failures older than the window, and a reset clears a key', () => {
    const t = new SignInThrottle();
    const now = 0;
    for (let i = 0; i < 4; i++) t.fail(['a', 'b'], now);
    // 16 minutes later, a 5th failure is the first in the window.
    t.fail(['a'], now + 16 * MIN);
    expect(t.wait(['a'], now + 16 * MIN)).toBe(0);
    t.reset('b');
    t.fail(['b'], now + MIN);
    expect(t.wait(['b'], now + MIN)).toBe(0);
  });

  it('remembers a bounded number of keys', () => {
    const t = new SignInThrottle({ maxKeys: 10 });
    for (let i = 0; i < 100; i++) for (let j = 0; j < 5; j++) t.fail([`k${i}`], 0);
    expect(t.wait(['k0'], 1)).toBe(0);
    expect(t.wait(['k99'], 1)).toBeGreaterThan(0);
  });
});

describe('RateLimiter', () => {
  it('allows a burst of the per-minute budget, then refills continuously', () => {
    const limiter = new RateLimiter(60);
    for (let i = 0; i < 60; i++) expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBe(1);
    expect(limiter.take('b', 0)).toBe(0);
    expect(limiter.take('a', 1000)).toBe(0);
    expect(limiter.take('a', 1000)).toBe(1);
  });
});
