// Same behaviour as SQLite; `conversation` settles its cursor with a brief table lock (`settledMax`),
// and `setClockOffset` edits the json snapshot in JS under a row lock.
import type { RunStatus, RunSummary, StepError } from '@switchboard/flow-schema';
import { and, asc, desc, eq, gt, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { AsyncOf } from '../ports.js';
import type {
  ConversationCursor,
  SimulatorInbound,
  SimulatorMessage,
  SimulatorRepository,
  SimulatorSession,
} from '../simulator-repo.js';
import type { PgSession } from './connection.js';
import {
  inboundEvents,
  outbox,
  outboxStatuses,
  runs,
  simulatorMessages,
  simulatorSessions,
} from './schema.js';

type Conversation = Awaited<ReturnType<AsyncOf<SimulatorRepository>['conversation']>>;

/** Unfinished run statuses. */
const OPEN = ['queued', 'running', 'waiting'];
/** Runs whose snapshot no worker holds right now: only these get a new clock. */
const IDLE = ['queued', 'waiting'];
/** How many messages and runs one answer holds at most (the newest). */
const MAX_ITEMS = 500;
const MAX_RUNS = 50;
/** Outbox rows deleted per statement by a fresh start. */
const CHUNK = 500;

/** The editor's simulator on Postgres: see `SimulatorRepository`. */
export class PgSimulatorRepository implements AsyncOf<SimulatorRepository> {
  constructor(
    private readonly db: PgSession,
    /** The channel id of the simulator. */
    readonly channel: string,
  ) {}

  async session(waId: string): Promise<SimulatorSession | undefined> {
    const [row] = await this.db.select().from(simulatorSessions).where(eq(simulatorSessions.waId, waId));
    return row;
  }

  /** Records a simulated message before it is posted, and makes its flow the contact's flow under test. */
  async recordMessage(row: SimulatorMessage): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(simulatorMessages).values(row).onConflictDoNothing();
      await tx
        .insert(simulatorSessions)
        .values({ waId: row.waId, flowId: row.flowId, updatedAt: row.createdAt })
        .onConflictDoUpdate({
          target: simulatorSessions.waId,
          set: { flowId: row.flowId, updatedAt: row.createdAt },
        });
    });
  }

  async message(messageId: string): Promise<SimulatorMessage | undefined> {
    const [row] = await this.db
      .select()
      .from(simulatorMessages)
      .where(eq(simulatorMessages.messageId, messageId));
    return row;
  }

  /** True when the run belongs to the simulator (its trigger came in on the simulator channel). */
  async isSimulatorRun(runId: string): Promise<boolean> {
    const rows = await this.db
      .select({ hit: sql<number>`1` })
      .from(runs)
      .where(and(eq(runs.id, runId), this.onChannel()));
    return rows.length > 0;
  }

  /**
   * Gives idle runs (queued or waiting) a new clock override. The snapshot is `json`, which Postgres
   * can only edit through `jsonb` (that reorders keys and refuses \u0000 in strings), so the rows are
   * locked (`for update`, in id order so two callers cannot deadlock), edited here and written back.
   */
  async setClockOffset(runIds: readonly string[], offsetMs: number): Promise<number> {
    if (runIds.length === 0) return 0;
    const changed = await this.db.transaction(async (tx) => {
      const rows = await tx
        .select({ id: runs.id, state: runs.state })
        .from(runs)
        .where(and(inArray(runs.id, [...runIds]), inArray(runs.status, IDLE)))
        .orderBy(asc(runs.id))
        .for('update');
      for (const row of rows) {
        await tx
          .update(runs)
          .set({ state: withClockOffset(row.state, offsetMs) })
          .where(eq(runs.id, row.id));
      }
      return new Set(rows.map((r) => r.id));
    });
    // SQLite updates once per id given, so a repeated id counts again.
    return runIds.filter((id) => changed.has(id)).length;
  }

  /** The contact's unfinished simulator runs. */
  async openRuns(waId: string): Promise<string[]> {
    const rows = await this.db
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.contactId, waId), inArray(runs.status, OPEN), this.onChannel()));
    return rows.map((r) => r.id);
  }

  /**
   * A fresh start: forgets the contact's messages on the simulator channel (inbound events, outbox rows
   * and their statuses, simulated message records) and hides earlier runs from the conversation. Cancel
   * the open runs first (`openRuns`).
   */
  async forgetConversation(waId: string, at: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Outbox rows first (`returning` their ids): a status written for one of them meanwhile waits
      // on the deleted row, so none is left behind.
      const sent = await tx
        .delete(outbox)
        .where(and(eq(outbox.channel, this.channel), eq(outbox.recipient, waId)))
        .returning({ id: outbox.id });
      for (let i = 0; i < sent.length; i += CHUNK) {
        const chunk = sent.slice(i, i + CHUNK).map((r) => r.id);
        await tx.delete(outboxStatuses).where(inArray(outboxStatuses.outboxId, chunk));
      }
      await tx
        .delete(inboundEvents)
        .where(and(eq(inboundEvents.waId, waId), eq(inboundEvents.channelId, this.channel)));
      await tx.delete(simulatorMessages).where(eq(simulatorMessages.waId, waId));
      await tx
        .insert(simulatorSessions)
        .values({ waId, flowId: null, clearedAt: at, updatedAt: at })
        .onConflictDoUpdate({ target: simulatorSessions.waId, set: { clearedAt: at, updatedAt: at } });
    });
  }

  /**
   * One contact's conversation on the simulator channel: inbound messages and outgoing messages (oldest
   * first), the contact's simulator runs, and the cursor for the next poll. With `after`, only inbound
   * messages stored since and outgoing messages whose status changed since; runs are always all of
   * them (at most 50, since the last fresh start). The cursor is settled first, then everything is read
   * in one snapshot (repeatable read); inbound messages are bounded by the cursor, so none is skipped.
   */
  async conversation(waId: string, after?: ConversationCursor): Promise<Conversation> {
    const cursor: ConversationCursor = {
      event: await this.settledMax(inboundEvents, inboundEvents.id),
      status: await this.settledMax(outboxStatuses, outboxStatuses.id),
    };
    return this.db.transaction(
      async (tx) => {
        const inbound = await tx
          .select(this.inboundColumns())
          .from(inboundEvents)
          .where(
            this.inboundOf(
              waId,
              and(after ? gt(inboundEvents.id, after.event) : undefined, lte(inboundEvents.id, cursor.event)),
            ),
          )
          .orderBy(desc(inboundEvents.id))
          .limit(MAX_ITEMS);
        const changed = after
          ? inArray(
              outbox.id,
              tx
                .select({ id: outboxStatuses.outboxId })
                .from(outboxStatuses)
                .where(gt(outboxStatuses.id, after.status)),
            )
          : undefined;
        const outbound = await tx
          .select()
          .from(outbox)
          .where(and(eq(outbox.recipient, waId), eq(outbox.channel, this.channel), changed))
          .orderBy(desc(outbox.createdAt), sql`${outbox.id} collate "C" desc`)
          .limit(MAX_ITEMS);
        const [session] = await tx
          .select({ clearedAt: simulatorSessions.clearedAt })
          .from(simulatorSessions)
          .where(eq(simulatorSessions.waId, waId));
        const clearedAt = session?.clearedAt;
        const sessionRuns = await tx
          .select()
          .from(runs)
          .where(
            and(
              eq(runs.contactId, waId),
              clearedAt ? gt(runs.createdAt, new Date(clearedAt)) : undefined,
              this.onChannel(),
            ),
          )
          .orderBy(desc(runs.createdAt), sql`${runs.id} collate "C" desc`)
          .limit(MAX_RUNS);
        return {
          inbound: inbound.reverse(),
          outbound: outbound.reverse(),
          runs: sessionRuns.reverse().map(summary),
          cursor,
        };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
  }

  /**
   * Inbound messages by their wamids (the conversation shows a message again when the bot marks it
   * read).
   */
  async inboundByMessageIds(waId: string, messageIds: readonly string[]): Promise<SimulatorInbound[]> {
    if (messageIds.length === 0) return [];
    return this.db
      .select(this.inboundColumns())
      .from(inboundEvents)
      .where(this.inboundOf(waId, inArray(sql`${inboundEvents.normalized}->>'messageId'`, [...messageIds])))
      .orderBy(asc(inboundEvents.id));
  }

  /** Read receipts the bot sent for this contact: the inbound wamids marked read. */
  async markedRead(waId: string): Promise<string[]> {
    const rows = await this.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(
        and(
          eq(outbox.recipient, waId),
          eq(outbox.channel, this.channel),
          eq(outbox.kind, 'markRead'),
          inArray(outbox.status, ['accepted', 'sent', 'delivered', 'read']),
        ),
      );
    return rows.map((r) => String((r.payload as { messageId?: unknown }).messageId));
  }

  /**
   * The highest id of `table` such that no row with a lower id can still appear. SQLite commits its
   * autoincrement ids in order (one writer); Postgres does not: a transaction may take id 5, another
   * id 6 and commit first, so a cursor at 6 would skip 5 forever. A SHARE lock waits for every writer
   * of the table in flight (they hold ROW EXCLUSIVE from before taking an id until they commit) and
   * holds new ones back for the instant of one `max`; one table per transaction, so the lock is never
   * held while waiting for another (no deadlock with a writer of both tables).
   */
  private settledMax(table: PgTable, id: typeof inboundEvents.id | typeof outboxStatuses.id) {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`lock table ${table} in share mode`);
      const [row] = await tx
        .select({ max: sql<number>`coalesce(max(${id}), 0)`.mapWith(Number) })
        .from(table);
      return row?.max ?? 0;
    });
  }

  private inboundColumns() {
    return {
      eventId: inboundEvents.id,
      normalized: inboundEvents.normalized,
      receivedAt: inboundEvents.receivedAt,
    };
  }

  /** The simulator contact's received messages, narrowed by `also`. */
  private inboundOf(waId: string, also: SQL | undefined) {
    return and(
      eq(inboundEvents.waId, waId),
      eq(inboundEvents.channelId, this.channel),
      eq(inboundEvents.type, 'message.received'),
      also,
    );
  }

  /** Runs of the simulator are those whose trigger came in on its channel (child runs get it too). */
  private onChannel() {
    return sql`${runs.state}->'trigger'->>'channelId' = ${this.channel}`;
  }
}

/** `state` with `clockOffsetMs` set, like SQLite's `json_set` (an existing key keeps its place). */
function withClockOffset(state: unknown, offsetMs: number): unknown {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return state;
  return { ...state, clockOffsetMs: offsetMs };
}

/** A run row as the engine's summary, times as ISO-8601 UTC strings like the SQLite store's. */
function summary(row: typeof runs.$inferSelect): RunSummary {
  return {
    id: row.id,
    flowId: row.flowId,
    flowVersion: row.flowVersion,
    status: row.status as RunStatus,
    triggerNodeId: row.triggerNodeId,
    contactId: row.contactId,
    error: (row.error as StepError | null) ?? null,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    wakeAt: row.wakeAt?.toISOString() ?? null,
  };
}
