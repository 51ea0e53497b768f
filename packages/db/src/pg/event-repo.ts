// Differs from SQLite: `pending` takes the events it returns (a short lease), so dispatchers in several
// processes never handle the same event at once; an event whose taker died is offered again after it.
import { and, asc, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { DeliveryInput, EventInput, EventRepository, StoredEvent, StoreResult } from '../event-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgDb, PgSession } from './connection.js';
import { inboundEvents, webhookDeliveries } from './tables/messaging.js';

/** First key of the advisory locks on event keys (the second is the key hashed). */
const EVENT_KEY_LOCK = 0x5b_e0_01;

/** How long a taken event stays with its taker before another process may take it again. */
const PENDING_LEASE = '2 minutes';

type Tx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

export class PgEventRepository implements AsyncOf<EventRepository> {
  constructor(private readonly db: PgSession) {}

  async storeDelivery(delivery: DeliveryInput, events: EventInput[]): Promise<StoreResult> {
    const [result] = await this.storeDeliveries([{ delivery, events }]);
    if (!result) throw new Error('storeDeliveries returned no result for one delivery');
    return result;
  }

  /**
   * All deliveries and their events in one transaction. The unique key with `on conflict do nothing`
   * tells new events from re-deliveries, also across processes: a concurrent insert of the same key
   * waits for the other transaction and then counts as a duplicate.
   */
  async storeDeliveries(
    items: Array<{ delivery: DeliveryInput; events: EventInput[] }>,
  ): Promise<StoreResult[]> {
    return this.db.transaction(async (tx) => {
      await lockEventKeys(tx, items);
      const results: StoreResult[] = [];
      for (const { delivery, events } of items) results.push(await storeOne(tx, delivery, events));
      return results;
    });
  }

  /**
   * Events not yet processed, oldest first. Each is taken for a lease (`processed_at` holds its end
   * while the status is still `pending`), so a concurrent call skips it; `markProcessed` ends it.
   * Returned as SQLite returns them (`processedAt` null).
   */
  async pending(limit = 100): Promise<StoredEvent[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(inboundEvents)
        .where(
          and(
            eq(inboundEvents.status, 'pending'),
            or(isNull(inboundEvents.processedAt), lt(inboundEvents.processedAt, sql`now()`)),
          ),
        )
        .orderBy(asc(inboundEvents.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (rows.length > 0)
        await tx.execute(
          sql`update inbound_events set processed_at = now() + ${PENDING_LEASE}::interval
              where id in ${rows.map((r) => r.id)}`,
        );
      return rows.map((r) => ({ ...r, processedAt: null }));
    });
  }

  async markAllProcessed(ids: readonly number[], at: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .update(inboundEvents)
      .set({ status: 'processed', processedAt: at })
      .where(sql`${inboundEvents.id} in ${[...ids]}`);
  }

  async markProcessed(id: number, at: string, error?: string): Promise<void> {
    await this.db
      .update(inboundEvents)
      .set({ status: error ? 'failed' : 'processed', processedAt: at, error: error ?? null })
      .where(eq(inboundEvents.id, id));
  }

  /** Newest first (ids grow with arrival), keyset-paginated by id. */
  async list(filter: {
    type?: string;
    waId?: string;
    limit?: number;
    beforeId?: number;
  }): Promise<StoredEvent[]> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 501);
    const rows = await this.db
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
      .limit(limit);
    // A pending event's `processed_at` is its lease, not a processing time.
    return rows.map((r) => (r.status === 'pending' ? { ...r, processedAt: null } : r));
  }

  async deliveryCount(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(webhookDeliveries);
    return row?.n ?? 0;
  }
}

/**
 * Takes a transaction-scoped advisory lock per event key, in one sorted order, before inserting:
 * two transactions storing the same keys in different orders would otherwise wait on each other's
 * uncommitted rows (a deadlock, and a failed webhook request).
 */
async function lockEventKeys(
  tx: Tx,
  items: Array<{ delivery: DeliveryInput; events: EventInput[] }>,
): Promise<void> {
  const keys = items.flatMap(({ delivery, events }) =>
    events.map((e) => `${delivery.provider}:${e.providerEventId}`),
  );
  if (keys.length === 0) return;
  await tx.execute(
    sql`select pg_advisory_xact_lock(${EVENT_KEY_LOCK}, h)
        from (select distinct hashtext(k) as h from json_array_elements_text(${JSON.stringify(keys)}::json) as k
              order by h) as sorted`,
  );
}

async function storeOne(tx: Tx, delivery: DeliveryInput, events: EventInput[]): Promise<StoreResult> {
  const [stored] = await tx
    .insert(webhookDeliveries)
    // Named fields only: callers' objects may carry more (SQLite's named parameters ignore extras).
    .values({
      provider: delivery.provider,
      channelId: delivery.channelId,
      rawBody: delivery.rawBody,
      receivedAt: delivery.receivedAt,
    })
    .returning({ id: webhookDeliveries.id });
  if (!stored) throw new Error('webhook delivery insert returned no id');
  if (events.length === 0) return { inserted: [], duplicates: [] };
  // One statement for all events; rows are inserted in order, so of a key repeated here the first wins.
  const created = await tx
    .insert(inboundEvents)
    .values(
      events.map((e) => ({
        provider: delivery.provider,
        providerEventId: e.providerEventId,
        deliveryId: stored.id,
        type: e.type,
        channelId: e.channelId,
        waId: e.waId,
        normalized: e.normalized,
        status: 'pending',
        occurredAt: e.occurredAt,
        receivedAt: delivery.receivedAt,
      })),
    )
    .onConflictDoNothing({ target: [inboundEvents.provider, inboundEvents.providerEventId] })
    .returning({ key: inboundEvents.providerEventId });
  const fresh = new Set(created.map((c) => c.key));
  const result: StoreResult = { inserted: [], duplicates: [] };
  for (const e of events) {
    const isNew = fresh.delete(e.providerEventId); // only the first of a repeated key is new
    (isNew ? result.inserted : result.duplicates).push(e.providerEventId);
  }
  return result;
}
