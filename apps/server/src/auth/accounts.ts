import { randomBytes } from 'node:crypto';
import { normalizeEmail, type UserRow } from '@switchboard/db';
import type { Request } from 'express';
import { ROLES, type Role } from '../api.js';
import type { AuthContext } from './context.js';
import type { AuthActor } from './events.js';
import { dummyHash, hashPassword, hashPasswordSync, verifyPassword } from './passwords.js';
import { randomToken, sessionCookie, sha256 } from './tokens.js';

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export type SignInResult =
  | { ok: true; user: UserRow }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid' };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function publicUser(u: Pick<UserRow, 'id' | 'email' | 'name' | 'role'>): PublicUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role as Role };
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`;
}

/** True until the first user exists (the editor then shows the owner sign-up). */
export async function setupRequired(ctx: AuthContext): Promise<boolean> {
  return (await ctx.users.countUsers()) === 0;
}

/** Creates a user with a hashed password; undefined when the address is taken. */
export async function createUser(
  ctx: AuthContext,
  input: { email: string; name: string; role: Role; password: string },
): Promise<UserRow | undefined> {
  const passwordHash = await hashPassword(input.password);
  return ctx.users.createUser(
    { id: newId('usr'), email: input.email, name: input.name.trim(), role: input.role, passwordHash },
    ctx.iso(),
  );
}

/** The first owner, only while there are no users; undefined when someone was first. */
export async function createFirstOwner(
  ctx: AuthContext,
  input: { email: string; name: string; password: string },
): Promise<UserRow | undefined> {
  const passwordHash = await hashPassword(input.password);
  return ctx.users.createFirstUser(
    { id: newId('usr'), email: input.email, name: input.name.trim(), role: 'owner', passwordHash },
    ctx.iso(),
  );
}

/** At start: SWITCHBOARD_OWNER_EMAIL / _PASSWORD make the owner when there are no users yet. */
export async function ensureOwnerFromEnv(
  ctx: AuthContext,
  email: string | undefined,
  password: string | undefined,
): Promise<UserRow | undefined> {
  if (!email || !password || !(await setupRequired(ctx))) return undefined;
  const user = await ctx.users.createFirstUser(
    {
      id: newId('usr'),
      email,
      name: email.split('@')[0] ?? email,
      role: 'owner',
      passwordHash: hashPasswordSync(password),
    },
    ctx.iso(),
  );
  if (user) {
    ctx.logger.info({ email: user.email }, 'created the owner from SWITCHBOARD_OWNER_EMAIL');
    await ctx.events.emit('user_joined', {
      actor: { kind: 'system', id: null, label: 'SWITCHBOARD_OWNER_EMAIL' },
      target: { kind: 'user', id: user.id, label: user.email },
      detail: { role: 'owner' },
    });
  }
  return user;
}

/** A new session for the user: the cookie's token (shown once) and the session's CSRF token. */
export async function startSession(
  ctx: AuthContext,
  userId: string,
  req: Request,
): Promise<{ token: string; csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const now = ctx.now();
  await ctx.users.createSession(
    {
      id: sha256(token),
      userId,
      csrfToken,
      expiresAt: ctx.iso(now + ctx.sessionMs),
      ip: req.ip ?? null,
      userAgent: req.get('user-agent')?.slice(0, 300) ?? null,
    },
    ctx.iso(now),
  );
  await ctx.users.recordSignIn(userId, ctx.iso(now));
  // Now and then, drop sessions that ran out.
  if (Math.random() < 0.05) await ctx.users.deleteExpiredSessions(ctx.iso(now));
  return { token, csrfToken };
}

/** The `Set-Cookie` value for a session token (empty token and 0: clear). */
export function sessionCookieOf(ctx: AuthContext, token: string, req: Request, clear: boolean): string {
  return sessionCookie(clear ? '' : token, clear ? 0 : ctx.sessionMs / 1000, req.secure);
}

/**
 * Checks a password, throttled per address and per client IP. Unknown addresses cost the same scrypt
 * work as wrong passwords; every failure is logged at warn (address and IP, never the password).
 */
export async function signIn(
  ctx: AuthContext,
  emailInput: string,
  password: string,
  ip: string | undefined,
): Promise<SignInResult> {
  const email = normalizeEmail(emailInput);
  const keys = [`email:${email}`, `ip:${ip ?? 'unknown'}`];
  const actor: AuthActor = { kind: 'anonymous', id: null, label: email };
  const wait = ctx.throttle.wait(keys, ctx.now());
  if (wait > 0) {
    const retryAfterSeconds = Math.ceil(wait / 1000);
    ctx.logger.warn({ email, ip, retryAfterSeconds }, 'sign-in refused: too many failed attempts');
    await ctx.events.emit('sign_in_failed', {
      actor,
      ip: ip ?? null,
      detail: { reason: 'throttled', retryAfterSeconds },
    });
    return { ok: false, reason: 'throttled', retryAfterSeconds };
  }
  const user = await ctx.users.getUserByEmail(email);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  if (!ok || !user) {
    const failures = ctx.throttle.fail(keys, ctx.now());
    ctx.logger.warn({ email, ip, failures }, 'sign-in failed');
    await ctx.events.emit('sign_in_failed', {
      actor,
      ...(user ? { target: { kind: 'user', id: user.id, label: user.email } } : {}),
      ip: ip ?? null,
      detail: { reason: user ? 'wrong_password' : 'unknown_email' },
    });
    return { ok: false, reason: 'invalid' };
  }
  ctx.throttle.reset(keys[0]!);
  return { ok: true, user };
}

/** Changes a user's password (checked against the current one by the caller). */
export async function setPassword(ctx: AuthContext, userId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await ctx.users.setPasswordHash(userId, passwordHash, ctx.iso());
}

/** Removes a user: their sessions end and the API keys they created are revoked. */
export async function removeUser(
  ctx: AuthContext,
  id: string,
): Promise<{ ok: true; revokedKeys: string[] } | { ok: false; reason: 'not_found' | 'last_owner' }> {
  const removed = await ctx.users.deleteUser(id);
  if (removed === 'last_owner') return { ok: false, reason: 'last_owner' };
  if (!removed) return { ok: false, reason: 'not_found' };
  return { ok: true, revokedKeys: await ctx.apiKeys.revokeCreatedBy(id, ctx.iso()) };
}
