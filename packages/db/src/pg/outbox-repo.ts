// Differs from SQLite only in mechanism: no group commit (each acceptance is its own transaction), and
// claims and status changes lock their rows (`for update`, `skip locked` for claims) instead of relying
// on a single writer.
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type {
  OutboxError,
  OutboxInput,
  OutboxRepository,
  OutboxRow,
  OutboxStatusRow,
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
   * Takes up to `limit` due messages (oldest first) and marks them `sending` in the same transaction;
   * rows another process is claiming are skipped, so no message is handed out twice.
   */
  async claimDue(now: string, limit: number): Promise<OutboxRow[]> {
    if (limit <= 0) return [];
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(outbox)
        .where(
          and(eq(outbox.status, 'queued'), or(isNull(outbox.nextAttemptAt), lte(outbox.nextAttemptAt, now))),
        )
        .orderBy(asc(outbox.createdAt), sql`${outbox.id} collate "C"`)
        .limit(limit)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return [];
      await tx
        .update(outbox)
        .set({ status: 'sending', attempts: sql`${outbox.attempts} + 1`, updatedAt: now })
        .where(
          inArray(
            outbox.id,
            rows.map((r) => r.id),
          ),
        );
      return rows.map((r) => ({ ...r, status: 'sending', attempts: r.attempts + 1, updatedAt: now }));
    });
  }

  /** Puts a claimed message back, untouched, to be taken again after `at` (pacing, not a failure). */
  async defer(id: string, at: string): Promise<void> {
    await this.db
      .update(outbox)
      .set({ status: 'queued', nextAttemptAt: at, attempts: sql`greatest(0, ${outbox.attempts} - 1)` })
      .where(and(eq(outbox.id, id), eq(outbox.status, 'sending')));
  }

  /** Records Meta's acceptance; the promise settles once it is committed. */
  async markAccepted(id: string, providerMessageId: string | null, at: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .update(outbox)
        .set({ status: 'accepted', providerMessageId, lastError: null, nextAttemptAt: null, updatedAt: at })
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
  async applyStatus(args: {
    providerMessageId: string;
    status: string;
    at: string;
    error: OutboxError | null;
  }): Promise<OutboxRow | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(outbox)
        .where(eq(outbox.providerMessageId, args.providerMessageId))
        .limit(1)
        .for('update');
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

  /** After a crash: messages caught mid-send go back to the queue (Meta offers no idempotent send). */
  async requeueSending(at: string): Promise<number> {
    const result = await this.db
      .update(outbox)
      .set({ status: 'queued', updatedAt: at })
      .where(eq(outbox.status, 'sending'));
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

  private async transition(
    id: string,
    set: Partial<typeof outbox.$inferInsert>,
    at: string,
    source: string,
    error: OutboxError | null,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .update(outbox)
        .set({ ...set, updatedAt: at })
        .where(eq(outbox.id, id));
      await history(tx, id, set.status ?? 'unknown', at, source, error);
    });
  }
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
