import { and, asc, desc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import { inboundEvents } from './schema.js';

export interface DeliveryInput {
  provider: string;
  channelId: string | null;
  rawBody: Buffer;
  receivedAt: string;
}

export interface EventInput {
  /** Unique per real-world event: a re-delivery carries the same key. */
  providerEventId: string;
  type: string;
  channelId: string | null;
  waId: string | null;
  normalized: unknown;
  occurredAt: string;
}

export type StoredEvent = typeof inboundEvents.$inferSelect;
export interface StoreResult {
  inserted: string[];
  duplicates: string[];
}

/** Webhook bodies and the events in them, stored before the request is acknowledged. */
export class EventRepository {
  // Ingest and dispatch run per request and per event: their statements are prepared once.
  private readonly insertEvent;
  private readonly insertDelivery;
  private readonly setProcessed;
  private readonly setAllProcessed;
  private readonly selectPending;
  private readonly storeMany;

  constructor(private readonly db: Db) {
    this.insertDelivery = db.$client.prepare(
      `insert into webhook_deliveries (provider, channel_id, raw_body, received_at)
       values (@provider, @channelId, @rawBody, @receivedAt)`,
    );
    this.setAllProcessed = db.$client.prepare(
      "update inbound_events set status = 'processed', processed_at = ? where id in (select value from json_each(?))",
    );
    this.setProcessed = db.$client.prepare(
      'update inbound_events set status = @status, processed_at = @at, error = @error where id = @id',
    );
    this.selectPending = db
      .select()
      .from(inboundEvents)
      .where(eq(inboundEvents.status, 'pending'))
      .orderBy(asc(inboundEvents.id))
      .limit(sql.placeholder('limit'))
      .prepare();
    this.insertEvent = db.$client.prepare(
      `insert into inbound_events (provider, provider_event_id, delivery_id, type, channel_id, wa_id, normalized,
         status, occurred_at, received_at)
       values (@provider, @providerEventId, @deliveryId, @type, @channelId, @waId, @normalized, 'pending',
         @occurredAt, @receivedAt)
       on conflict (provider, provider_event_id) do nothing`,
    );
    this.storeMany = db.$client.transaction(
      (items: Array<{ delivery: DeliveryInput; events: EventInput[] }>) =>
        items.map(({ delivery, events }) => {
          const inserted: string[] = [];
          const duplicates: string[] = [];
          const deliveryId = this.insertDelivery.run(delivery).lastInsertRowid;
          for (const e of events) {
            const result = this.insertEvent.run({
              ...e,
              provider: delivery.provider,
              deliveryId,
              normalized: JSON.stringify(e.normalized),
              receivedAt: delivery.receivedAt,
            });
            (result.changes > 0 ? inserted : duplicates).push(e.providerEventId);
          }
          return { inserted, duplicates };
        }),
    );
  }

  /**
   * Stores one delivery (the raw body) and its events in one transaction; events whose key was seen
   * before are skipped. Returns the keys that were new and those that were re-deliveries.
   */
  storeDelivery(delivery: DeliveryInput, events: EventInput[]): StoreResult {
    return this.storeDeliveries([{ delivery, events }])[0]!;
  }

  /**
   * Stores several deliveries in one transaction (group commit: concurrent webhook requests share one
   * commit), each with its own result. A key repeated inside the batch counts as a duplicate after its first.
   */
  storeDeliveries(items: Array<{ delivery: DeliveryInput; events: EventInput[] }>): StoreResult[] {
    return this.storeMany.immediate(items);
  }

  /**
   * Events not yet processed, oldest first (per-contact order follows arrival order). `minAgeMs` leaves
   * out events received more recently (the sweep behind a job queue takes only what no job took).
   */
  pending(limit = 100, options: { minAgeMs?: number; now?: Date } = {}): StoredEvent[] {
    const rows = this.selectPending.all({ limit });
    if (!options.minAgeMs) return rows;
    const before = new Date((options.now ?? new Date()).getTime() - options.minAgeMs).toISOString();
    return rows.filter((r) => r.receivedAt <= before);
  }

  /**
   * Of `ids`, those still pending, oldest first: a batch taken by `pending` re-reads its events inside
   * the transaction that handles them, so an event another path handled meanwhile is not handled twice.
   */
  lockPending(ids: readonly number[]): StoredEvent[] {
    if (ids.length === 0) return [];
    return this.db
      .select()
      .from(inboundEvents)
      .where(and(inArray(inboundEvents.id, [...ids]), eq(inboundEvents.status, 'pending')))
      .orderBy(asc(inboundEvents.id))
      .all();
  }

  /**
   * A queued job's events: the pending events of the contact (`wa_id`) of the event with this key, up to
   * and including it, oldest first, so an older event that never got its own job goes first (per-contact
   * order). Empty once that event was handled. Called inside the transaction that handles them.
   */
  takeContactPending(provider: string, providerEventId: string): StoredEvent[] {
    const target = this.db
      .select()
      .from(inboundEvents)
      .where(and(eq(inboundEvents.provider, provider), eq(inboundEvents.providerEventId, providerEventId)))
      .get();
    if (target?.status !== 'pending') return [];
    if (target.waId === null) return [target];
    return this.db
      .select()
      .from(inboundEvents)
      .where(
        and(
          eq(inboundEvents.status, 'pending'),
          eq(inboundEvents.waId, target.waId),
          lte(inboundEvents.id, target.id),
        ),
      )
      .orderBy(asc(inboundEvents.id))
      .all();
  }

  /** Marks many events processed in one statement (the dispatcher's batch). */
  markAllProcessed(ids: readonly number[], at: string): void {
    if (ids.length > 0) this.setAllProcessed.run(at, JSON.stringify(ids));
  }

  markProcessed(id: number, at: string, error?: string): void {
    this.setProcessed.run({ id, at, status: error ? 'failed' : 'processed', error: error ?? null });
  }

  /** Newest first (ids grow with arrival), keyset-paginated by id. */
  list(filter: { type?: string; waId?: string; limit?: number; beforeId?: number }): StoredEvent[] {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 501);
    return this.db
      .select()
      .from(inboundEvents)
      .where(
        and(
          filter.type ? eq(inboundEvents.type, filter.type) : undefined,
          filter.waId ? eq(inboundEvents.waId, filter.waId) : undefined,
          filter.beforeId !== undefined ? lt(inboundEvents.id, filter.beforeId) : undefined,
        ),
      )
      .orderBy(desc(inboundEvents.id))
      .limit(limit)
      .all();
  }

  deliveryCount(): number {
    return this.db.$client.prepare<[], { n: number }>('select count(*) as n from webhook_deliveries').get()!
      .n;
  }
}
