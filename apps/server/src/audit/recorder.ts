import type { AsyncOf, AuditActorKind, AuditData, AuditRepository } from '@switchboard/db';
import type { Request, Response } from 'express';
import type { Principal } from '../api.js';
import type { CredentialUse } from '../http/client.js';

/** Who did it, as the audit log's actor columns hold it. */
export interface AuditActor {
  kind: AuditActorKind;
  id: string | null;
  /** Readable at the time: an email, a key's name. */
  label: string;
}

export interface AuditTarget {
  kind: string;
  id: string;
}

export interface AuditEntry {
  actor: AuditActor;
  action: string;
  target?: AuditTarget | null;
  ip?: string | null;
  data?: AuditData | null;
  /** ISO; default now. */
  at?: string;
}

/** The shape of `rt.auth`'s events (accounts, sessions, keys), as far as the audit log reads them. */
export interface AuthEventLike {
  kind: string;
  actor: AuditActor;
  target: { kind: string; id: string; label?: string } | null;
  ip: string | null;
  at: string;
  detail?: Record<string, unknown>;
}

export const OWNER_KEY_LABEL = 'owner key (SWITCHBOARD_API_KEY)';
export const SYSTEM = (label: string): AuditActor => ({ kind: 'system', id: null, label });

/** Credential use is recorded at most this often per credential, to keep the log small. */
export const CREDENTIAL_USE_EVERY_MS = 60_000;

/** `rt.auth` event kinds as audit actions. */
const AUTH_ACTIONS: Record<string, string> = {
  sign_in: 'auth.sign_in',
  sign_in_failed: 'auth.sign_in_failed',
  sign_out: 'auth.sign_out',
  password_changed: 'user.password_changed',
  user_invited: 'user.invited',
  user_joined: 'user.joined',
  user_changed: 'user.changed',
  user_removed: 'user.removed',
  api_key_created: 'api_key.created',
  api_key_revoked: 'api_key.revoked',
};

/** Keys whose values are never kept, whatever a caller passes (the log must hold no secret). */
const SECRET_KEY =
  /pass(word)?|secret|token|authorization|cookie|api_?key|^key$|credential_?data|webhook_?url|signature|^data$/i;
const MAX_STRING = 500;

/**
 * A copy of `data` fit for the log: keys that could hold a secret are dropped, long strings cut, depth
 * bounded. Callers pass only names, ids, counts and versions; this is the safety net.
 */
export function safeData(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (depth >= 4) return null;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => safeData(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_KEY.test(k) || v === undefined) continue;
      out[k] = safeData(v, depth + 1);
    }
    return out;
  }
  return null;
}

/** The actor of an authenticated request. */
export function actorOf(principal: Principal | undefined): AuditActor {
  // Before accounts, every authenticated request carried the owner key (it set no principal).
  if (!principal) return { kind: 'ownerKey', id: null, label: OWNER_KEY_LABEL };
  const label = (principal as Principal & { label?: string }).label;
  if (principal.kind === 'session')
    return { kind: 'user', id: principal.userId, label: label ?? principal.userId ?? 'user' };
  if (principal.keyId) return { kind: 'apiKey', id: principal.keyId, label: label ?? principal.keyId };
  return { kind: 'ownerKey', id: null, label: OWNER_KEY_LABEL };
}

export interface AuditLogOptions {
  repo: AsyncOf<AuditRepository>;
  logger: { warn(obj: object, msg: string): void };
  now?: () => Date;
}

/**
 * The server's audit recorder (`rt.audit`): routes record what a principal changed, the HTTP client
 * records credential use (throttled), and `rt.auth`'s events are recorded as they happen. Recording
 * never fails the action: a write that fails is logged as a warning (the promises never reject).
 */
export class AuditLog {
  readonly repo: AsyncOf<AuditRepository>;
  private readonly now: () => Date;
  private readonly lastUse = new Map<string, number>();

  constructor(private readonly options: AuditLogOptions) {
    this.repo = options.repo;
    this.now = options.now ?? (() => new Date());
  }

  async record(entry: AuditEntry): Promise<void> {
    try {
      const data = entry.data ? (safeData(entry.data) as AuditData) : null;
      await this.repo.insert({
        at: entry.at ?? this.now().toISOString(),
        actorKind: entry.actor.kind,
        actorId: entry.actor.id,
        actorLabel: entry.actor.label,
        action: entry.action,
        targetKind: entry.target?.kind ?? null,
        targetId: entry.target?.id ?? null,
        ip: entry.ip ?? null,
        data: data && Object.keys(data).length > 0 ? data : null,
      });
    } catch (error) {
      this.options.logger.warn({ err: error, action: entry.action }, 'could not write an audit event');
    }
  }

  /** Records what the request's principal did (after it succeeded). */
  request(
    req: Request,
    res: Response,
    action: string,
    target: AuditTarget | null,
    data?: AuditData | null,
  ): Promise<void> {
    return this.record({
      actor: actorOf(res.locals.principal as Principal | undefined),
      action,
      target,
      ip: req.ip ?? null,
      data: data ?? null,
    });
  }

  /** A request applied a stored credential: recorded once a minute per credential at most. */
  async credentialUsed(use: CredentialUse): Promise<void> {
    const at = this.now();
    const last = this.lastUse.get(use.name);
    if (last !== undefined && at.getTime() - last < CREDENTIAL_USE_EVERY_MS) return;
    this.lastUse.set(use.name, at.getTime());
    await this.record({
      actor: SYSTEM('http client'),
      action: 'credential.used',
      target: { kind: 'credential', id: use.name },
      data: {
        type: use.type,
        ...(use.runId ? { runId: use.runId } : {}),
        ...(use.nodeId ? { nodeId: use.nodeId } : {}),
      },
      at: at.toISOString(),
    });
  }

  /** Records sign-ins (and failures), sign-outs, user and API key changes. */
  authEvent(event: AuthEventLike): Promise<void> {
    return this.record({
      actor: event.actor,
      action: AUTH_ACTIONS[event.kind] ?? `auth.${event.kind}`,
      target: event.target ? { kind: event.target.kind, id: event.target.id } : null,
      ip: event.ip,
      at: event.at,
      data: {
        ...(event.target?.label ? { targetLabel: event.target.label } : {}),
        ...(event.detail ?? {}),
      },
    });
  }
}
