import {
  and,
  asc,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNull,
  lt,
  lte,
  ne,
  notInArray,
  or,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import type { Db } from './connection.js';
import { CursorError } from './run-queries.js';
import { conversationEvents, conversations, inboundEvents, outbox, routingRequests } from './schema.js';

export type ConversationState = 'queued' | 'assigned' | 'open' | 'closed';
/** States that count against an agent's capacity. */
export const HELD_STATES: readonly ConversationState[] = ['assigned', 'open'];
/** States in which a conversation still waits for its first answer (the SLA runs). */
const WAITING_STATES: readonly ConversationState[] = ['queued', 'assigned'];

/** Queue order: a higher rank is served first. Unknown priorities rank as normal. */
const PRIORITY_RANK: Record<string, number> = { low: 0, normal: 1, high: 2, urgent: 3 };
const rankOf = (priority: string) => PRIORITY_RANK[priority] ?? 1;

type Row = typeof conversations.$inferSelect;

/**
 * A condition for another table's rows: the contact they name (`channel` and WhatsApp id columns) has
 * a conversation in one of these teams. An agent's inbox: the contacts and messages of their teams.
 */
export function inConversationsOf(teamIds: readonly string[], channel: SQLWrapper, waId: SQLWrapper): SQL {
  if (!teamIds.length) return sql`0`;
  const c = conversations;
  return sql`exists (select 1 from ${c} where ${c.channel} = ${channel} and ${c.waId} = ${waId} and ${inArray(c.teamId, [...teamIds])})`;
}

export interface Conversation extends Omit<Row, 'priorityRank' | 'skills' | 'state'> {
  state: ConversationState;
  skills: string[];
}

export interface NewConversation {
  id: string;
  channel: string;
  waId: string;
  contactName: string | null;
  teamId: string;
  priority: string;
  strategy: string;
  skills: string[];
  summary: string;
  runId: string | null;
  flowId: string | null;
  nodeId: string | null;
  idempotencyKey: string;
  slaMinutes: number | null;
  slaDueAt: string | null;
  escalation: unknown;
  queuedBecause: string | null;
}

/** Fields a change may set (times are ISO strings). */
export type ConversationChanges = Partial<
  Pick<
    Conversation,
    | 'teamId'
    | 'agentId'
    | 'priority'
    | 'state'
    | 'queuedBecause'
    | 'strategy'
    | 'skills'
    | 'summary'
    | 'contactName'
    | 'runId'
    | 'flowId'
    | 'nodeId'
    | 'slaMinutes'
    | 'assignedAt'
    | 'pickedUpAt'
    | 'slaDueAt'
    | 'escalation'
    | 'escalatedAt'
    | 'notifyCredential'
    | 'notifiedAt'
    | 'notifyAttempts'
    | 'notifyNextAt'
    | 'closedAt'
  >
>;

export interface ConversationEvent {
  id: number;
  conversationId: string;
  at: string;
  kind: string;
  data: Record<string, unknown>;
}

export interface ConversationFilter {
  /** `active`: every state but closed. */
  state?: ConversationState | 'active';
  teamId?: string;
  /** Only these teams' (an agent's inbox); an empty list matches none. */
  teamIds?: readonly string[];
  agentId?: string;
  priority?: string;
  waId?: string;
  /** Opened at or after this time (ISO, UTC). */
  since?: string;
  /** Opened before this time (ISO, UTC). */
  until?: string;
  limit?: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  after?: string;
}

/**
 * A place in a contact's timeline (inbound messages, conversation history, outbound messages, merged by
 * time): at the same millisecond inbound (rank 0) sorts before history (1) before outbound (2), then by
 * id (a number for ranks 0 and 1, the outbox id for 2).
 */
export interface TimelineKey {
  at: string;
  rank: 0 | 1 | 2;
  id: string;
}

export interface TimelineQuery {
  channel: string;
  waId: string;
  /** History only of these teams' conversations (an agent's inbox); undefined: all. */
  teamIds?: readonly string[];
  /** Entries before this key, newest first (the default, without a key: the newest). */
  before?: TimelineKey;
  /** Entries after this key, oldest first (what came since). Wins over `before`. */
  after?: TimelineKey;
  /** Up to this many of each source (the caller merges and cuts). */
  limit: number;
  /** History kinds left out (e.g. those shown on the messages they name). */
  skipKinds?: readonly string[];
}

export type TimelineHistoryRow = ConversationEvent;
export type TimelineInboundRow = typeof inboundEvents.$inferSelect;
export type TimelineOutboundRow = typeof outbox.$inferSelect;

/** Each source's entries in the direction asked (newest first for `before`, oldest first for `after`). */
export interface TimelineSlice {
  inbound: TimelineInboundRow[];
  history: TimelineHistoryRow[];
  outbound: TimelineOutboundRow[];
}

/**
 * The condition "sorts beyond `key`" for one source's rows (`rank`, time and id columns), in the timeline
 * order of `TimelineKey`; `idAs` turns the key's id into the column's type and comparison.
 */
export function beyondKey(
  key: TimelineKey | undefined,
  forward: boolean,
  rank: 0 | 1 | 2,
  at: SQLWrapper,
  idCompare: (op: '<' | '>') => SQL,
): SQL | undefined {
  if (!key) return undefined;
  const op = forward ? '>' : '<';
  const atOp = (o: string) => sql`${at} ${sql.raw(o)} ${key.at}`;
  if (rank === key.rank) return sql`(${atOp(op)} or (${atOp('=')} and ${idCompare(op)}))`;
  // At the key's time, a lower rank sorts before the key and a higher one after it.
  const sameTimeIncluded = forward ? rank > key.rank : rank < key.rank;
  return atOp(sameTimeIncluded ? `${op}=` : op);
}

/**
 * Conversations and their history. Every change writes a history row with it; methods are synchronous
 * and join the caller's transaction, so the server reads capacity and assigns in one commit.
 */
export class ConversationRepository {
  constructor(private readonly db: Db) {}

  /** Inserts a new (queued) conversation and its `opened` history row. */
  open(input: NewConversation, at: string): Conversation {
    this.db
      .insert(conversations)
      .values({
        ...input,
        priorityRank: rankOf(input.priority),
        state: 'queued',
        openedAt: at,
        updatedAt: at,
      })
      .run();
    this.addEvent(input.id, at, 'opened', {
      team: input.teamId,
      priority: input.priority,
      runId: input.runId,
      flowId: input.flowId,
      nodeId: input.nodeId,
    });
    return this.get(input.id)!;
  }

  get(id: string): Conversation | undefined {
    const row = this.db.select().from(conversations).where(eq(conversations.id, id)).get();
    return row ? toConversation(row) : undefined;
  }

  /** The contact's conversation that is not closed yet, if any (the newest, should there be several). */
  activeForContact(waId: string, channel: string): Conversation | undefined {
    const row = this.db
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
      .get();
    return row ? toConversation(row) : undefined;
  }

  /**
   * Applies `changes` and records `kind` (with `data`) in the history. The named methods below are the
   * usual changes; this is for the rest (e.g. a routing step that reuses a conversation).
   */
  change(
    id: string,
    changes: ConversationChanges,
    event: { kind: string; data?: Record<string, unknown> } | null,
    at: string,
  ): Conversation | undefined {
    const set = {
      ...changes,
      ...(changes.priority !== undefined ? { priorityRank: rankOf(changes.priority) } : {}),
      updatedAt: at,
    };
    const changed = this.db.update(conversations).set(set).where(eq(conversations.id, id)).run().changes;
    if (!changed) return undefined;
    if (event) this.addEvent(id, at, event.kind, event.data ?? {});
    return this.get(id);
  }

  /** Gives it to an agent (state assigned). */
  assign(id: string, agentId: string, at: string, data: Record<string, unknown> = {}) {
    return this.change(
      id,
      { agentId, state: 'assigned', queuedBecause: null, assignedAt: at },
      { kind: 'assigned', data: { agent: agentId, ...data } },
      at,
    );
  }

  /** Puts it (back) in its team's queue, with no agent. */
  queue(id: string, reason: string, at: string, data: Record<string, unknown> = {}) {
    return this.change(
      id,
      { agentId: null, state: 'queued', queuedBecause: reason, assignedAt: null },
      { kind: 'queued', data: { reason, ...data } },
      at,
    );
  }

  /** The agent answers it: state open, which stops its SLA. */
  pickUp(id: string, agentId: string, at: string) {
    return this.change(
      id,
      { agentId, state: 'open', queuedBecause: null, pickedUpAt: at },
      { kind: 'picked_up', data: { agent: agentId } },
      at,
    );
  }

  close(id: string, at: string, data: Record<string, unknown> = {}) {
    return this.change(id, { state: 'closed', closedAt: at }, { kind: 'closed', data }, at);
  }

  /** Its history, oldest first. */
  history(id: string): ConversationEvent[] {
    return this.db
      .select()
      .from(conversationEvents)
      .where(eq(conversationEvents.conversationId, id))
      .orderBy(asc(conversationEvents.id))
      .all()
      .map((e) => ({ ...e, data: e.data as Record<string, unknown> }));
  }

  addEvent(conversationId: string, at: string, kind: string, data: Record<string, unknown>): void {
    this.db.insert(conversationEvents).values({ conversationId, at, kind, data }).run();
  }

  /**
   * A page of conversations. Closed ones come newest first; any other list in queue order: priority
   * (urgent first), then the oldest.
   */
  list(filter: ConversationFilter): { items: Conversation[]; nextCursor: string | null } {
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
      filter.teamIds ? (filter.teamIds.length ? inArray(c.teamId, [...filter.teamIds]) : sql`0`) : undefined,
      filter.agentId ? eq(c.agentId, filter.agentId) : undefined,
      filter.priority ? eq(c.priority, filter.priority) : undefined,
      filter.waId ? eq(c.waId, filter.waId) : undefined,
      filter.since ? gte(c.openedAt, filter.since) : undefined,
      filter.until ? lt(c.openedAt, filter.until) : undefined,
      cursor ? afterCursor(cursor) : undefined,
    ];
    const order = recent
      ? [desc(c.openedAt), desc(c.id)]
      : [desc(c.priorityRank), asc(c.openedAt), asc(c.id)];
    const rows = this.db
      .select()
      .from(c)
      .where(and(...conditions))
      .orderBy(...order)
      .limit(limit + 1)
      .all();
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return {
      items: rows.slice(0, limit).map(toConversation),
      nextCursor: last ? encodeCursor(last, recent) : null,
    };
  }

  /**
   * A contact's timeline on one channel, one slice per source: the messages they sent
   * (`message.received` events, by arrival time), the history of their conversations, and the messages
   * sent to them (outbox rows, by creation time). Messages are the contact's whatever the conversation.
   */
  timeline(q: TimelineQuery): TimelineSlice {
    const forward = !!q.after;
    const key = q.after ?? q.before;
    const limit = Math.min(Math.max(q.limit, 1), 501);
    const dir = forward ? asc : desc;
    // Ids of ranks 0 and 1 are integers: a key's id that is not one matches nothing rather than failing.
    const intId = Number.isSafeInteger(Number(key?.id)) ? Number(key?.id) : 0;
    const e = inboundEvents;
    const inbound = this.db
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
      .limit(limit)
      .all();
    const h = conversationEvents;
    const c = conversations;
    const history = this.db
      .select({ id: h.id, conversationId: h.conversationId, at: h.at, kind: h.kind, data: h.data })
      .from(h)
      .innerJoin(c, eq(c.id, h.conversationId))
      .where(
        and(
          eq(c.channel, q.channel),
          eq(c.waId, q.waId),
          q.teamIds ? (q.teamIds.length ? inArray(c.teamId, [...q.teamIds]) : sql`0`) : undefined,
          q.skipKinds?.length ? notInArray(h.kind, [...q.skipKinds]) : undefined,
          beyondKey(key, forward, 1, h.at, (op) => sql`${h.id} ${sql.raw(op)} ${intId}`),
        ),
      )
      .orderBy(dir(h.at), dir(h.id))
      .limit(limit)
      .all()
      .map((row) => ({ ...row, data: row.data as Record<string, unknown> }));
    const o = outbox;
    const outbound = this.db
      .select()
      .from(o)
      .where(
        and(
          eq(o.recipient, q.waId),
          eq(o.channel, q.channel),
          beyondKey(key, forward, 2, o.createdAt, (op) => sql`${o.id} ${sql.raw(op)} ${key?.id ?? ''}`),
        ),
      )
      .orderBy(dir(o.createdAt), dir(o.id))
      .limit(limit)
      .all();
    return { inbound, history, outbound };
  }

  /** Whether the contact (channel and WhatsApp id) has a conversation, in any state, in one of these teams. */
  contactInTeams(channel: string, waId: string, teamIds: readonly string[]): boolean {
    if (!teamIds.length) return false;
    const c = conversations;
    return !!this.db
      .select({ id: c.id })
      .from(c)
      .where(and(eq(c.channel, channel), eq(c.waId, waId), inArray(c.teamId, [...teamIds])))
      .limit(1)
      .get();
  }

  /** How many assigned or open conversations each agent holds (agents with none are left out). */
  heldCounts(agentIds?: readonly string[]): Map<string, number> {
    if (agentIds && !agentIds.length) return new Map();
    const rows = this.db
      .select({ agentId: conversations.agentId, n: sql<number>`count(*)` })
      .from(conversations)
      .where(
        and(
          inArray(conversations.state, [...HELD_STATES]),
          agentIds
            ? inArray(conversations.agentId, [...agentIds])
            : sql`${conversations.agentId} is not null`,
        ),
      )
      .groupBy(conversations.agentId)
      .all();
    return new Map(rows.map((r) => [r.agentId!, r.n]));
  }

  /** An agent's conversations in the given states, oldest first. */
  ofAgent(agentId: string, states: readonly ConversationState[]): Conversation[] {
    return this.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.agentId, agentId), inArray(conversations.state, [...states])))
      .orderBy(asc(conversations.openedAt), asc(conversations.id))
      .all()
      .map(toConversation);
  }

  /** How many conversations of the team are not closed. */
  countActive(teamId: string): number {
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(conversations)
        .where(and(eq(conversations.teamId, teamId), ne(conversations.state, 'closed')))
        .get()?.n ?? 0
    );
  }

  /** The team's queue in the order it is served: highest priority first, then the oldest. */
  queued(teamId: string, limit: number): Conversation[] {
    return this.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.state, 'queued'), eq(conversations.teamId, teamId)))
      .orderBy(desc(conversations.priorityRank), asc(conversations.openedAt), asc(conversations.id))
      .limit(limit)
      .all()
      .map(toConversation);
  }

  /** Ids of the teams that have queued conversations. */
  teamsWithQueue(): string[] {
    return this.db
      .selectDistinct({ teamId: conversations.teamId })
      .from(conversations)
      .where(eq(conversations.state, 'queued'))
      .all()
      .map((r) => r.teamId);
  }

  /**
   * Conversations whose SLA passed while nobody picked them up and that have not escalated yet, the
   * most overdue first.
   */
  dueForEscalation(now: string, limit: number): Conversation[] {
    return this.db
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
      .orderBy(asc(conversations.slaDueAt), asc(conversations.id))
      .limit(limit)
      .all()
      .map(toConversation);
  }

  /** Escalations whose Slack post is still owed and due to be tried (the first try is due at once). */
  pendingNotifications(now: string, limit: number): Conversation[] {
    return this.db
      .select()
      .from(conversations)
      .where(
        and(
          sql`${conversations.notifyCredential} is not null and ${conversations.notifiedAt} is null`,
          or(isNull(conversations.notifyNextAt), lte(conversations.notifyNextAt, now)),
        ),
      )
      .orderBy(asc(conversations.escalatedAt), asc(conversations.id))
      .limit(limit)
      .all()
      .map(toConversation);
  }

  // --- routing steps' first outcomes ---

  /** The first outcome of the routing step with this idempotency key, if it ran before. */
  request(idempotencyKey: string): { conversationId: string; outcome: unknown } | undefined {
    return this.db
      .select({ conversationId: routingRequests.conversationId, outcome: routingRequests.outcome })
      .from(routingRequests)
      .where(eq(routingRequests.idempotencyKey, idempotencyKey))
      .get();
  }

  recordRequest(idempotencyKey: string, conversationId: string, outcome: unknown, at: string): void {
    this.db.insert(routingRequests).values({ idempotencyKey, conversationId, outcome, createdAt: at }).run();
  }
}

function toConversation(row: Row): Conversation {
  const { priorityRank: _rank, ...rest } = row;
  return { ...rest, state: row.state as ConversationState, skills: row.skills as string[] };
}

type Cursor =
  | { recent: true; openedAt: string; id: string }
  | { recent: false; rank: number; openedAt: string; id: string };

function encodeCursor(row: Row, recent: boolean): string {
  const parts = recent ? ['r', row.openedAt, row.id] : ['q', String(row.priorityRank), row.openedAt, row.id];
  return Buffer.from(parts.join('|')).toString('base64url');
}

function decodeCursor(cursor: string, recent: boolean): Cursor {
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  const bad = () => new CursorError('cursor is not one this server returned for this list');
  if (recent) {
    const [kind, openedAt, id] = parts;
    if (kind !== 'r' || !openedAt || !id) throw bad();
    return { recent, openedAt, id };
  }
  const [kind, rank, openedAt, id] = parts;
  if (kind !== 'q' || !rank || !/^\d$/.test(rank) || !openedAt || !id) throw bad();
  return { recent, rank: Number(rank), openedAt, id };
}

function afterCursor(cursor: Cursor): SQL | undefined {
  const c = conversations;
  if (cursor.recent)
    return or(lt(c.openedAt, cursor.openedAt), and(eq(c.openedAt, cursor.openedAt), lt(c.id, cursor.id)));
  return or(
    lt(c.priorityRank, cursor.rank),
    and(eq(c.priorityRank, cursor.rank), gt(c.openedAt, cursor.openedAt)),
    and(eq(c.priorityRank, cursor.rank), eq(c.openedAt, cursor.openedAt), gt(c.id, cursor.id)),
  );
}
