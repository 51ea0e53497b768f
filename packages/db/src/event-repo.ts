import { and, asc, desc, eq, lt, or } from 'drizzle-orm';
import type { Db } from './connection.js';
import { inboundEvents, webhookDeliveries } from './schema.js';

export interface DeliveryInput {
  id: string;
  provider: string;
  channelId: string | null;
  rawBody: Buffer;
  receivedAt: string;
}

export interface EventInput {
  id: string;
  /** Unique per real-world event: a re-delivery carries the same key. */
  providerEventId: string;
  type: string;
  channelId: string | null;
  waId: string | null;
  normalized: unknown;
  occurredAt: string;
}

export type StoredEvent = typeof inboundEvents.$inferSelect;

/** Webhook bodies and the events in them, stored before the request is acknowledged. */
export class EventRepository {
  private readonly insertEvent;

  constructor(private readonly db: Db) {
    this.insertEvent = db.$client.prepare(
      `insert into inbound_events (id, provider, provider_event_id, delivery_id, type, channel_id, wa_id, normalized,
         status, occurred_at, received_at)
       values (@id, @provider, @providerEventId, @deliveryId, @type, @channelId, @waId, @normalized, 'pending',
         @occurredAt, @receivedAt)
       on conflict (provider, provider_event_id) do nothing`,
    );
  }

  /**
   * Stores one delivery (the raw body) and its events in one transaction; events whose key was seen
   * before are skipped. Returns the keys that were new and those that were re-deliveries.
   */
  storeDelivery(delivery: DeliveryInput, events: EventInput[]): { inserted: string[]; duplicates: string[] } {
    const run = this.db.$client.transaction(() => {
      const inserted: string[] = [];
      const duplicates: string[] = [];
      for (const e of events) {
        const result = this.insertEvent.run({
          ...e,
          provider: delivery.provider,
          deliveryId: delivery.id,
          normalized: JSON.stringify(e.normalized),
          receivedAt: delivery.receivedAt,
        });
        (result.changes > 0 ? inserted : duplicates).push(e.providerEventId);
      }
      this.db
        .insert(webhookDeliveries)
        .values({ ...delivery, eventCount: inserted.length, duplicateCount: duplicates.length })
        .run();
      return { inserted, duplicates };
    });
    return run.immediate();
  }

  /** Events not yet processed, oldest first (per-contact order follows arrival order). */
  pending(limit = 100): StoredEvent[] {
    return this.db
      .select()
      .from(inboundEvents)
      .where(eq(inboundEvents.status, 'pending'))
      .orderBy(asc(inboundEvents.receivedAt), asc(inboundEvents.id))
      .limit(limit)
      .all();
  }

  markProcessed(id: string, at: string, error?: string): void {
    this.db
      .update(inboundEvents)
      .set({ status: error ? 'failed' : 'processed', processedAt: at, error: error ?? null })
      .where(eq(inboundEvents.id, id))
      .run();
  }

  /** Newest first, keyset-paginated by (receivedAt, id). */
  list(filter: {
    type?: string;
    waId?: string;
    limit?: number;
    before?: { receivedAt: string; id: string };
  }): StoredEvent[] {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
    return this.db
      .select()
      .from(inboundEvents)
      .where(
        and(
          filter.type ? eq(inboundEvents.type, filter.type) : undefined,
          filter.waId ? eq(inboundEvents.waId, filter.waId) : undefined,
          filter.before
            ? or(
                lt(inboundEvents.receivedAt, filter.before.receivedAt),
                and(
                  eq(inboundEvents.receivedAt, filter.before.receivedAt),
                  lt(inboundEvents.id, filter.before.id),
                ),
              )
            : undefined,
        ),
      )
      .orderBy(desc(inboundEvents.receivedAt), desc(inboundEvents.id))
      .limit(limit)
      .all();
  }

  deliveryCount(): number {
    return this.db.$client.prepare<[], { n: number }>('select count(*) as n from webhook_deliveries').get()!
      .n;
  }
}
