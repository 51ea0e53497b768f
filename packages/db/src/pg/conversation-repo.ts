import {
  and,
  asc,
  desc,
  eq,
  gte,
  inArray,
  isNull,
  lt,
  lte,
  ne,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import {
  beyondKey,
  type Conversation,
  type ConversationChanges,
  type ConversationEvent,
  type ConversationFilter,
  type ConversationRepository,
  type ConversationState,
  HELD_STATES,
  type NewConversation,
  type TimelineQuery,
  type TimelineSlice,
} from '../conversation-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgDb, PgSession } from './connection.js';
import {
  afterCursor,
  bytes,
  decodeCursor,
  encodeCursor,
  rankOf,
  toConversation,
} from './conversation-queries.js';
import { conversationEvents, conversations, inboundEvents, outbox, routingRequests } from './schema.js';

// Same as the SQLite ConversationRepository. A change and its history row commit together (one
// transaction per method: there is no caller's transaction to join), ids sort in byte order as in
// SQLite, and constraint violations surface as Postgres errors (`duplicate key value…`).

type Tx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/** States in which a conversation still waits for its first answer (the SLA runs). */
const WAITING_STATES: readonly ConversationState[] = ['queued', 'assigned'];

export class PgConversationRepository implements AsyncOf<ConversationRepository> {
  constructor(private readonly db: PgSession) {}

  async open(input: NewConversation, at: string): Promise<Conversation> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(conversations)
        .values({
          ...input,
          priorityRank: rankOf(input.priority),
          state: 'queued',
          openedAt: at,
          updatedAt: at,
        })
        .returning();
      if (!row) throw new Error('open: the inserted conversation was not returned');
      await addEvent(tx, input.id, at, 'opened', {
        team: input.teamId,
        priority: input.priority,
        runId: input.runId,
        flowId: input.flowId,
        nodeId: input.nodeId,
      });
      return toConversation(row);
    });
  }

  async get(id: string): Promise<Conversation | undefined> {
    const [row] = await this.db.select().from(conversations).where(eq(conversations.id, id));
    return row ? toConversation(row) : undefined;
  }

  async activeForContact(waId: string, channel: string): Promise<Conversation | undefined> {
    const [row] = await this.db
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.waId, waId),
          eq(conversations.channel, channel),
          ne(conversations.state, 'closed'),
        ),
      )
      .orderBy(desc(conversations.openedAt))
      .limit(1);
    return row ? toConversation(row) : undefined;
  }

  async change(
    id: string,
    changes: ConversationChanges,
    event: { kind: string; data?: Record<string, unknown> } | null,
    at: string,
  ): Promise<Conversation | undefined> {
    const set = {
      ...changes,
      ...(changes.priority !== undefined ? { priorityRank: rankOf(changes.priority) } : {}),
      updatedAt: at,
    };
    return this.db.transaction(async (tx) => {
      const [row] = await tx.update(conversations).set(set).where(eq(conversations.id, id)).returning();
      if (!row) return undefined;
      if (event) await addEvent(tx, id, at, event.kind, event.data ?? {});
      return toConversation(row);
    });
  }

  async assign(id: string, agentId: string, at: string, data: Record<string, unknown> = {}) {
    return this.change(
      id,
      { agentId, state: 'assigned', queuedBecause: null, assignedAt: at },
      { kind: 'assigned', data: { agent: agentId, ...data } },
      at,
    );
  }

  async queue(id: string, reason: string, at: string, data: Record<string, unknown> = {}) {
    return this.change(
      id,
      { agentId: null, state: 'queued', queuedBecause: reason, assignedAt: null },
      { kind: 'queued', data: { reason, ...data } },
      at,
    );
  }

  async pickUp(id: string, agentId: string, at: string) {
    return this.change(
      id,
      { agentId, state: 'open', queuedBecause: null, pickedUpAt: at },
      { kind: 'picked_up', data: { agent: agentId } },
      at,
    );
  }

  async close(id: string, at: string, data: Record<string, unknown> = {}) {
    return this.change(id, { state: 'closed', closedAt: at }, { kind: 'closed', data }, at);
  }

  async history(id: string): Promise<ConversationEvent[]> {
    const rows = await this.db
      .select()
      .from(conversationEvents)
      .where(eq(conversationEvents.conversationId, id))
      .orderBy(asc(conversationEvents.id));
    return rows.map((e) => ({ ...e, data: e.data as Record<string, unknown> }));
  }

  async addEvent(
    conversationId: string,
    at: string,
    kind: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    await addEvent(this.db, conversationId, at, kind, data);
  }

  async list(filter: ConversationFilter): Promise<{ items: Conversation[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
    const recent = filter.state === 'closed';
    const cursor = filter.after ? decodeCursor(filter.after, recent) : undefined;
    const c = conversations;
    const conditions: Array<SQL | undefined> = [
      filter.state === 'active'
        ? ne(c.state, 'closed')
        : filter.state
          ? eq(c.state, filter.state)
          : undefined,
      filter.teamId ? eq(c.teamId, filter.teamId) : undefined,
      filter.teamIds
        ? filter.teamIds.length
          ? inArray(c.teamId, [...filter.teamIds])
          : sql`false`
        : undefined,
      filter.agentId ? eq(c.agentId, filter.agentId) : undefined,
      filter.priority ? eq(c.priority, filter.priority) : undefined,
      filter.waId ? eq(c.waId, filter.waId) : undefined,
      filter.since ? gte(c.openedAt, filter.since) : undefined,
      filter.until ? lt(c.openedAt, filter.until) : undefined,
      cursor ? afterCursor(cursor) : undefined,
    ];
    const order = recent
      ? [desc(c.openedAt), desc(bytes(c.id))]
      : [desc(c.priorityRank), asc(c.openedAt), asc(bytes(c.id))];
    const rows = await this.db
      .select()
      .from(c)
      .where(and(...conditions))
      .orderBy(...order)
      .limit(limit + 1);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return {
      items: rows.slice(0, limit).map(toConversation),
      nextCursor: last ? encodeCursor(last, recent) : null,
    };
  }

  async timeline(q: TimelineQuery): Promise<TimelineSlice> {
    const forward = !!q.after;
    const key = q.after ?? q.before;
    const limit = Math.min(Math.max(q.limit, 1), 501);
    const dir = forward ? asc : desc;
    // Ids of ranks 0 and 1 are integers: a key's id that is not one matches nothing rather than failing.
    const intId = Number.isSafeInteger(Number(key?.id)) ? Number(key?.id) : 0;
    const e = inboundEvents;
    const h = conversationEvents;
    const c = conversations;
    const o = outbox;
    const [inbound, history, outbound] = await Promise.all([
      this.db
        .select()
        .from(e)
        .where(
          and(
            eq(e.waId, q.waId),
            eq(e.type, 'message.received'),
            q.channel === 'default'
              ? or(eq(e.channelId, 'default'), isNull(e.channelId))
              : eq(e.channelId, q.channel),
            beyondKey(key, forward, 0, e.receivedAt, (op) => sql`${e.id} ${sql.raw(op)} ${intId}`),
          ),
        )
        .orderBy(dir(e.receivedAt), dir(e.id))
        .limit(limit),
      this.db
        .select({ id: h.id, conversationId: h.conversationId, at: h.at, kind: h.kind, data: h.data })
        .from(h)
        .innerJoin(c, eq(c.id, h.conversationId))
        .where(
          and(
            eq(c.channel, q.channel),
            eq(c.waId, q.waId),
            q.teamIds ? (q.teamIds.length ? inArray(c.teamId, [...q.teamIds]) : sql`false`) : undefined,
            q.skipKinds?.length ? notInArray(h.kind, [...q.skipKinds]) : undefined,
            beyondKey(key, forward, 1, h.at, (op) => sql`${h.id} ${sql.raw(op)} ${intId}`),
          ),
        )
        .orderBy(dir(h.at), dir(h.id))
        .limit(limit),
      this.db
        .select()
        .from(o)
        .where(
          and(
            eq(o.recipient, q.waId),
            eq(o.channel, q.channel),
            beyondKey(
              key,
              forward,
              2,
              o.createdAt,
              (op) => sql`${bytes(o.id)} ${sql.raw(op)} ${key?.id ?? ''}`,
            ),
          ),
        )
        .orderBy(dir(o.createdAt), forward ? asc(bytes(o.id)) : desc(bytes(o.id)))
        .limit(limit),
    ]);
    return {
      inbound,
      history: history.map((row) => ({ ...row, data: row.data as Record<string, unknown> })),
      outbound,
    };
  }

  async contactInTeams(channel: string, waId: string, teamIds: readonly string[]): Promise<boolean> {
    if (!teamIds.length) return false;
    const c = conversations;
    const rows = await this.db
      .select({ id: c.id })
      .from(c)
      .where(and(eq(c.channel, channel), eq(c.waId, waId), inArray(c.teamId, [...teamIds])))
      .limit(1);
    return rows.length > 0;
  }

  async heldCounts(agentIds?: readonly string[]): Promise<Map<string, number>> {
    if (agentIds && !agentIds.length) return new Map();
    const rows = await this.db
      .select({ agentId: conversations.agentId, n: sql<number>`count(*)::int` })
      .from(conversations)
      .where(
        and(
          inArray(conversations.state, [...HELD_STATES]),
          agentIds
            ? inArray(conversations.agentId, [...agentIds])
            : sql`${conversations.agentId} is not null`,
        ),
      )
      .groupBy(conversations.agentId);
    const counts = new Map<string, number>();
    for (const r of rows) if (r.agentId !== null) counts.set(r.agentId, r.n);
    return counts;
  }

  async ofAgent(agentId: string, states: readonly ConversationState[]): Promise<Conversation[]> {
    const rows = await this.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.agentId, agentId), inArray(conversations.state, [...states])))
      .orderBy(asc(conversations.openedAt), asc(bytes(conversations.id)));
    return rows.map(toConversation);
  }

  async countActive(teamId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(conversations)
      .where(and(eq(conversations.teamId, teamId), ne(conversations.state, 'closed')));
    return row?.n ?? 0;
  }

  async queued(teamId: string, limit: number): Promise<Conversation[]> {
    const rows = await this.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.state, 'queued'), eq(conversations.teamId, teamId)))
      .orderBy(desc(conversations.priorityRank), asc(conversations.openedAt), asc(bytes(conversations.id)))
      .limit(limit);
    return rows.map(toConversation);
  }

  async teamsWithQueue(): Promise<string[]> {
    // Ordered by team id, the order SQLite's scan of `conversations_state_team_idx` gives.
    const rows = await this.db
      .selectDistinct({ teamId: conversations.teamId, key: bytes(conversations.teamId) })
      .from(conversations)
      .where(eq(conversations.state, 'queued'))
      .orderBy(bytes(conversations.teamId));
    return rows.map((r) => r.teamId);
  }

  async dueForEscalation(now: string, limit: number): Promise<Conversation[]> {
    const rows = await this.db
      .select()
      .from(conversations)
      .where(
        and(
          lte(conversations.slaDueAt, now),
          isNull(conversations.escalatedAt),
          isNull(conversations.pickedUpAt),
          inArray(conversations.state, [...WAITING_STATES]),
        ),
      )
      .orderBy(asc(conversations.slaDueAt), asc(bytes(conversations.id)))
      .limit(limit);
    return rows.map(toConversation);
  }

  async pendingNotifications(now: string, limit: number): Promise<Conversation[]> {
    const rows = await this.db
      .select()
      .from(conversations)
      .where(
        and(
          sql`${conversations.notifyCredential} is not null and ${conversations.notifiedAt} is null`,
          or(isNull(conversations.notifyNextAt), lte(conversations.notifyNextAt, now)),
        ),
      )
      // SQLite sorts nulls first in ascending order; Postgres sorts them last unless told.
      .orderBy(sql`${conversations.escalatedAt} asc nulls first`, asc(bytes(conversations.id)))
      .limit(limit);
    return rows.map(toConversation);
  }

  // --- routing steps' first outcomes ---

  async request(idempotencyKey: string): Promise<{ conversationId: string; outcome: unknown } | undefined> {
    const [row] = await this.db
      .select({ conversationId: routingRequests.conversationId, outcome: routingRequests.outcome })
      .from(routingRequests)
      .where(eq(routingRequests.idempotencyKey, idempotencyKey));
    return row;
  }

  async recordRequest(
    idempotencyKey: string,
    conversationId: string,
    outcome: unknown,
    at: string,
  ): Promise<void> {
    await this.db.insert(routingRequests).values({ idempotencyKey, conversationId, outcome, createdAt: at });
  }
}

async function addEvent(
  db: PgDb | Tx,
  conversationId: string,
  at: string,
  kind: string,
  data: Record<string, unknown>,
): Promise<void> {
  await db.insert(conversationEvents).values({ conversationId, at, kind, data });
}
