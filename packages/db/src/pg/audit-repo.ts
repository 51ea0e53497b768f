// Same as ../audit-repo.ts (same cursors, same AuditCursorError). One difference: ids come from a
// sequence, so under concurrent writers they are not committed in id order, and a page read at that
// moment can miss an event committed just after with a smaller id (SQLite's single writer cannot).
import { and, desc, eq, gte, lt, or, type SQL, sql } from 'drizzle-orm';
import {
  ACTOR_KINDS,
  type AuditActorKind,
  type AuditData,
  type AuditEvent,
  type AuditEventInput,
  type AuditFilter,
  type AuditRepository,
  decodeCursor,
  encodeCursor,
} from '../audit-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgSession } from './connection.js';
import { auditEvents } from './schema.js';

function conditionsOf(filter: AuditFilter, before: number | undefined): Array<SQL | undefined> {
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
  return conditions;
}

export class PgAuditRepository implements AsyncOf<AuditRepository> {
  constructor(private readonly db: PgSession) {}

  async insert(event: AuditEventInput): Promise<number> {
    const [row] = await this.db
      .insert(auditEvents)
      .values({ ...event, data: event.data ?? null })
      .returning({ id: auditEvents.id });
    if (!row) throw new Error('insert: the insert returned no row');
    return row.id;
  }

  async list(filter: AuditFilter = {}): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
    const before = filter.cursor ? decodeCursor(filter.cursor) : undefined;
    const rows = await this.db
      .select()
      .from(auditEvents)
      .where(and(...conditionsOf(filter, before)))
      .orderBy(desc(auditEvents.id))
      .limit(limit + 1);
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
