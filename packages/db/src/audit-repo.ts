import { and, desc, eq, gte, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import { auditEvents } from './schema.js';

export type AuditActorKind = 'user' | 'apiKey' | 'ownerKey' | 'system' | 'anonymous';

/** A JSON object of facts about an event (never a secret: the server's recorder checks). */
export type AuditData = Record<string, unknown>;

export interface AuditEventInput {
  at: string;
  actorKind: AuditActorKind;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  ip: string | null;
  data: AuditData | null;
}

export interface AuditEvent extends AuditEventInput {
  id: number;
}

export interface AuditFilter {
  /** An exact action (`flow.activated`), or a prefix ending in `*` (`flow.*`). */
  action?: string;
  /** The actor's id, or its label (an email, a key name), or its kind (`system`, `ownerKey`…). */
  actor?: string;
  /** `kind:id` (`flow:hello-world`), `kind:` (every flow) or an id. */
  target?: string;
  /** At or after (ISO, UTC). */
  since?: string;
  /** Before (ISO, UTC). */
  until?: string;
  limit?: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
}

export class AuditCursorError extends Error {}

/** The actor kinds a filter may name instead of an actor (shared with the Postgres repository). */
export const ACTOR_KINDS = new Set<string>(['user', 'apiKey', 'ownerKey', 'system', 'anonymous']);

/** One cursor format on both databases: a cursor from either reads on the other. */
export function encodeCursor(id: number): string {
  return Buffer.from(`a${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const id = /^a(\d{1,15})$/.exec(text)?.[1];
  if (!id) throw new AuditCursorError('cursor is not one this server returned');
  return Number(id);
}

/**
 * The audit log: who changed, activated or deleted a flow, who used or changed a credential, who signed
 * in (and failed to). Append-only; listed newest first with keyset pagination.
 */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  insert(event: AuditEventInput): number {
    const row = this.db
      .insert(auditEvents)
      .values({ ...event, data: event.data ?? null })
      .returning({ id: auditEvents.id })
      .get();
    return row.id;
  }

  list(filter: AuditFilter = {}): { items: AuditEvent[]; nextCursor: string | null } {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
    const before = filter.cursor ? decodeCursor(filter.cursor) : undefined;
    const conditions: Array<SQL | undefined> = [];
    if (filter.action) {
      conditions.push(
        filter.action.endsWith('*')
          ? sql`substr(${auditEvents.action}, 1, ${filter.action.length - 1}) = ${filter.action.slice(0, -1)}`
          : eq(auditEvents.action, filter.action),
      );
    }
    if (filter.actor) {
      conditions.push(
        or(
          eq(auditEvents.actorId, filter.actor),
          eq(auditEvents.actorLabel, filter.actor),
          ACTOR_KINDS.has(filter.actor) ? eq(auditEvents.actorKind, filter.actor) : undefined,
        ),
      );
    }
    if (filter.target) {
      const colon = filter.target.indexOf(':');
      if (colon === -1) conditions.push(eq(auditEvents.targetId, filter.target));
      else {
        const kind = filter.target.slice(0, colon);
        const id = filter.target.slice(colon + 1);
        conditions.push(eq(auditEvents.targetKind, kind));
        if (id !== '') conditions.push(eq(auditEvents.targetId, id));
      }
    }
    if (filter.since) conditions.push(gte(auditEvents.at, filter.since));
    if (filter.until) conditions.push(lt(auditEvents.at, filter.until));
    if (before !== undefined) conditions.push(lt(auditEvents.id, before));
    const rows = this.db
      .select()
      .from(auditEvents)
      .where(and(...conditions))
      .orderBy(desc(auditEvents.id))
      .limit(limit + 1)
      .all();
    const items = rows.slice(0, limit).map(
      (r): AuditEvent => ({
        id: r.id,
        at: r.at,
        actorKind: r.actorKind as AuditActorKind,
        actorId: r.actorId,
        actorLabel: r.actorLabel,
        action: r.action,
        targetKind: r.targetKind,
        targetId: r.targetId,
        ip: r.ip,
        data: (r.data as AuditData | null) ?? null,
      }),
    );
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
  }
}
