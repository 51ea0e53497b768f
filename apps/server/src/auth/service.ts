import { randomBytes } from 'node:crypto';
import {
  type ApiKeyMeta,
  ApiKeyRepository,
  type Db,
  normalizeEmail,
  UserRepository,
  type UserRow,
} from '@switchboard/db';
import type { Request } from 'express';
import { type Principal, ROLES, type Role } from '../api.js';
import { keyMatches } from '../api-key.js';
import type { AppLogger } from '../logger.js';
import { dummyHash, hashPassword, hashPasswordSync, verifyPassword } from './passwords.js';
import { RateLimiter } from './rate-limit.js';
import { SignInThrottle } from './throttle.js';
import { randomToken, readCookie, SESSION_COOKIE, safeEqual, sessionCookie, sha256 } from './tokens.js';

export type AuthEventKind =
  | 'sign_in'
  | 'sign_in_failed'
  | 'sign_out'
  | 'password_changed'
  | 'user_invited'
  | 'user_joined'
  | 'user_changed'
  | 'user_removed'
  | 'api_key_created'
  | 'api_key_revoked';

/** Who did it, shaped like the audit log's actor columns. */
export interface AuthActor {
  kind: 'user' | 'apiKey' | 'ownerKey' | 'system' | 'anonymous';
  id: string | null;
  /** Readable at the time: a user's email, a key's name. */
  label: string;
}

/** What it was done to. */
export interface AuthTarget {
  kind: 'user' | 'apiKey' | 'invitation' | 'session';
  id: string;
  label?: string;
}

export interface AuthEvent {
  kind: AuthEventKind;
  actor: AuthActor;
  target: AuthTarget | null;
  ip: string | null;
  /** ISO-8601. */
  at: string;
  /** Extra facts (a role granted, why a sign-in failed); never a password, token or key. */
  detail?: Record<string, unknown>;
}

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

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export const OWNER_KEY_LABEL = 'owner key (SWITCHBOARD_API_KEY)';
const API_KEY_FORMAT = /^sbk_([0-9a-f]{16})_([A-Za-z0-9_-]{20,100})$/;
/** A session's expiry (and an API key's `last_used_at`) is written at most this often. */
const TOUCH_EVERY_MS = 60_000;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function publicUser(u: Pick<UserRow, 'id' | 'email' | 'name' | 'role'>): PublicUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role as Role };
}

export interface AuthOptions {
  db: Db;
  /** SWITCHBOARD_API_KEY or the generated key file's key: an owner key. */
  ownerKey: () => string;
  logger: AppLogger;
  sessionDays: number;
  /** Requests per minute per caller; 0: no limit. */
  apiRateLimit: number;
  now?: () => number;
}

/** What `checkSetupCode` found: the code is right, or why the attempt is refused. */
export type SetupCodeResult =
  | { ok: true }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'missing' | 'wrong' };

export type SignInResult =
  | { ok: true; user: UserRow }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid' };

/**
 * Accounts, sessions, API keys and invitations: the server's `rt.auth`. Routes (routes/auth.ts,
 * routes/users.ts) speak HTTP; this holds the rules. `onAuthEvent` lets the audit log record sign-ins,
 * failures and user/key changes.
 */
export class AuthService {
  readonly users: UserRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly throttle = new SignInThrottle();
  readonly rateLimiter: RateLimiter | undefined;
  readonly sessionMs: number;
  private readonly listeners = new Set<(e: AuthEvent) => void>();
  private readonly now: () => number;
  /**
   * The sha256 of the one-time setup code while the owner sign-up is open (see `openSetup`); undefined
   * when none was made, once the owner exists, or after a restart made a new one.
   */
  private setupCodeHash: string | undefined;

  constructor(private readonly options: AuthOptions) {
    this.users = new UserRepository(options.db);
    this.apiKeys = new ApiKeyRepository(options.db);
    this.rateLimiter = options.apiRateLimit > 0 ? new RateLimiter(options.apiRateLimit) : undefined;
    this.sessionMs = options.sessionDays * 86_400_000;
    this.now = options.now ?? Date.now;
    // Made now, so the first sign-in with an unknown address does not take two hashes' time.
    void dummyHash();
  }

  private iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  /** True until the first user exists (the editor then shows the owner sign-up). */
  setupRequired(): boolean {
    return this.users.countUsers() === 0;
  }

  // --- the first owner's setup code ---

  /**
   * Makes the one-time setup code that `POST /api/auth/setup` asks for while there are no users, and
   * returns it, this once, for the start to print on the terminal (undefined once a user exists). A new
   * call replaces the previous code.
   *
   * Only its sha256 is kept, and only in memory, on purpose: every start with no users prints a fresh
   * link, so a restart before setup still works (the new link is in the output of that start, which is
   * where the refusal tells people to look); no secret is left at rest in the data dir (nor in its
   * backups) to be cleaned up or to outlive the setup; and a link that leaked into scrollback or a CI log
   * stops working when the process that printed it ends. The code is 24 random bytes (192 bits), so the
   * plain sha256 is enough: it cannot be guessed, and the sign-in throttle limits tries per IP anyway.
   */
  openSetup(): string | undefined {
    if (!this.setupRequired()) {
      this.setupCodeHash = undefined;
      return undefined;
    }
    const code = randomToken(24);
    this.setupCodeHash = sha256(code);
    return code;
  }

  /** Forgets the setup code (the owner exists): it can never be used again. */
  closeSetup(): void {
    this.setupCodeHash = undefined;
  }

  /**
   * Checks a setup code in constant time, throttled per client IP by the sign-in throttle (a wrong or
   * missing code counts as a failed attempt). Logs refusals at warn, with the IP, never the code.
   */
  checkSetupCode(given: string | undefined, ip: string | undefined): SetupCodeResult {
    const keys = [`ip:${ip ?? 'unknown'}`];
    const wait = this.throttle.wait(keys, this.now());
    if (wait > 0) {
      const retryAfterSeconds = Math.ceil(wait / 1000);
      this.options.logger.warn({ ip, retryAfterSeconds }, 'owner setup refused: too many failed attempts');
      return { ok: false, reason: 'throttled', retryAfterSeconds };
    }
    // Hashed first, so the comparison is of two equally long digests whatever was sent.
    const digest = sha256(given ?? '');
    const matches = !!given && this.setupCodeHash !== undefined && safeEqual(digest, this.setupCodeHash);
    if (matches) return { ok: true };
    const failures = this.throttle.fail(keys, this.now());
    const reason = given ? 'wrong' : 'missing';
    this.options.logger.warn({ ip, failures, reason }, 'owner setup refused: no valid setup code');
    return { ok: false, reason };
  }

  // --- events ---

  /** Calls `fn` for every auth event; returns a function that stops it. */
  onAuthEvent(fn: (e: AuthEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(
    kind: AuthEventKind,
    args: {
      actor: AuthActor;
      target?: AuthTarget | null;
      ip?: string | null;
      detail?: Record<string, unknown>;
    },
  ): void {
    const event: AuthEvent = {
      kind,
      actor: args.actor,
      target: args.target ?? null,
      ip: args.ip ?? null,
      at: this.iso(),
      ...(args.detail ? { detail: args.detail } : {}),
    };
    for (const fn of this.listeners) {
      try {
        fn(event);
      } catch (err) {
        this.options.logger.error({ err, kind }, 'an auth event listener failed');
      }
    }
  }

  /** The audit actor of a principal (anonymous when there is none). */
  actorOf(principal: Principal | undefined): AuthActor {
    if (!principal) return { kind: 'anonymous', id: null, label: 'anonymous' };
    if (principal.kind === 'session')
      return { kind: 'user', id: principal.userId, label: principal.label ?? principal.userId ?? 'user' };
    if (principal.keyId)
      return { kind: 'apiKey', id: principal.keyId, label: principal.label ?? principal.keyId };
    return { kind: 'ownerKey', id: null, label: OWNER_KEY_LABEL };
  }

  // --- authentication ---

  /** Who is calling (a bearer key wins over a cookie); undefined without valid credentials. */
  principalOf(req: Request): Principal | undefined {
    return this.resolve(req).principal;
  }

  /**
   * Reads the credentials of a request: `Authorization: Bearer <key>` (the owner key or an `sbk_` key),
   * else the `sb_session` cookie. Sent but invalid credentials give no principal and a `problem`; a
   * bearer header that is wrong never falls back to the cookie.
   */
  resolve(req: Request): AuthState {
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
      const principal = this.principalOfKey(token);
      return principal
        ? { principal, csrfToken: null }
        : { principal: undefined, csrfToken: null, problem: 'the API key is not valid (or was revoked)' };
    }
    const token = readCookie(req.get('cookie'), SESSION_COOKIE);
    if (!token) return { principal: undefined, csrfToken: null };
    const now = this.now();
    const found = /^[A-Za-z0-9_-]{43}$/.test(token)
      ? this.users.sessionWithUser(sha256(token), this.iso(now))
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
      this.users.touchSession(session.id, this.iso(now), this.iso(now + this.sessionMs));
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

  private principalOfKey(token: string): Principal | undefined {
    const match = API_KEY_FORMAT.exec(token);
    if (match) {
      const row = this.apiKeys.get(match[1]!);
      if (
        !row ||
        row.revokedAt !== null ||
        !isRole(row.role) ||
        !safeEqual(sha256(match[2]!), row.secretHash)
      )
        return undefined;
      const now = this.now();
      if (!row.lastUsedAt || now - Date.parse(row.lastUsedAt) >= TOUCH_EVERY_MS)
        this.apiKeys.touch(row.id, this.iso(now));
      return {
        kind: 'apiKey',
        role: row.role,
        userId: row.createdBy,
        keyId: row.id,
        sessionId: null,
        label: row.name,
      };
    }
    if (keyMatches(token, this.options.ownerKey())) {
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
  rateKey(principal: Principal | undefined, ip: string | undefined): string {
    if (!principal) return `ip:${ip ?? 'unknown'}`;
    if (principal.keyId) return `key:${principal.keyId}`;
    if (principal.kind === 'session' && principal.userId) return `user:${principal.userId}`;
    return 'owner-key';
  }

  // --- users and sessions ---

  /** Creates a user with a hashed password; undefined when the address is taken. */
  async createUser(input: {
    email: string;
    name: string;
    role: Role;
    password: string;
  }): Promise<UserRow | undefined> {
    const passwordHash = await hashPassword(input.password);
    return this.users.createUser(
      { id: newId('usr'), email: input.email, name: input.name.trim(), role: input.role, passwordHash },
      this.iso(),
    );
  }

  /** The first owner, only while there are no users; undefined when someone was first. */
  async createFirstOwner(input: {
    email: string;
    name: string;
    password: string;
  }): Promise<UserRow | undefined> {
    const passwordHash = await hashPassword(input.password);
    return this.users.createFirstUser(
      { id: newId('usr'), email: input.email, name: input.name.trim(), role: 'owner', passwordHash },
      this.iso(),
    );
  }

  /** At start: SWITCHBOARD_OWNER_EMAIL / _PASSWORD make the owner when there are no users yet. */
  ensureOwnerFromEnv(email: string | undefined, password: string | undefined): UserRow | undefined {
    if (!email || !password || !this.setupRequired()) return undefined;
    const user = this.users.createFirstUser(
      {
        id: newId('usr'),
        email,
        name: email.split('@')[0] ?? email,
        role: 'owner',
        passwordHash: hashPasswordSync(password),
      },
      this.iso(),
    );
    if (user) {
      this.options.logger.info({ email: user.email }, 'created the owner from SWITCHBOARD_OWNER_EMAIL');
      this.emit('user_joined', {
        actor: { kind: 'system', id: null, label: 'SWITCHBOARD_OWNER_EMAIL' },
        target: { kind: 'user', id: user.id, label: user.email },
        detail: { role: 'owner' },
      });
    }
    return user;
  }

  /** A new session for the user: the cookie's token (shown once) and the session's CSRF token. */
  startSession(userId: string, req: Request): { token: string; csrfToken: string } {
    const token = randomToken();
    const csrfToken = randomToken();
    const now = this.now();
    this.users.createSession(
      {
        id: sha256(token),
        userId,
        csrfToken,
        expiresAt: this.iso(now + this.sessionMs),
        ip: req.ip ?? null,
        userAgent: req.get('user-agent')?.slice(0, 300) ?? null,
      },
      this.iso(now),
    );
    this.users.recordSignIn(userId, this.iso(now));
    // Now and then, drop sessions that ran out.
    if (Math.random() < 0.05) this.users.deleteExpiredSessions(this.iso(now));
    return { token, csrfToken };
  }

  /** The `Set-Cookie` value for a session token (empty token and 0: clear). */
  cookie(token: string, req: Request, clear = false): string {
    return sessionCookie(clear ? '' : token, clear ? 0 : this.sessionMs / 1000, req.secure);
  }

  /**
   * Checks a password, throttled per address and per client IP. Unknown addresses cost the same scrypt
   * work as wrong passwords; every failure is logged at warn (address and IP, never the password).
   */
  async signIn(emailInput: string, password: string, ip: string | undefined): Promise<SignInResult> {
    const email = normalizeEmail(emailInput);
    const keys = [`email:${email}`, `ip:${ip ?? 'unknown'}`];
    const actor: AuthActor = { kind: 'anonymous', id: null, label: email };
    const wait = this.throttle.wait(keys, this.now());
    if (wait > 0) {
      const retryAfterSeconds = Math.ceil(wait / 1000);
      this.options.logger.warn({ email, ip, retryAfterSeconds }, 'sign-in refused: too many failed attempts');
      this.emit('sign_in_failed', {
        actor,
        ip: ip ?? null,
        detail: { reason: 'throttled', retryAfterSeconds },
      });
      return { ok: false, reason: 'throttled', retryAfterSeconds };
    }
    const user = this.users.getUserByEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!ok || !user) {
      const failures = this.throttle.fail(keys, this.now());
      this.options.logger.warn({ email, ip, failures }, 'sign-in failed');
      this.emit('sign_in_failed', {
        actor,
        ...(user ? { target: { kind: 'user', id: user.id, label: user.email } } : {}),
        ip: ip ?? null,
        detail: { reason: user ? 'wrong_password' : 'unknown_email' },
      });
      return { ok: false, reason: 'invalid' };
    }
    this.throttle.reset(keys[0]!);
    return { ok: true, user };
  }

  /** Changes a user's password (checked against the current one by the caller). */
  async setPassword(userId: string, password: string): Promise<void> {
    this.users.setPasswordHash(userId, await hashPassword(password), this.iso());
  }

  // --- API keys ---

  /** A new API key: `key` is `sbk_<id>_<secret>`, returned this once; only sha256(secret) is stored. */
  createApiKey(input: { name: string; role: Role; createdBy: string | null }): {
    id: string;
    key: string;
    meta: ApiKeyMeta;
  } {
    const id = randomBytes(8).toString('hex');
    const secret = randomToken();
    const meta = this.apiKeys.create(
      {
        id,
        name: input.name.trim(),
        role: input.role,
        secretHash: sha256(secret),
        createdBy: input.createdBy,
      },
      this.iso(),
    );
    return { id, key: `sbk_${id}_${secret}`, meta };
  }

  /** Revokes at once: the next request with the key is refused. */
  revokeApiKey(id: string): boolean {
    return this.apiKeys.revoke(id, this.iso());
  }

  /** Removes a user: their sessions end and the API keys they created are revoked. */
  removeUser(
    id: string,
  ): { ok: true; revokedKeys: string[] } | { ok: false; reason: 'not_found' | 'last_owner' } {
    const removed = this.users.deleteUser(id);
    if (removed === 'last_owner') return { ok: false, reason: 'last_owner' };
    if (!removed) return { ok: false, reason: 'not_found' };
    return { ok: true, revokedKeys: this.apiKeys.revokeCreatedBy(id, this.iso()) };
  }

  // --- invitations ---

  /** A new invitation: the token is returned this once (for the link); only its sha256 is stored. */
  invite(input: { role: Role; email: string | null; invitedBy: string | null; days?: number }) {
    const token = randomToken();
    const now = this.now();
    const invitation = this.users.createInvitation(
      {
        id: newId('inv'),
        tokenHash: sha256(token),
        role: input.role,
        email: input.email,
        invitedBy: input.invitedBy,
        expiresAt: this.iso(now + (input.days ?? 7) * 86_400_000),
      },
      this.iso(now),
    );
    return { token, invitation };
  }

  /** A pending invitation by its token; `gone` when used or expired, undefined when unknown. */
  invitationOf(token: string) {
    const found = this.users.invitationByTokenHash(sha256(token));
    if (!found) return undefined;
    if (found.acceptedAt !== null || found.expiresAt <= this.iso()) return 'gone' as const;
    return found;
  }

  /** Creates the invited user (one use per token). */
  async acceptInvitation(token: string, input: { email: string; name: string; password: string }) {
    const passwordHash = await hashPassword(input.password);
    return this.users.acceptInvitation(
      sha256(token),
      { id: newId('usr'), email: input.email, name: input.name.trim(), passwordHash },
      this.iso(),
    );
  }

  nowIso(): string {
    return this.iso();
  }
}

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`;
}
