import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthEvent } from '../src/auth/index.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { OWNER, OWNER_KEY, startAuthServer } from './auth-helpers.js';

type Server = Awaited<ReturnType<typeof startAuthServer>>;
const SESSION_SECONDS = 14 * 86_400;

describe('first start: the owner sign-up', () => {
  let s: Server;
  const events: AuthEvent[] = [];
  beforeAll(async () => {
    s = await startAuthServer();
    s.rt.auth.onAuthEvent((e) => events.push(e));
  });
  afterAll(() => s.close());

  it('is offered once: setup signs the owner in, a second setup is 409', async () => {
    const browser = s.client();
    expect((await browser.call('/api/auth/status')).body).toEqual({
      setupRequired: true,
      user: null,
      csrfToken: null,
      via: null,
      role: null,
    });
    const short = await browser.call('/api/auth/setup', {
      json: { ...OWNER, password: 'short', setupCode: s.setupCode },
    });
    expect(short.status).toBe(400);
    expect(short.body.problems).toEqual([
      { path: '$.body.password', message: 'the password must be at least 10 characters' },
    ]);

    const setup = await browser.call('/api/auth/setup', { json: { ...OWNER, setupCode: s.setupCode } });
    expect(setup.status).toBe(201);
    expect(setup.body.user).toMatchObject({ email: OWNER.email, name: OWNER.name, role: 'owner' });
    expect(setup.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setup.cookies).toHaveLength(1);

    const status = await browser.call('/api/auth/status');
    expect(s.rt.db!.$client.prepare('select count(*) as n from sessions').get()).toEqual({ n: 1 });
    expect(status.body).toEqual({
      setupRequired: false,
      user: { id: setup.body.user.id, email: OWNER.email, name: OWNER.name, role: 'owner' },
      csrfToken: setup.body.csrfToken,
      via: 'session',
      role: 'owner',
    });

    const again = await s
      .client()
      .call('/api/auth/setup', { json: { ...OWNER, email: 'second@example.com', setupCode: s.setupCode } });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('setup_done');
    expect(events.map((e) => e.kind)).toEqual(['user_joined', 'sign_in']);
    expect(events[0]).toMatchObject({
      actor: { kind: 'user', label: OWNER.email },
      target: { kind: 'user' },
    });
  });

  it('stores the password as a scrypt hash, never the password', () => {
    const row = s.rt.db!.$client.prepare('select password_hash from users').get() as {
      password_hash: string;
    };
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    expect(row.password_hash).not.toContain(OWNER.password);
  });
});

describe('the owner from SWITCHBOARD_OWNER_EMAIL / SWITCHBOARD_OWNER_PASSWORD', () => {
  let s: Server;
  beforeAll(async () => {
    s = await startAuthServer({
      SWITCHBOARD_OWNER_EMAIL: 'Boss@Example.com',
      SWITCHBOARD_OWNER_PASSWORD: 'from the environment',
    });
  });
  afterAll(() => s.close());

  it('exists at start: no setup required, and the password signs in', async () => {
    const browser = s.client();
    expect((await browser.call('/api/auth/status')).body.setupRequired).toBe(false);
    expect((await browser.call('/api/auth/setup', { json: OWNER })).status).toBe(409);
    const signIn = await browser.signIn('boss@example.com', 'from the environment');
    expect(signIn.status).toBe(200);
    expect(signIn.body.user).toMatchObject({ email: 'boss@example.com', role: 'owner' });
    // Signing in again from the same browser replaces its session.
    const first = browser.cookie;
    expect((await browser.signIn('boss@example.com', 'from the environment')).status).toBe(200);
    expect(browser.cookie).not.toBe(first);
    expect(s.rt.db!.$client.prepare('select count(*) as n from sessions').get()).toEqual({ n: 1 });
  });
});

describe('sessions, CSRF, passwords, invitations, API keys and roles', () => {
  let s: Server;
  const owner = () => {
    const c = s.client();
    return c.signIn(OWNER.email, OWNER.password).then(() => c);
  };
  beforeAll(async () => {
    s = await startAuthServer();
    expect(
      (await s.client().call('/api/auth/setup', { json: { ...OWNER, setupCode: s.setupCode } })).status,
    ).toBe(201);
  });
  afterAll(() => s.close());

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, for 14 days, not Secure over plain HTTP', async () => {
    const browser = s.client();
    const answer = await browser.signIn(OWNER.email, OWNER.password);
    expect(answer.status).toBe(200);
    const [cookie] = answer.cookies;
    expect(cookie).toMatch(/^sb_session=[A-Za-z0-9_-]{43}; /);
    const attributes = cookie!.split('; ').slice(1);
    expect(attributes).toEqual(
      expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${SESSION_SECONDS}`]),
    );
    expect(attributes).not.toContain('Secure');
    // Without `trust proxy`, a forwarded scheme is not believed.
    const forwarded = await s.client().signIn(OWNER.email, OWNER.password, { 'x-forwarded-proto': 'https' });
    expect(forwarded.cookies[0]).not.toMatch(/Secure/);
    expect(forwarded.headers.get('strict-transport-security')).toBeNull();
  });

  it('refuses a wrong password and an unknown address with the same 401', async () => {
    const wrong = await s.client().signIn(OWNER.email, 'not the password');
    const unknown = await s.client().signIn('nobody@example.com', OWNER.password);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error).toBe('invalid_credentials');
    expect(wrong.cookies).toEqual([]);
  });

  it('needs the CSRF token for cookie writes, refuses foreign origins, and exempts bearer requests', async () => {
    const browser = await owner();
    const key = { name: 'csrf-test', role: 'viewer' };
    const without = await browser.call('/api/api-keys', { json: key, csrf: false });
    expect(without.status).toBe(403);
    expect(without.body).toMatchObject({ error: 'csrf', message: expect.stringContaining('x-csrf-token') });
    const wrongToken = await browser.call('/api/api-keys', {
      json: key,
      csrf: false,
      headers: { 'x-csrf-token': 'x' },
    });
    expect(wrongToken.status).toBe(403);
    expect((await browser.call('/api/api-keys', { json: key })).status).toBe(201);
    // Reads need no token.
    expect((await browser.call('/api/api-keys', { csrf: false })).status).toBe(200);
    // The same origin is fine; another origin is refused even with the token.
    expect((await browser.call('/api/api-keys', { json: key, headers: { origin: s.base } })).status).toBe(
      201,
    );
    const foreign = await browser.call('/api/api-keys', {
      json: key,
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({
      error: 'csrf',
      message: expect.stringContaining('https://evil.example'),
    });
    // Bearer requests carry no cookie and need no token.
    expect((await s.bearer(OWNER_KEY, '/api/api-keys', { json: key })).status).toBe(201);
  });

  it('signs out: the session is deleted and its cookie cleared', async () => {
    const browser = await owner();
    const stolen = browser.cookie;
    expect((await browser.call('/api/users')).status).toBe(200);
    const out = await browser.call('/api/auth/sign-out', { method: 'POST' });
    expect(out.status).toBe(204);
    expect(out.cookies[0]).toMatch(/^sb_session=; .*Max-Age=0/);
    const replay = s.client();
    replay.cookie = stolen;
    const after = await replay.call('/api/users');
    expect(after.status).toBe(401);
    expect(after.body.message).toMatch(/session has ended/);
    expect((await replay.call('/api/auth/status')).body).toMatchObject({ user: null, via: null });
  });

  it('changes the password: other sessions end, this one stays, the old password stops working', async () => {
    const laptop = await owner();
    const phone = await owner();
    const short = await laptop.call('/api/auth/password', {
      json: { currentPassword: OWNER.password, newPassword: 'short' },
    });
    expect(short.status).toBe(400);
    expect(short.body.problems[0].path).toBe('$.body.newPassword');
    const wrong = await laptop.call('/api/auth/password', {
      json: { currentPassword: 'not the password', newPassword: 'a brand new password' },
    });
    expect(wrong).toMatchObject({ status: 403, body: { error: 'invalid_credentials' } });
    const changed = await laptop.call('/api/auth/password', {
      json: { currentPassword: OWNER.password, newPassword: 'a brand new password' },
    });
    expect(changed.status).toBe(204);
    expect((await laptop.call('/api/users')).status).toBe(200);
    expect((await phone.call('/api/users')).status).toBe(401);
    expect((await s.client().signIn(OWNER.email, OWNER.password)).status).toBe(401);
    expect((await s.client().signIn(OWNER.email, 'a brand new password')).status).toBe(200);
    // An API key has no password to change.
    expect(
      (
        await s.bearer(OWNER_KEY, '/api/auth/password', {
          json: { currentPassword: 'x', newPassword: 'a brand new password' },
        })
      ).status,
    ).toBe(403);
    // Back, for the other tests.
    await laptop.call('/api/auth/password', {
      json: { currentPassword: 'a brand new password', newPassword: OWNER.password },
    });
  });

  it('invites by link: lookup, accept (signed in, invited role), reuse and expiry are 410', async () => {
    const browser = await owner();
    const invite = await browser.call('/api/invitations', {
      json: { role: 'builder', email: 'Bob@Example.com' },
    });
    expect(invite.status).toBe(201);
    expect(invite.body).toMatchObject({ role: 'builder', email: 'bob@example.com' });
    const [origin, token] = (invite.body.url as string).split('/invite#');
    expect(origin).toBe(s.base);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(invite.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    const pending = await browser.call('/api/invitations');
    expect(pending.body.items.map((i: { id: string }) => i.id)).toContain(invite.body.id);
    expect(JSON.stringify(pending.body)).not.toContain(token);

    const bob = s.client();
    expect((await bob.call('/api/invitations/lookup', { json: { token } })).body).toEqual({
      role: 'builder',
      email: 'bob@example.com',
      expiresAt: invite.body.expiresAt,
    });
    expect((await bob.call('/api/invitations/lookup', { json: { token: 'x'.repeat(43) } })).status).toBe(404);
    const wrongAddress = await bob.call('/api/invitations/accept', {
      json: { token, email: 'eve@example.com', name: 'Eve', password: 'bobs password!' },
    });
    expect(wrongAddress).toMatchObject({ status: 400, body: { error: 'email_mismatch' } });
    const accepted = await bob.call('/api/invitations/accept', {
      json: { token, email: 'bob@example.com', name: 'Bob', password: 'bobs password!' },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ email: 'bob@example.com', role: 'builder' });
    expect((await bob.call('/api/auth/status')).body).toMatchObject({ role: 'builder', via: 'session' });
    expect((await bob.call('/api/users')).status).toBe(403);

    const reuse = await s.client().call('/api/invitations/accept', {
      json: { token, email: 'bob@example.com', name: 'Bob 2', password: 'bobs password!' },
    });
    expect(reuse).toMatchObject({ status: 410, body: { error: 'invitation_gone' } });
    expect((await s.client().call('/api/invitations/lookup', { json: { token } })).status).toBe(404);
    expect(
      (await browser.call('/api/invitations')).body.items.map((i: { id: string }) => i.id),
    ).not.toContain(invite.body.id);

    // Expired.
    const old = await browser.call('/api/invitations', { json: { role: 'viewer' } });
    const oldToken = (old.body.url as string).split('#')[1];
    s.rt
      .db!.$client.prepare('update invitations set expires_at = ? where id = ?')
      .run(new Date(Date.now() - 1000).toISOString(), old.body.id);
    const expired = await s.client().call('/api/invitations/accept', {
      json: { token: oldToken, email: 'late@example.com', name: 'Late', password: 'late password!' },
    });
    expect(expired.status).toBe(410);

    // Withdrawn.
    const withdrawn = await browser.call('/api/invitations', { json: { role: 'viewer' } });
    expect((await browser.call(`/api/invitations/${withdrawn.body.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    const withdrawnToken = (withdrawn.body.url as string).split('#')[1];
    expect(
      (await s.client().call('/api/invitations/lookup', { json: { token: withdrawnToken } })).status,
    ).toBe(404);
  });

  it('lets an admin invite anyone but an owner', async () => {
    const browser = await owner();
    const invite = await browser.call('/api/invitations', { json: { role: 'admin' } });
    const admin = s.client();
    await admin.call('/api/invitations/accept', {
      json: {
        token: (invite.body.url as string).split('#')[1],
        email: 'ada@example.com',
        name: 'Ada',
        password: 'adas password!',
      },
    });
    const owners = await admin.call('/api/invitations', { json: { role: 'owner' } });
    expect(owners.status).toBe(403);
    expect(owners.body).toMatchObject({ error: 'forbidden', message: expect.stringContaining('owner') });
    expect((await admin.call('/api/invitations', { json: { role: 'builder' } })).status).toBe(201);
    expect((await admin.call('/api/api-keys', { json: { name: 'x', role: 'owner' } })).status).toBe(403);
  });

  it('shows an API key once, stores it hashed, and refuses it once revoked', async () => {
    const browser = await owner();
    const created = await browser.call('/api/api-keys', { json: { name: 'CI deploys', role: 'builder' } });
    expect(created.status).toBe(201);
    const { id, key } = created.body;
    expect(key).toMatch(new RegExp(`^sbk_${id}_[A-Za-z0-9_-]{43}$`));
    const secret = (key as string).split('_').slice(2).join('_');

    const listed = await browser.call('/api/api-keys');
    expect(listed.body.items).toContainEqual({
      id,
      name: 'CI deploys',
      role: 'builder',
      createdAt: created.body.createdAt,
      lastUsedAt: null,
      createdBy: expect.any(String),
    });
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    // The key works, with its role.
    const status = await s.bearer(key, '/api/auth/status');
    expect(status.body).toMatchObject({ via: 'apiKey', role: 'builder', user: null, csrfToken: null });
    expect((await s.bearer(key, '/api/flows')).status).toBe(200);
    const forbidden = await s.bearer(key, '/api/users');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toMatch(/builder/);
    expect(
      (await browser.call('/api/api-keys')).body.items.find((k: { id: string }) => k.id === id).lastUsedAt,
    ).not.toBeNull();

    // Nothing in the data directory holds the key or its secret.
    s.rt.db!.$client.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of readdirSync(s.dataDir)) {
      if (!file.startsWith('switchboard.db')) continue;
      const bytes = readFileSync(join(s.dataDir, file));
      expect(bytes.includes(Buffer.from(secret)), file).toBe(false);
    }

    expect((await browser.call(`/api/api-keys/${id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await s.bearer(key, '/api/flows');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toBe('unauthorized');
    expect((await browser.call(`/api/api-keys/${id}`, { method: 'DELETE' })).status).toBe(404);
    // A made-up key of the right shape.
    expect((await s.bearer(`sbk_${id}_${'A'.repeat(43)}`, '/api/flows')).status).toBe(401);
  });

  it('keeps SWITCHBOARD_API_KEY working as an owner key', async () => {
    const status = await s.bearer(OWNER_KEY, '/api/auth/status');
    expect(status.body).toMatchObject({ via: 'apiKey', role: 'owner', user: null });
    expect((await s.bearer(OWNER_KEY, '/api/users')).status).toBe(200);
    expect(
      (await s.bearer(OWNER_KEY, '/api/api-keys', { json: { name: 'by key', role: 'owner' } })).status,
    ).toBe(201);
    expect((await s.bearer('wrong-key-0123456789', '/api/users')).status).toBe(401);
  });

  it('never demotes or removes the last owner; admins cannot change owners', async () => {
    const browser = await owner();
    const users = (await browser.call('/api/users')).body.items as Array<{
      id: string;
      role: string;
      email: string;
    }>;
    const me = users.find((u) => u.email === OWNER.email)!;
    expect(users.every((u) => !('passwordHash' in u))).toBe(true);
    const demote = await browser.call(`/api/users/${me.id}`, { method: 'PATCH', json: { role: 'admin' } });
    expect(demote).toMatchObject({ status: 409, body: { error: 'last_owner' } });
    expect((await browser.call(`/api/users/${me.id}`, { method: 'DELETE' })).status).toBe(409);

    const ada = users.find((u) => u.email === 'ada@example.com')!;
    const admin = s.client();
    await admin.signIn('ada@example.com', 'adas password!');
    expect((await admin.call(`/api/users/${me.id}`, { method: 'PATCH', json: { name: 'x' } })).status).toBe(
      403,
    );
    expect((await admin.call(`/api/users/${me.id}`, { method: 'DELETE' })).status).toBe(403);
    expect(
      (await admin.call(`/api/users/${ada.id}`, { method: 'PATCH', json: { role: 'owner' } })).status,
    ).toBe(403);

    // With a second owner, the first may step down.
    const promoted = await browser.call(`/api/users/${ada.id}`, { method: 'PATCH', json: { role: 'owner' } });
    expect(promoted.body).toMatchObject({ role: 'owner' });
    expect(
      (await browser.call(`/api/users/${me.id}`, { method: 'PATCH', json: { role: 'admin' } })).body.role,
    ).toBe('admin');
    expect(
      (await admin.call(`/api/users/${ada.id}`, { method: 'PATCH', json: { role: 'admin' } })).status,
    ).toBe(409);
    expect(
      (await admin.call(`/api/users/${me.id}`, { method: 'PATCH', json: { role: 'owner' } })).status,
    ).toBe(200);
  });

  it('removes a user: their sessions end and their API keys are revoked', async () => {
    const browser = await owner();
    const invite = await browser.call('/api/invitations', { json: { role: 'admin' } });
    const carl = s.client();
    const joined = await carl.call('/api/invitations/accept', {
      json: {
        token: invite.body.url.split('#')[1],
        email: 'carl@example.com',
        name: 'Carl',
        password: 'carls password',
      },
    });
    const key = (await carl.call('/api/api-keys', { json: { name: 'carls', role: 'viewer' } })).body.key;
    expect((await s.bearer(key, '/api/auth/status')).body.role).toBe('viewer');
    expect((await browser.call(`/api/users/${joined.body.user.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await carl.call('/api/auth/status')).body.user).toBeNull();
    expect((await s.bearer(key, '/api/auth/status')).body.role).toBeNull();
    expect((await browser.call(`/api/users/${joined.body.user.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 401 without credentials on every role-restricted auth route', async () => {
    for (const [method, path] of [
      ['GET', '/api/users'],
      ['GET', '/api/api-keys'],
      ['GET', '/api/invitations'],
      ['POST', '/api/auth/sign-out'],
      ['POST', '/api/auth/password'],
    ] as const) {
      const answer = await s.client().call(path, { method, ...(method === 'POST' ? { json: {} } : {}) });
      expect(answer.status, `${method} ${path}`).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('puts security headers on every answer', async () => {
    for (const path of ['/healthz', '/api/auth/status', '/api/flows', '/nope']) {
      const { headers } = await s.client().call(path);
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(headers.get('x-frame-options'), path).toBe('DENY');
      expect(headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(headers.get('strict-transport-security'), path).toBeNull();
    }
  });
});

describe('behind a TLS proxy (SWITCHBOARD_TRUST_PROXY)', () => {
  let s: Server;
  beforeAll(async () => {
    s = await startAuthServer({
      SWITCHBOARD_TRUST_PROXY: 'loopback',
      SWITCHBOARD_OWNER_EMAIL: OWNER.email,
      SWITCHBOARD_OWNER_PASSWORD: OWNER.password,
      SWITCHBOARD_SESSION_DAYS: '2',
    });
  });
  afterAll(() => s.close());

  it('marks the cookie Secure and sends HSTS when the proxy says HTTPS', async () => {
    const tls = s.client();
    const host = new URL(s.base).host;
    const answer = await tls.signIn(OWNER.email, OWNER.password, { 'x-forwarded-proto': 'https' });
    expect(answer.cookies[0]).toMatch(/; Secure$|; Secure;/);
    expect(answer.cookies[0]).toContain(`Max-Age=${2 * 86_400}`);
    expect(answer.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    // The origin check follows the forwarded scheme too.
    const https = { 'x-forwarded-proto': 'https' };
    const sameOrigin = await tls.call('/api/api-keys', {
      json: { name: 'tls', role: 'viewer' },
      headers: { ...https, origin: `https://${host}` },
    });
    expect(sameOrigin.status).toBe(201);
    const downgraded = await tls.call('/api/api-keys', {
      json: { name: 'tls', role: 'viewer' },
      headers: { ...https, origin: `http://${host}` },
    });
    expect(downgraded.status).toBe(403);

    const plain = await s.client().signIn(OWNER.email, OWNER.password);
    expect(plain.cookies[0]).not.toMatch(/Secure/);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('the API rate limit', () => {
  let s: Server;
  beforeAll(async () => {
    s = await startAuthServer({ SWITCHBOARD_API_RATE_LIMIT: '5' });
  });
  afterAll(() => s.close());

  it('answers 429 with Retry-After past the budget, per caller, and never limits health or webhooks', async () => {
    for (let i = 0; i < 5; i++) expect((await s.bearer(OWNER_KEY, '/api/flows')).status).toBe(200);
    const limited = await s.bearer(OWNER_KEY, '/api/flows');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Anonymous callers have their own (per-address) budget; health and metrics are not counted.
    expect((await s.client().call('/api/auth/status')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await s.client().call('/healthz')).status).toBe(200);
    expect((await s.client().call('/metrics')).status).toBe(200);
    expect((await s.client().call('/webhooks/whatsapp?hub.mode=subscribe')).status).not.toBe(429);
  });
});

describe('account settings from the environment', () => {
  it('reads the session length, proxy trust and rate limit, and wants owner email and password together', () => {
    const defaults = loadConfig({}).auth;
    expect(defaults).toEqual({
      ownerEmail: undefined,
      ownerPassword: undefined,
      sessionDays: 14,
      trustProxy: false,
      apiRateLimit: 1200,
    });
    expect(loadConfig({ SWITCHBOARD_TRUST_PROXY: 'true' }).auth.trustProxy).toBe(true);
    expect(loadConfig({ SWITCHBOARD_TRUST_PROXY: '2' }).auth.trustProxy).toBe(2);
    expect(loadConfig({ SWITCHBOARD_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).auth.trustProxy).toBe(
      'loopback, 10.0.0.0/8',
    );
    expect(loadConfig({ SWITCHBOARD_API_RATE_LIMIT: '0', SWITCHBOARD_SESSION_DAYS: '1' }).auth).toMatchObject(
      {
        apiRateLimit: 0,
        sessionDays: 1,
      },
    );
    expect(() => loadConfig({ SWITCHBOARD_OWNER_EMAIL: 'a@example.com' })).toThrow(ConfigError);
    const short = (() => {
      try {
        loadConfig({
          SWITCHBOARD_OWNER_EMAIL: 'a@example.com',
          SWITCHBOARD_OWNER_PASSWORD: 'short-secret'.slice(0, 5),
        });
      } catch (error) {
        return error as ConfigError;
      }
    })();
    expect(short?.message).toMatch(/SWITCHBOARD_OWNER_PASSWORD=\(hidden\) must be at least 10 characters/);
    expect(short?.message).not.toContain('short');
  });
});
