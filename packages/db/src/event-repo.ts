import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './connection.js';
import { inboundEvents } from './schema.js';

export interface InboundEventInput {
  id: string;
  provider: string;
  /** The provider's own id for the event; a second event with the same id is a re-delivery. */
  providerEventId: string;
  rawBody: Buffer;
  normalized?: unknown;
  receivedAt: string;
}

/** Inbound webhook events, stored before the request is acknowledged. */
export class EventRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores the events of one request in one transaction. Returns which were new; re-deliveries
   * (same provider and event id) are skipped, not errors.
   */
  insertMany(events: InboundEventInput[]): { inserted: string[]; duplicates: string[] } {
    return this.db.transaction(
      (tx) => {
        const inserted: string[] = [];
        const duplicates: string[] = [];
        for (const e of events) {
          const result = tx
            .insert(inboundEvents)
            .values({ ...e, normalized: (e.normalized ?? null) as object })
            .onConflictDoNothing({ target: [inboundEvents.provider, inboundEvents.providerEventId] })
            .run();
          (result.changes > 0 ? inserted : duplicates).push(e.providerEventId);
        }
        return { inserted, duplicates };
      },
      { behavior: 'immediate' },
    );
  }

  pending(limit = 100) {
    return this.db
      .select()
      .from(inboundEvents)
      .where(eq(inboundEvents.status, 'pending'))
      .orderBy(asc(inboundEvents.receivedAt))
      .limit(limit)
      .all();
  }

  markProcessed(id: string, at: string, error?: string): void {
    this.db
      .update(inboundEvents)
      .set({ status: error ? 'failed' : 'processed', processedAt: at, error: error ?? null })
      .where(and(eq(inboundEvents.id, id), eq(inboundEvents.status, 'pending')))
      .run();
  }
}
