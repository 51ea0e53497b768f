import type { ApiKeyMeta, ApiKeyRepository, AsyncOf, UserRepository, UserRow } from '@switchboard/db';
import type { Request } from 'express';
import type { Principal, Role } from '../api.js';
import type { AppLogger } from '../logger.js';
import type { SignInResult } from './accounts.js';
import * as accounts from './accounts.js';
import * as apiKeys from './api-keys.js';
import type { AuthContext } from './context.js';
import { type AuthState, rateKey, resolveCredentials } from './credentials.js';
import {
  type AuthActor,
  type AuthEventKind,
  type AuthEventListener,
  AuthEvents,
  type AuthTarget,
  actorOf,
} from './events.js';
import * as invitations from './invitations.js';
import { dummyHash } from './passwords.js';
import { RateLimiter } from './rate-limit.js';
import { SetupCode, type SetupCodeResult } from './setup-code.js';
import { SignInThrottle } from './throttle.js';

export { isRole, type PublicUser, publicUser, type SignInResult } from './accounts.js';
export type { AuthState } from './credentials.js';
export {
  type AuthActor,
  type AuthEvent,
  type AuthEventKind,
  type AuthEventListener,
  type AuthTarget,
  OWNER_KEY_LABEL,
} from './events.js';
export type { SetupCodeResult } from './setup-code.js';

export interface AuthOptions {
  repos: { users: AsyncOf<UserRepository>; apiKeys: AsyncOf<ApiKeyRepository> };
  /** SWITCHBOARD_API_KEY or the generated key file's key: an owner key. */
  ownerKey: () => string;
  logger: AppLogger;
  sessionDays: number;
  /** Requests per minute per caller; 0: no limit. */
  apiRateLimit: number;
  now?: () => number;
}

/**
 * Accounts, sessions, API keys and invitations: the server's `rt.auth`. Routes (routes/auth.ts,
 * routes/users.ts) speak HTTP; this holds the rules. `onAuthEvent` lets the audit log record sign-ins,
 * failures and user/key changes.
 *
 * The rules live in the files named for them (accounts, credentials, setup-code, api-keys,
 * invitations); this class holds the state they share and is the one API the rest of the server uses.
 */
export class AuthService {
  readonly users: AsyncOf<UserRepository>;
  readonly apiKeys: AsyncOf<ApiKeyRepository>;
  readonly throttle = new SignInThrottle();
  readonly rateLimiter: RateLimiter | undefined;
  readonly sessionMs: number;
  private readonly ctx: AuthContext;
  private readonly events: AuthEvents;
  private readonly setupCode: SetupCode;

  constructor(options: AuthOptions) {
    this.users = options.repos.users;
    this.apiKeys = options.repos.apiKeys;
    this.rateLimiter = options.apiRateLimit > 0 ? new RateLimiter(options.apiRateLimit) : undefined;
    this.sessionMs = options.sessionDays * 86_400_000;
    const now = options.now ?? Date.now;
    const iso = (ms = now()) => new Date(ms).toISOString();
    this.events = new AuthEvents(options.logger, iso);
    this.ctx = {
      users: this.users,
      apiKeys: this.apiKeys,
      throttle: this.throttle,
      sessionMs: this.sessionMs,
      logger: options.logger,
      ownerKey: options.ownerKey,
      events: this.events,
      now,
      iso,
    };
    this.setupCode = new SetupCode(this.ctx);
    // Made now, so the first sign-in with an unknown address does not take two hashes' time.
    void dummyHash();
  }

  /** True until the first user exists (the editor then shows the owner sign-up). */
  setupRequired(): Promise<boolean> {
    return accounts.setupRequired(this.ctx);
  }

  // --- the first owner's setup code (setup-code.ts) ---

  async openSetup(): Promise<string | undefined> {
    return this.setupCode.open(await this.setupRequired());
  }

  closeSetup(): void {
    this.setupCode.close();
  }

  checkSetupCode(given: string | undefined, ip: string | undefined): SetupCodeResult {
    return this.setupCode.check(given, ip);
  }

  // --- events (events.ts) ---

  /** Calls `fn` for every auth event; returns a function that stops it. */
  onAuthEvent(fn: AuthEventListener): () => void {
    return this.events.on(fn);
  }

  emit(
    kind: AuthEventKind,
    args: {
      actor: AuthActor;
      target?: AuthTarget | null;
      ip?: string | null;
      detail?: Record<string, unknown>;
    },
  ): Promise<void> {
    return this.events.emit(kind, args);
  }

  actorOf(principal: Principal | undefined): AuthActor {
    return actorOf(principal);
  }

  // --- authentication (credentials.ts) ---

  /** Who is calling (a bearer key wins over a cookie); undefined without valid credentials. */
  async principalOf(req: Request): Promise<Principal | undefined> {
    return (await this.resolve(req)).principal;
  }

  resolve(req: Request): Promise<AuthState> {
    return resolveCredentials(this.ctx, req);
  }

  rateKey(principal: Principal | undefined, ip: string | undefined): string {
    return rateKey(principal, ip);
  }

  // --- users, passwords and sessions (accounts.ts) ---

  createUser(input: {
    email: string;
    name: string;
    role: Role;
    password: string;
  }): Promise<UserRow | undefined> {
    return accounts.createUser(this.ctx, input);
  }

  createFirstOwner(input: { email: string; name: string; password: string }): Promise<UserRow | undefined> {
    return accounts.createFirstOwner(this.ctx, input);
  }

  ensureOwnerFromEnv(email: string | undefined, password: string | undefined): Promise<UserRow | undefined> {
    return accounts.ensureOwnerFromEnv(this.ctx, email, password);
  }

  startSession(userId: string, req: Request): Promise<{ token: string; csrfToken: string }> {
    return accounts.startSession(this.ctx, userId, req);
  }

  /** The `Set-Cookie` value for a session token (empty token and 0: clear). */
  cookie(token: string, req: Request, clear = false): string {
    return accounts.sessionCookieOf(this.ctx, token, req, clear);
  }

  signIn(emailInput: string, password: string, ip: string | undefined): Promise<SignInResult> {
    return accounts.signIn(this.ctx, emailInput, password, ip);
  }

  setPassword(userId: string, password: string): Promise<void> {
    return accounts.setPassword(this.ctx, userId, password);
  }

  removeUser(id: string): ReturnType<typeof accounts.removeUser> {
    return accounts.removeUser(this.ctx, id);
  }

  // --- API keys (api-keys.ts) ---

  createApiKey(input: { name: string; role: Role; createdBy: string | null }): Promise<{
    id: string;
    key: string;
    meta: ApiKeyMeta;
  }> {
    return apiKeys.createApiKey(this.ctx, input);
  }

  revokeApiKey(id: string): Promise<boolean> {
    return apiKeys.revokeApiKey(this.ctx, id);
  }

  // --- invitations (invitations.ts) ---

  invite(input: { role: Role; email: string | null; invitedBy: string | null; days?: number }) {
    return invitations.invite(this.ctx, input);
  }

  invitationOf(token: string) {
    return invitations.invitationOf(this.ctx, token);
  }

  acceptInvitation(token: string, input: { email: string; name: string; password: string }) {
    return invitations.acceptInvitation(this.ctx, token, input);
  }

  nowIso(): string {
    return this.ctx.iso();
  }
}
