import { eq } from 'drizzle-orm';
import type { Db } from './connection.js';
import { outbox } from './schema.js';

export interface OutboxInput {
  id: string;
  /** The step's idempotency key (`runId:nodeId`): enqueueing it twice yields the first row. */
  idempotencyKey: string;
  runId?: string | null;
  nodeId?: string | null;
  channel: string;
  recipient: string;
  kind: string;
  payload: unknown;
  createdAt: string;
}

export type OutboxRow = typeof outbox.$inferSelect;

/** Outgoing messages. A step that re-runs after a crash finds its earlier row instead of sending again. */
export class OutboxRepository {
  constructor(private readonly db: Db) {}

  enqueue(input: OutboxInput): { row: OutboxRow; created: boolean } {
    return this.db.transaction(
      (tx) => {
        const result = tx
          .insert(outbox)
          .values({ ...input, payload: input.payload as object, updatedAt: input.createdAt })
          .onConflictDoNothing({ target: outbox.idempotencyKey })
          .run();
        const row = tx.select().from(outbox).where(eq(outbox.idempotencyKey, input.idempotencyKey)).get()!;
        return { row, created: result.changes > 0 };
      },
      { behavior: 'immediate' },
    );
  }

  byKey(idempotencyKey: string): OutboxRow | undefined {
    return this.db.select().from(outbox).where(eq(outbox.idempotencyKey, idempotencyKey)).get();
  }
}
