import type { RunSummary } from '@switchboard/flow-schema';
import { and, asc, desc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import type { OutboxRow } from './outbox-repo.js';
import { summary } from './run-store.js';
import {
  inboundEvents,
  outbox,
  outboxStatuses,
  runs,
  simulatorMessages,
  simulatorSessions,
} from './schema.js';

export type SimulatorSession = typeof simulatorSessions.$inferSelect;
export type SimulatorMessage = typeof simulatorMessages.$inferSelect;

/** An inbound message of a simulated conversation, as stored by the ingress. */
export interface SimulatorInbound {
  eventId: number;
  normalized: unknown;
  receivedAt: string;
}

/**
 * Where a conversation poll left off: the last inbound event and the last outbox status change seen.
 * Both are autoincrement ids, and SQLite has one writer at a time, so they are committed in order and
 * nothing can appear behind a cursor.
 */
export interface ConversationCursor {
  event: number;
  status: number;
}

/** Unfinished run statuses. */
const OPEN = ['queued', 'running', 'waiting'];
/** How many messages and runs one answer holds at most (the newest). */
const MAX_ITEMS = 500;
const MAX_RUNS = 50;

/**
 * The editor's simulator: sessions (which flow a test contact is trying), the flow and clock of each
 * simulated message, and reads over one contact's conversation on the simulator channel.
 */
export class SimulatorRepository {
  private readonly isSimulated;
  private readonly setOffset;

  constructor(
    private readonly db: Db,
    /** The channel id of the simulator. */
    readonly channel: string,
  ) {
    // Runs of the simulator are those whose trigger came in on its channel (its child runs get the same
    // channel): read per node send, so prepared once.
    this.isSimulated = db.$client.prepare<[string, string], { hit: number }>(
      "select 1 as hit from runs where id = ? and json_extract(state, '$.trigger.channelId') = ?",
    );
    this.setOffset = db.$client.prepare(
      "update runs set state = json_set(state, '$.clockOffsetMs', ?) where id = ? and status in ('queued', 'waiting')",
    );
  }

  session(waId: string): SimulatorSession | undefined {
    return this.db.select().from(simulatorSessions).where(eq(simulatorSessions.waId, waId)).get();
  }

  /** Records a simulated message before it is posted, and makes its flow the contact's flow under test. */
  recordMessage(row: SimulatorMessage): void {
    this.db.transaction(
      (tx) => {
        tx.insert(simulatorMessages).values(row).onConflictDoNothing().run();
        tx.insert(simulatorSessions)
          .values({ waId: row.waId, flowId: row.flowId, updatedAt: row.createdAt })
          .onConflictDoUpdate({
            target: simulatorSessions.waId,
            set: { flowId: row.flowId, updatedAt: row.createdAt },
          })
          .run();
      },
      { behavior: 'immediate' },
    );
  }

  message(messageId: string): SimulatorMessage | undefined {
    return this.db.select().from(simulatorMessages).where(eq(simulatorMessages.messageId, messageId)).get();
  }

  /** True when the run belongs to the simulator (its trigger came in on the simulator channel). */
  isSimulatorRun(runId: string): boolean {
    return this.isSimulated.get(runId, this.channel) !== undefined;
  }

  /**
   * Gives runs a new clock override (the engine's `RunState.clockOffsetMs`). Only runs that are not
   * being driven right now (queued or waiting, so no worker holds their snapshot) are changed: call it
   * in the transaction that wakes them.
   */
  setClockOffset(runIds: readonly string[], offsetMs: number): number {
    let changed = 0;
    for (const id of runIds) changed += this.setOffset.run(offsetMs, id).changes;
    return changed;
  }

  /** The contact's unfinished simulator runs. */
  openRuns(waId: string): string[] {
    return this.db
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.contactId, waId), inArray(runs.status, OPEN), this.onChannel()))
      .all()
      .map((r) => r.id);
  }

  /**
   * A fresh start: forgets the contact's messages on the simulator channel (inbound events, outbox rows
   * and their statuses, simulated message records) and hides earlier runs from the conversation. Cancel
   * the open runs first (`openRuns`).
   */
  forgetConversation(waId: string, at: string): void {
    this.db.transaction(
      (tx) => {
        const sent = tx
          .select({ id: outbox.id })
          .from(outbox)
          .where(and(eq(outbox.channel, this.channel), eq(outbox.recipient, waId)))
          .all()
          .map((r) => r.id);
        for (let i = 0; i < sent.length; i += 500) {
          const chunk = sent.slice(i, i + 500);
          tx.delete(outboxStatuses).where(inArray(outboxStatuses.outboxId, chunk)).run();
          tx.delete(outbox).where(inArray(outbox.id, chunk)).run();
        }
        tx.delete(inboundEvents)
          .where(and(eq(inboundEvents.waId, waId), eq(inboundEvents.channelId, this.channel)))
          .run();
        tx.delete(simulatorMessages).where(eq(simulatorMessages.waId, waId)).run();
        tx.insert(simulatorSessions)
          .values({ waId, flowId: null, clearedAt: at, updatedAt: at })
          .onConflictDoUpdate({ target: simulatorSessions.waId, set: { clearedAt: at, updatedAt: at } })
          .run();
      },
      { behavior: 'immediate' },
    );
  }

  /**
   * One contact's conversation on the simulator channel, in one read snapshot: inbound messages and
   * outgoing messages (oldest first), the contact's simulator runs, and the cursor for the next poll.
   * With `after`, only inbound messages stored since and outgoing messages whose status changed since
   * (each is a cheap range read on an autoincrement id); runs are always all of them (at most 50,
   * since the last fresh start).
   */
  conversation(
    waId: string,
    after?: ConversationCursor,
  ): {
    inbound: SimulatorInbound[];
    outbound: OutboxRow[];
    runs: RunSummary[];
    cursor: ConversationCursor;
  } {
    return this.db.$client.transaction(() => {
      const cursor: ConversationCursor = {
        event:
          this.db
            .select({ max: sql<number | null>`max(${inboundEvents.id})` })
            .from(inboundEvents)
            .get()?.max ?? 0,
        status:
          this.db
            .select({ max: sql<number | null>`max(${outboxStatuses.id})` })
            .from(outboxStatuses)
            .get()?.max ?? 0,
      };
      const inbound = this.inbound(waId, after ? gt(inboundEvents.id, after.event) : undefined)
        .orderBy(desc(inboundEvents.id))
        .limit(MAX_ITEMS)
        .all()
        .reverse();
      const changed = after
        ? inArray(
            outbox.id,
            this.db
              .select({ id: outboxStatuses.outboxId })
              .from(outboxStatuses)
              .where(gt(outboxStatuses.id, after.status)),
          )
        : undefined;
      const outbound = this.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.recipient, waId), eq(outbox.channel, this.channel), changed))
        .orderBy(desc(outbox.createdAt), desc(outbox.id))
        .limit(MAX_ITEMS)
        .all()
        .reverse();
      const clearedAt = this.session(waId)?.clearedAt;
      const sessionRuns = this.db
        .select()
        .from(runs)
        .where(
          and(
            eq(runs.contactId, waId),
            clearedAt ? gt(runs.createdAt, clearedAt) : undefined,
            this.onChannel(),
          ),
        )
        .orderBy(desc(runs.createdAt), desc(runs.id))
        .limit(MAX_RUNS)
        .all()
        .reverse()
        .map(summary);
      return { inbound, outbound, runs: sessionRuns, cursor };
    })();
  }

  /**
   * Inbound messages by their wamids (the conversation shows a message again when the bot marks it
   * read).
   */
  inboundByMessageIds(waId: string, messageIds: readonly string[]): SimulatorInbound[] {
    if (messageIds.length === 0) return [];
    return this.inbound(
      waId,
      inArray(sql`json_extract(${inboundEvents.normalized}, '$.messageId')`, [...messageIds]),
    )
      .orderBy(asc(inboundEvents.id))
      .all();
  }

  /** The simulator contact's received messages, narrowed by `also`. */
  private inbound(waId: string, also: SQL | undefined) {
    return this.db
      .select({
        eventId: inboundEvents.id,
        normalized: inboundEvents.normalized,
        receivedAt: inboundEvents.receivedAt,
      })
      .from(inboundEvents)
      .where(
        and(
          eq(inboundEvents.waId, waId),
          eq(inboundEvents.channelId, this.channel),
          eq(inboundEvents.type, 'message.received'),
          also,
        ),
      );
  }

  /** Read receipts the bot sent for this contact: the inbound wamids marked read. */
  markedRead(waId: string): string[] {
    return this.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(
        and(
          eq(outbox.recipient, waId),
          eq(outbox.channel, this.channel),
          eq(outbox.kind, 'markRead'),
          inArray(outbox.status, ['accepted', 'sent', 'delivered', 'read']),
        ),
      )
      .all()
      .map((r) => String((r.payload as { messageId?: unknown }).messageId));
  }

  private onChannel() {
    return sql`json_extract(${runs.state}, '$.trigger.channelId') = ${this.channel}`;
  }
}
