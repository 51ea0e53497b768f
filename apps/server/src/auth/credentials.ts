import type { Request } from 'express';
import type { Principal, Role } from '../api.js';
import { keyMatches } from '../api-key.js';
import { isRole } from './accounts.js';
import type { AuthContext } from './context.js';
import { OWNER_KEY_LABEL } from './events.js';
import { readCookie, SESSION_COOKIE, safeEqual, sha256 } from './tokens.js';

/** What authentication found on a request (kept in `res.locals.auth`; the principal also in `res.locals.principal`). */
export interface AuthState {
  principal: Principal | undefined;
  /** The session's CSRF token (cookie-authenticated requests only). */
  csrfToken: string | null;
  /** Why credentials that were sent are not accepted (for the 401's message). */
  problem?: string;
  /** The session moved its expiry on: send the cookie again with a fresh Max-Age. */
  refreshCookie?: string;
  /** The request carried a session cookie that no longer works: clear it. */
  staleCookie?: boolean;
}

const API_KEY_FORMAT = /^sbk_([0-9a-f]{16})_([A-Za-z0-9_-]{20,100})$/;
/** A session's expiry (and an API key's `last_used_at`) is written at most this often. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Reads the credentials of a request: `Authorization: Bearer <key>` (the owner key or an `sbk_` key),
 * else the `sb_session` cookie. Sent but invalid credentials give no principal and a `problem`; a
 * bearer header that is wrong never falls back to the cookie.
 */
export async function resolveCredentials(ctx: AuthContext, req: Request): Promise<AuthState> {
  const header = req.get('authorization');
  if (header !== undefined) {
    const [scheme, token, ...rest] = header.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
      return {
        principal: undefined,
        csrfToken: null,
        problem: 'send the API key as "Authorization: Bearer <key>"',
      };
    }
    const principal = await principalOfKey(ctx, token);
    return principal
      ? { principal, csrfToken: null }
      : { principal: undefined, csrfToken: null, problem: 'the API key is not valid (or was revoked)' };
  }
  const token = readCookie(req.get('cookie'), SESSION_COOKIE);
  if (!token) return { principal: undefined, csrfToken: null };
  const now = ctx.now();
  const found = /^[A-Za-z0-9_-]{43}$/.test(token)
    ? await ctx.users.sessionWithUser(sha256(token), ctx.iso(now))
    : undefined;
  if (!found || !isRole(found.user.role)) {
    return {
      principal: undefined,
      csrfToken: null,
      problem: 'the session has ended; sign in again',
      staleCookie: true,
    };
  }
  const { session, user } = found;
  let refreshCookie: string | undefined;
  if (now - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
    await ctx.users.touchSession(session.id, ctx.iso(now), ctx.iso(now + ctx.sessionMs));
    refreshCookie = token;
  }
  return {
    principal: {
      kind: 'session',
      role: user.role as Role,
      userId: user.id,
      keyId: null,
      sessionId: session.id,
      label: user.email,
    },
    csrfToken: session.csrfToken,
    ...(refreshCookie ? { refreshCookie } : {}),
  };
}

async function principalOfKey(ctx: AuthContext, token: string): Promise<Principal | undefined> {
  const match = API_KEY_FORMAT.exec(token);
  if (match) {
    const row = await ctx.apiKeys.get(match[1]!);
    if (!row || row.revokedAt !== null || !isRole(row.role) || !safeEqual(sha256(match[2]!), row.secretHash))
      return undefined;
    const now = ctx.now();
    if (!row.lastUsedAt || now - Date.parse(row.lastUsedAt) >= TOUCH_EVERY_MS)
      await ctx.apiKeys.touch(row.id, ctx.iso(now));
    return {
      kind: 'apiKey',
      role: row.role,
      userId: row.createdBy,
      keyId: row.id,
      sessionId: null,
      label: row.name,
    };
  }
  if (keyMatches(token, ctx.ownerKey())) {
    return {
      kind: 'apiKey',
      role: 'owner',
      userId: null,
      keyId: null,
      sessionId: null,
      label: OWNER_KEY_LABEL,
    };
  }
  return undefined;
}

/** The rate-limit bucket of a request: its key, user or the owner key; else the client address. */
export function rateKey(principal: Principal | undefined, ip: string | undefined): string {
  if (!principal) return `ip:${ip ?? 'unknown'}`;
  if (principal.keyId) return `key:${principal.keyId}`;
  if (principal.kind === 'session' && principal.userId) return `user:${principal.userId}`;
  return 'owner-key';
}
