// Differs from SQLite only in mechanism: no group commit (each acceptance is its own transaction), and
// claims and status changes lock their rows (`for update`, `skip locked` for claims) instead of relying
// on a single writer; claims also take one advisory lock, so per-recipient order holds across processes.
import { and, asc, desc, eq, inArray, isNull, lte, notExists, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  aheadInLine,
  claimLapsed,
  DEFAULT_SEND_LEASE_MS,
  type OutboxError,
  type OutboxInput,
  type OutboxRepository,
  type OutboxRow,
  type OutboxStatusRow,
  type StatusUpdate,
  UNSENT,
} from '../outbox-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgDb, PgSession } from './connection.js';
import { inConversationsOf } from './conversation-queries.js';
import { outbox, outboxStatuses } from './tables/messaging.js';

type Tx = Parameters<Parameters<PgDb['transaction']>[0]>[0];
type Executor = PgDb | Tx;

/** Delivery progress only moves forward; `failed` and `refused` are outcomes, not steps. */
const RANK: Record<string, number> = {
  queued: 0,
  sending: 1,
  accepted: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  played: 5,
};
const DELIVERED = 4;

/**
 * First key of the advisory lock that serializes claims (the second is the schema's name hashed): a
 * claim's "nothing of this recipient is sending" must still hold when it commits, which row locks on
 * the rows it takes cannot guarantee. Claims are one select and one update, so waiting is short.
 */
const CLAIM_LOCK = 0x5b_0c_1a;

const other = alias(outbox, 'other');
/** Ids in byte order, as SQLite compares them and as claims are ordered. */
const idBefore = (a: unknown, b: unknown) => sql`${a} collate "C" < ${b} collate "C"`;

export class PgOutboxRepository implements AsyncOf<OutboxRepository> {
  constructor(private readonly db: PgSession) {}

  /** Idempotent by key across processes: a concurrent enqueue of the same key waits, then finds the row. */
  async enqueue(input: OutboxInput): Promise<{ row: OutboxRow; created: boolean }> {
    return this.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(outbox)
        .values({
          id: input.id,
          idempotencyKey: input.idempotencyKey,
          runId: input.runId ?? null,
          nodeId: input.nodeId ?? null,
          channel: input.channel,
          recipient: input.recipient,
          kind: input.kind,
          category: input.category ?? null,
          payload: input.payload,
          status: 'queued',
          attempts: 0,
          createdAt: input.createdAt,
          updatedAt: input.createdAt,
        })
        .onConflictDoNothing({ target: outbox.idempotencyKey })
        .returning();
      if (created) {
        await history(tx, created.id, 'queued', input.createdAt, 'api', null);
        return { row: created, created: true };
      }
      const [row] = await tx.select().from(outbox).where(eq(outbox.idempotencyKey, input.idempotencyKey));
      // Only when the conflict was on the primary key (same id, another key): SQLite fails there too.
      if (!row) throw new Error(`outbox: id ${input.id} is taken by another idempotency key`);
      return { row, created: false };
    });
  }

  /**
   * Takes up to `limit` due messages (oldest first, at most the oldest unsent one per recipient and
   * none while another is sending; see the SQLite version) and marks them `sending` under a claim of
   * `leaseMs` in the same transaction. Claims of all processes take turns (the advisory lock), and a
   * row locked by another change is skipped, so no message is handed out twice and no recipient has
   * two in flight.
   */
  async claimDue(now: string, limit: number, leaseMs: number = DEFAULT_SEND_LEASE_MS): Promise<OutboxRow[]> {
    if (limit <= 0) return [];
    const claimExpiresAt = new Date(Date.parse(now) + leaseMs).toISOString();
    return this.db.transaction(async (tx) => {
      // Held to the commit; the select below starts after it, so it sees every earlier claim.
      await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK}, hashtext(current_schema()))`);
      const rows = await tx
        .select()
        .from(outbox)
        .where(
          and(
            eq(outbox.status, 'queued'),
            or(isNull(outbox.nextAttemptAt), lte(outbox.nextAttemptAt, now)),
            notExists(
              tx
                .select({ one: sql`1` })
                .from(other)
                .where(
                  and(
                    eq(other.channel, outbox.channel),
                    eq(other.recipient, outbox.recipient),
                    aheadInLine(other, outbox, idBefore),
                  ),
                ),
            ),
          ),
        )
        .orderBy(asc(outbox.createdAt), sql`${outbox.id} collate "C"`)
        .limit(limit)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return [];
      await tx
        .update(outbox)
        .set({ status: 'sending', attempts: sql`${outbox.attempts} + 1`, claimExpiresAt, updatedAt: now })
        .where(
          inArray(
            outbox.id,
            rows.map((r) => r.id),
          ),
        );
      return rows.map((r) => ({
        ...r,
        status: 'sending',
        attempts: r.attempts + 1,
        claimExpiresAt,
        updatedAt: now,
      }));
    });
  }

  /** Puts a claimed message back, untouched, to be taken again after `at` (pacing, not a failure). */
  async defer(id: string, at: string): Promise<void> {
    await this.db
      .update(outbox)
      .set({
        status: 'queued',
        nextAttemptAt: at,
        claimExpiresAt: null,
        attempts: sql`greatest(0, ${outbox.attempts} - 1)`,
      })
      .where(and(eq(outbox.id, id), eq(outbox.status, 'sending')));
  }

  /**
   * Records Meta's acceptance; the promise settles once it is committed. A message a status webhook
   * already reconciled keeps its progress and wamid (see the SQLite version).
   */
  async markAccepted(id: string, providerMessageId: string | null, at: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const unsent = sql`${outbox.status} in ('queued', 'sending')`;
      await tx
        .update(outbox)
        .set({
          status: sql`case when ${unsent} then 'accepted' else ${outbox.status} end`,
          providerMessageId: sql`case when ${unsent} or ${outbox.providerMessageId} is null
            then ${providerMessageId}::text else ${outbox.providerMessageId} end`,
          lastError: sql`case when ${unsent} then null else ${outbox.lastError} end`,
          nextAttemptAt: sql`case when ${unsent} then null else ${outbox.nextAttemptAt} end`,
          updatedAt: sql`case when ${unsent} then ${at}::timestamptz else ${outbox.updatedAt} end`,
          claimExpiresAt: null,
        })
        .where(eq(outbox.id, id));
      await history(tx, id, 'accepted', at, 'api', null);
    });
  }

  async scheduleRetry(id: string, nextAttemptAt: string, error: OutboxError, at: string): Promise<void> {
    await this.transition(id, { status: 'queued', nextAttemptAt, lastError: error }, at, 'retry', error);
  }

  async markFailed(id: string, error: OutboxError, at: string): Promise<void> {
    await this.transition(id, { status: 'failed', lastError: error, nextAttemptAt: null }, at, 'api', error);
  }

  async markRefused(id: string, error: OutboxError, at: string): Promise<void> {
    await this.transition(
      id,
      { status: 'refused', lastError: error, nextAttemptAt: null },
      at,
      'policy',
      error,
    );
  }

  /**
   * Applies a status webhook (see the SQLite version for the rules). The row is locked while its rank is
   * compared, so concurrent webhooks for one message apply one after the other and progress never
   * moves back.
   */
  async applyStatus(args: StatusUpdate): Promise<OutboxRow | undefined> {
    return this.db.transaction(async (tx) => {
      const [found] = await tx
        .select()
        .from(outbox)
        .where(eq(outbox.providerMessageId, args.providerMessageId))
        .limit(1)
        .for('update');
      const row = found ?? (await reconcile(tx, args));
      if (!row) return undefined;
      const set = nextStatus(row, args.status, args.error);
      if (set)
        await tx
          .update(outbox)
          .set({ ...set, updatedAt: args.at })
          .where(eq(outbox.id, row.id));
      await history(tx, row.id, args.status, args.at, 'webhook', args.error);
      const [after] = await tx.select().from(outbox).where(eq(outbox.id, row.id));
      return after;
    });
  }

  /** A dead-lettered (failed) message back into the queue, by hand; the row lock makes it happen once. */
  async retryNow(id: string, at: string): Promise<OutboxRow | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(outbox).where(eq(outbox.id, id)).for('update');
      if (row?.status !== 'failed') return undefined;
      const [after] = await tx
        .update(outbox)
        .set({ status: 'queued', nextAttemptAt: at, attempts: 0, updatedAt: at })
        .where(eq(outbox.id, id))
        .returning();
      await history(tx, id, 'queued', at, 'manual', null);
      return after;
    });
  }

  /**
   * Every message caught mid-send back to the queue: only right when no other process can be sending
   * (the embedded mode's start); with several, `requeueExpiredSending`.
   */
  async requeueSending(at: string, resendAt?: string): Promise<number> {
    const result = await this.db
      .update(outbox)
      .set({
        status: 'queued',
        claimExpiresAt: null,
        updatedAt: at,
        ...(resendAt ? { nextAttemptAt: resendAt } : {}),
      })
      .where(eq(outbox.status, 'sending'));
    return result.rowCount ?? 0;
  }

  /** Messages whose sender's claim lapsed (it died) back to the queue; returns how many. */
  async requeueExpiredSending(now: string): Promise<number> {
    const result = await this.db
      .update(outbox)
      .set({ status: 'queued', claimExpiresAt: null, updatedAt: now })
      .where(and(eq(outbox.status, 'sending'), claimLapsed(outbox, now)));
    return result.rowCount ?? 0;
  }

  async get(id: string): Promise<OutboxRow | undefined> {
    const [row] = await this.db.select().from(outbox).where(eq(outbox.id, id));
    return row;
  }

  /** A message by Meta's id for it (the wamid its acceptance returned). */
  async byProviderMessageId(providerMessageId: string): Promise<OutboxRow | undefined> {
    const [row] = await this.db
      .select()
      .from(outbox)
      .where(eq(outbox.providerMessageId, providerMessageId))
      .limit(1);
    return row;
  }

  /** Newest first; `teams` keeps messages to contacts with a conversation in one of them (empty: none). */
  async list(filter: {
    recipient?: string;
    status?: string;
    limit?: number;
    teams?: readonly string[];
  }): Promise<OutboxRow[]> {
    return this.db
      .select()
      .from(outbox)
      .where(
        and(
          filter.recipient ? eq(outbox.recipient, filter.recipient) : undefined,
          filter.status ? eq(outbox.status, filter.status) : undefined,
          filter.teams ? inConversationsOf(filter.teams, outbox.channel, outbox.recipient) : undefined,
        ),
      )
      .orderBy(desc(outbox.createdAt), sql`${outbox.id} collate "C" desc`)
      .limit(Math.min(Math.max(filter.limit ?? 50, 1), 500));
  }

  async statuses(outboxId: string): Promise<OutboxStatusRow[]> {
    return this.db
      .select()
      .from(outboxStatuses)
      .where(eq(outboxStatuses.outboxId, outboxId))
      .orderBy(asc(outboxStatuses.id));
  }

  /** Changes a message the sender still holds (queued or sending); anything further along is kept. */
  private async transition(
    id: string,
    set: Partial<typeof outbox.$inferInsert>,
    at: string,
    source: string,
    error: OutboxError | null,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const changed = await tx
        .update(outbox)
        .set({ ...set, claimExpiresAt: null, updatedAt: at })
        .where(and(eq(outbox.id, id), inArray(outbox.status, [...UNSENT])));
      if ((changed.rowCount ?? 0) > 0) await history(tx, id, set.status ?? 'unknown', at, source, error);
    });
  }
}

/**
 * The row a status names only by its callback data (see the SQLite version): recorded as accepted if
 * it is still queued or sending. Locked first, so of two webhooks of one message racing here, the second
 * waits and then finds it already holding this wamid.
 */
async function reconcile(tx: Tx, args: StatusUpdate): Promise<OutboxRow | undefined> {
  if (!args.bizOpaqueCallbackData) return undefined;
  const [row] = await tx.select().from(outbox).where(eq(outbox.id, args.bizOpaqueCallbackData)).for('update');
  if (row?.providerMessageId === args.providerMessageId) return row;
  if (!row || !(UNSENT as readonly string[]).includes(row.status)) return undefined;
  const [accepted] = await tx
    .update(outbox)
    .set({
      status: 'accepted',
      providerMessageId: args.providerMessageId,
      lastError: null,
      nextAttemptAt: null,
      claimExpiresAt: null,
      updatedAt: args.at,
    })
    .where(eq(outbox.id, row.id))
    .returning();
  await history(tx, row.id, 'accepted', args.at, 'reconciled', null);
  return accepted;
}

/** The change a status webhook makes to `row`, or null when it changes nothing (same rules as SQLite). */
function nextStatus(
  row: OutboxRow,
  status: string,
  error: OutboxError | null,
): { status: string; lastError?: OutboxError | null } | null {
  const current = RANK[row.status] ?? -1;
  const incoming = RANK[status] ?? -1;
  if (status === 'failed') return current < DELIVERED ? { status: 'failed', lastError: error } : null;
  if (incoming > current && row.status !== 'failed') return { status };
  // Multi-device: after a failure, any delivery means a device got it.
  if (row.status === 'failed' && incoming >= DELIVERED) return { status };
  return null;
}

async function history(
  tx: Executor,
  outboxId: string,
  status: string,
  at: string,
  source: string,
  error: OutboxError | null,
): Promise<void> {
  await tx.insert(outboxStatuses).values({ outboxId, status, at, source, error });
}
