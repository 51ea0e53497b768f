import type { Principal } from '../api.js';
import type { AppLogger } from '../logger.js';

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

export const OWNER_KEY_LABEL = 'owner key (SWITCHBOARD_API_KEY)';

/** A listener of auth events; what it returns is awaited (the audit log's write returns a promise). */
export type AuthEventListener = (e: AuthEvent) => unknown;

/** The listeners of auth events (the audit log), each kept from breaking the others. */
export class AuthEvents {
  private readonly listeners = new Set<AuthEventListener>();

  constructor(
    private readonly logger: AppLogger,
    private readonly iso: () => string,
  ) {}

  /** Calls `fn` for every auth event; returns a function that stops it. */
  on(fn: AuthEventListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Calls every listener in turn, awaiting each; never rejects (a listener's failure is logged). */
  async emit(
    kind: AuthEventKind,
    args: {
      actor: AuthActor;
      target?: AuthTarget | null;
      ip?: string | null;
      detail?: Record<string, unknown>;
    },
  ): Promise<void> {
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
        await fn(event);
      } catch (err) {
        this.logger.error({ err, kind }, 'an auth event listener failed');
      }
    }
  }
}

/** The audit actor of a principal (anonymous when there is none). */
export function actorOf(principal: Principal | undefined): AuthActor {
  if (!principal) return { kind: 'anonymous', id: null, label: 'anonymous' };
  if (principal.kind === 'session')
    return { kind: 'user', id: principal.userId, label: principal.label ?? principal.userId ?? 'user' };
  if (principal.keyId)
    return { kind: 'apiKey', id: principal.keyId, label: principal.label ?? principal.keyId };
  return { kind: 'ownerKey', id: null, label: OWNER_KEY_LABEL };
}
