import {
  type AnyColumn,
  and,
  asc,
  desc,
  eq,
  inArray,
  isNull,
  lt,
  lte,
  notExists,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from './connection.js';
import { inConversationsOf } from './conversation-repo.js';
import { GroupCommit } from './group-commit.js';
import { outbox, outboxStatuses } from './schema.js';

export interface OutboxInput {
  id: string;
  /** The step's idempotency key (`runId:nodeId`): enqueueing it twice yields the first row. */
  idempotencyKey: string;
  runId?: string | null;
  nodeId?: string | null;
  channel: string;
  recipient: string;
  kind: string;
  category?: string | null;
  payload: unknown;
  createdAt: string;
}

export type OutboxRow = typeof outbox.$inferSelect;

/** How long a claim lasts by default: far longer than one Graph request (15 s timeout) takes. */
export const DEFAULT_SEND_LEASE_MS = 60_000;

/** What a sender may still change: a message not yet accepted (once accepted, webhooks move it on). */
export const UNSENT = ['queued', 'sending'] as const;

/** The arguments of a status webhook for `applyStatus`. */
export interface StatusUpdate {
  providerMessageId: string;
  status: string;
  at: string;
  error: OutboxError | null;
  /** Echoed by Meta from the send: the outbox id, to recognise a message whose acceptance was never recorded. */
  bizOpaqueCallbackData?: string | null | undefined;
}
export type OutboxStatusRow = typeof outboxStatuses.$inferSelect;
export interface OutboxError {
  code: number | string | null;
  message: string;
  details?: string | null;
}

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

/** Outgoing messages and their status history. A step re-run after a crash finds its row instead of sending again. */
export class OutboxRepository {
  // Every flow send passes enqueue → claimDue → markAccepted: those statements are prepared once.
  private readonly insertRow;
  private readonly byKey;
  private readonly insertHistory;
  private readonly selectDue;
  private readonly setSending;
  private readonly setDeferred;
  private readonly setAccepted;
  private readonly enqueueRows: (input: OutboxInput) => { row: OutboxRow; created: boolean };
  private readonly enqueueTx;
  private readonly claimTx;
  private readonly acceptRows;
  /** Acceptances of concurrent sends share one commit. */
  private readonly group: GroupCommit;

  constructor(private readonly db: Db) {
    const c = db.$client;
    this.group = GroupCommit.of(c);
    this.insertRow = c.prepare(
      `insert into outbox (id, idempotency_key, run_id, node_id, channel, recipient, kind, category, payload,
         status, attempts, created_at, updated_at)
       values (@id, @idempotencyKey, @runId, @nodeId, @channel, @recipient, @kind, @category, @payload,
         'queued', 0, @createdAt, @createdAt)
       on conflict (idempotency_key) do nothing`,
    );
    this.byKey = db
      .select()
      .from(outbox)
      .where(eq(outbox.idempotencyKey, sql.placeholder('key')))
      .prepare();
    this.insertHistory = c.prepare(
      'insert into outbox_statuses (outbox_id, status, at, source, error) values (?, ?, ?, ?, ?)',
    );
    const other = alias(outbox, 'other');
    this.selectDue = db
      .select()
      .from(outbox)
      .where(
        and(
          eq(outbox.status, 'queued'),
          or(isNull(outbox.nextAttemptAt), lte(outbox.nextAttemptAt, sql.placeholder('now'))),
          notExists(
            db
              .select({ one: sql`1` })
              .from(other)
              .where(
                and(
                  eq(other.channel, outbox.channel),
                  eq(other.recipient, outbox.recipient),
                  aheadInLine(other, outbox),
                ),
              ),
          ),
        ),
      )
      .orderBy(asc(outbox.createdAt), asc(outbox.id))
      .limit(sql.placeholder('limit'))
      .prepare();
    this.setSending = c.prepare(
      "update outbox set status = 'sending', attempts = attempts + 1, claim_expires_at = ?, updated_at = ? where id = ?",
    );
    this.setDeferred = c.prepare(
      "update outbox set status = 'queued', next_attempt_at = ?, claim_expires_at = null, attempts = max(0, attempts - 1) where id = ? and status = 'sending'",
    );
    // A message a status webhook already reconciled (see applyStatus) keeps its progress and wamid.
    this.setAccepted = c.prepare(
      `update outbox set
         status = case when status in ('queued', 'sending') then 'accepted' else status end,
         provider_message_id = case when status in ('queued', 'sending') or provider_message_id is null
           then @providerMessageId else provider_message_id end,
         last_error = case when status in ('queued', 'sending') then null else last_error end,
         next_attempt_at = case when status in ('queued', 'sending') then null else next_attempt_at end,
         updated_at = case when status in ('queued', 'sending') then @at else updated_at end,
         claim_expires_at = null
       where id = @id`,
    );
    this.enqueueRows = (input: OutboxInput) => {
      const created =
        this.insertRow.run({
          runId: null,
          nodeId: null,
          category: null,
          ...input,
          payload: JSON.stringify(input.payload),
        }).changes > 0;
      const row = this.byKey.get({ key: input.idempotencyKey })!;
      if (created) this.insertHistory.run(row.id, 'queued', input.createdAt, 'api', null);
      return { row, created };
    };
    this.enqueueTx = c.transaction(this.enqueueRows);
    this.claimTx = c.transaction((now: string, limit: number, leaseMs: number): OutboxRow[] => {
      const rows = this.selectDue.all({ now, limit });
      const claimExpiresAt = new Date(Date.parse(now) + leaseMs).toISOString();
      for (const row of rows) this.setSending.run(claimExpiresAt, now, row.id);
      return rows.map((r) => ({
        ...r,
        status: 'sending',
        attempts: r.attempts + 1,
        claimExpiresAt,
        updatedAt: now,
      }));
    });
    this.acceptRows = (id: string, providerMessageId: string | null, at: string) => {
      this.setAccepted.run({ providerMessageId, at, id });
      this.insertHistory.run(id, 'accepted', at, 'api', null);
    };
  }

  enqueue(input: OutboxInput): { row: OutboxRow; created: boolean } {
    // Inside a caller's transaction (a group commit of node sends), no savepoint of its own is needed.
    return this.db.$client.inTransaction ? this.enqueueRows(input) : this.enqueueTx.immediate(input);
  }

  /**
   * Takes up to `limit` due messages for sending (oldest first) and marks them `sending` under a claim
   * that lapses `leaseMs` after `now` (see `requeueExpiredSending`). Per recipient (channel and number)
   * only the oldest unsent message can be taken, and none while another is `sending`: a contact gets
   * its messages one at a time, in order. A message waiting for its pacing slot or its retry holds back
   * the younger ones behind it.
   */
  claimDue(now: string, limit: number, leaseMs: number = DEFAULT_SEND_LEASE_MS): OutboxRow[] {
    return limit > 0 ? this.claimTx.immediate(now, limit, leaseMs) : [];
  }

  /** Puts a claimed message back, untouched, to be taken again after `at` (pacing, not a failure). */
  defer(id: string, at: string): void {
    this.setDeferred.run(at, id);
  }

  /**
   * Records Meta's acceptance (the wamid that later status webhooks name). Sends answered in the same
   * turn share one commit; the promise settles once it is durable.
   */
  markAccepted(id: string, providerMessageId: string | null, at: string): Promise<void> {
    return this.group.add(() => this.acceptRows(id, providerMessageId, at));
  }

  // The sender's outcomes apply only to a message not yet accepted: a status webhook may have
  // reconciled it while Graph's answer was lost, and resending it would duplicate it.
  scheduleRetry(id: string, nextAttemptAt: string, error: OutboxError, at: string): void {
    this.transition(id, { status: 'queued', nextAttemptAt, lastError: error }, at, 'retry', error);
  }

  markFailed(id: string, error: OutboxError, at: string): void {
    this.transition(id, { status: 'failed', lastError: error, nextAttemptAt: null }, at, 'api', error);
  }

  markRefused(id: string, error: OutboxError, at: string): void {
    this.transition(id, { status: 'refused', lastError: error, nextAttemptAt: null }, at, 'policy', error);
  }

  /**
   * Applies a status webhook: progress only moves forward (a late `delivered` after `read` changes
   * nothing); `failed` is kept as the outcome unless the message already reached a device. Every status is
   * added to the history either way. A status whose wamid no row holds yet, but whose callback data names
   * a message still queued or sending, is Meta's word that the message was accepted (its sender died or
   * lost the answer): it is recorded as accepted first, so it is never sent again.
   */
  applyStatus(args: StatusUpdate): OutboxRow | undefined {
    return this.db.transaction(
      (tx) => {
        const row =
          tx.select().from(outbox).where(eq(outbox.providerMessageId, args.providerMessageId)).get() ??
          this.reconcile(tx, args);
        if (!row) return undefined;
        const current = RANK[row.status] ?? -1;
        const set =
          args.status === 'failed'
            ? current < RANK.delivered!
              ? { status: 'failed', lastError: args.error }
              : {}
            : (RANK[args.status] ?? -1) > current && row.status !== 'failed'
              ? { status: args.status }
              : row.status === 'failed' && (RANK[args.status] ?? -1) >= RANK.delivered!
                ? { status: args.status } // multi-device: any delivery means a device got it
                : {};
        if (Object.keys(set).length > 0)
          tx.update(outbox)
            .set({ ...set, updatedAt: args.at })
            .where(eq(outbox.id, row.id))
            .run();
        this.history(tx, row.id, args.status, args.at, 'webhook', args.error);
        return tx.select().from(outbox).where(eq(outbox.id, row.id)).get();
      },
      { behavior: 'immediate' },
    );
  }

  /** A dead-lettered (failed) message back into the queue, by hand. */
  retryNow(id: string, at: string): OutboxRow | undefined {
    const row = this.get(id);
    if (row?.status !== 'failed') return undefined;
    this.transition(id, { status: 'queued', nextAttemptAt: at, attempts: 0 }, at, 'manual', null, ['failed']);
    return this.get(id);
  }

  /**
   * After a crash of the one process (embedded mode): every message caught mid-send goes back to the
   * queue (Meta offers no idempotent send). With `resendAt`, not sent again before then: a message
   * Meta did take is reported by its `sent` status (carrying our id) meanwhile, which reconciles it
   * instead of sending it a second time.
   */
  requeueSending(at: string, resendAt?: string): number {
    return this.db
      .update(outbox)
      .set({
        status: 'queued',
        claimExpiresAt: null,
        updatedAt: at,
        ...(resendAt ? { nextAttemptAt: resendAt } : {}),
      })
      .where(eq(outbox.status, 'sending'))
      .run().changes;
  }

  /**
   * Messages whose sender stopped renewing nothing for its whole claim (it died) go back to the queue;
   * returns how many. A claim from before claims had an end lapses `DEFAULT_SEND_LEASE_MS` after it
   * was taken.
   */
  requeueExpiredSending(now: string): number {
    return this.db
      .update(outbox)
      .set({ status: 'queued', claimExpiresAt: null, updatedAt: now })
      .where(and(eq(outbox.status, 'sending'), claimLapsed(outbox, now)))
      .run().changes;
  }

  get(id: string): OutboxRow | undefined {
    return this.db.select().from(outbox).where(eq(outbox.id, id)).get();
  }

  /** A message by Meta's id for it (the wamid its acceptance returned). */
  byProviderMessageId(providerMessageId: string): OutboxRow | undefined {
    return this.db.select().from(outbox).where(eq(outbox.providerMessageId, providerMessageId)).get();
  }

  /** Newest first; `teams` keeps messages to contacts with a conversation in one of them (empty: none). */
  list(filter: {
    recipient?: string;
    status?: string;
    limit?: number;
    teams?: readonly string[];
  }): OutboxRow[] {
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
      .orderBy(desc(outbox.createdAt), desc(outbox.id))
      .limit(Math.min(Math.max(filter.limit ?? 50, 1), 500))
      .all();
  }

  statuses(outboxId: string): OutboxStatusRow[] {
    return this.db
      .select()
      .from(outboxStatuses)
      .where(eq(outboxStatuses.outboxId, outboxId))
      .orderBy(asc(outboxStatuses.id))
      .all();
  }

  /** The row a status names only by its callback data, once recorded as accepted; see `applyStatus`. */
  private reconcile(tx: Pick<Db, 'update' | 'insert'>, args: StatusUpdate): OutboxRow | undefined {
    if (!args.bizOpaqueCallbackData) return undefined;
    const changed = tx
      .update(outbox)
      .set({
        status: 'accepted',
        providerMessageId: args.providerMessageId,
        lastError: null,
        nextAttemptAt: null,
        claimExpiresAt: null,
        updatedAt: args.at,
      })
      .where(and(eq(outbox.id, args.bizOpaqueCallbackData), inArray(outbox.status, [...UNSENT])))
      .returning()
      .get();
    if (changed) this.history(tx, changed.id, 'accepted', args.at, 'reconciled', null);
    return changed;
  }

  /** Changes a message in one of `from` (by default one the sender still holds); others are kept. */
  private transition(
    id: string,
    set: Partial<typeof outbox.$inferInsert>,
    at: string,
    source: string,
    error: OutboxError | null,
    from: readonly string[] = UNSENT,
  ) {
    this.db.transaction(
      (tx) => {
        const changed = tx
          .update(outbox)
          .set({ ...set, claimExpiresAt: null, updatedAt: at })
          .where(and(eq(outbox.id, id), inArray(outbox.status, [...from])))
          .run().changes;
        if (changed > 0) this.history(tx, id, set.status ?? 'unknown', at, source, error);
      },
      { behavior: 'immediate' },
    );
  }

  private history(
    tx: Pick<Db, 'insert'>,
    outboxId: string,
    status: string,
    at: string,
    source: string,
    error: OutboxError | null,
  ) {
    tx.insert(outboxStatuses).values({ outboxId, status, at, source, error }).run();
  }
}

/** The outbox columns the claim conditions read, in either dialect (or an alias of the table). */
type OutboxColumns = Record<'status' | 'createdAt' | 'id' | 'claimExpiresAt' | 'updatedAt', AnyColumn>;

/**
 * `other` keeps `row` waiting: it is being sent (claim lapsed or not: a lapsed one goes back to the
 * queue first, and must still go first), or it is queued and older (even while it waits for a later
 * time: pacing or a retry).
 */
export function aheadInLine(
  other: OutboxColumns,
  row: OutboxColumns,
  idBefore: (a: AnyColumn, b: AnyColumn) => SQL = lt,
) {
  return or(
    eq(other.status, 'sending'),
    and(
      eq(other.status, 'queued'),
      or(
        lt(other.createdAt, row.createdAt),
        and(eq(other.createdAt, row.createdAt), idBefore(other.id, row.id)),
      ),
    ),
  );
}

/** A `sending` row's claim has lapsed at `now` (claims taken before they had an end: by their age). */
export function claimLapsed(row: OutboxColumns, now: string) {
  const legacyCutoff = new Date(Date.parse(now) - DEFAULT_SEND_LEASE_MS).toISOString();
  return or(lte(row.claimExpiresAt, now), and(isNull(row.claimExpiresAt), lte(row.updatedAt, legacyCutoff)));
}
