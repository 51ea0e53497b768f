// Differs from SQLite: `pending` takes the events it returns (a short lease), so dispatchers in several
// processes never handle the same event at once; an event whose taker died is offered again after it.
import { and, asc, desc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import type { DeliveryInput, EventInput, EventRepository, StoredEvent, StoreResult } from '../event-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgDb, PgSession } from './connection.js';
import { inboundEvents, webhookDeliveries } from './tables/messaging.js';

/** First key of the advisory locks on event keys (the second is the key hashed). */
const EVENT_KEY_LOCK = 0x5b_e0_01;

/** Serializes `pending` claims, so each sees the leases the one before it committed. */
const CLAIM_LOCK = 0x5b_e0_02;

/**
 * How long a taken event stays with its taker before another process may take it again. Expiry is safe:
 * the taker handles them under row locks and re-reads them (`lockPending`), so a second taker waits
 * and then finds them processed.
 */
const PENDING_LEASE = '30 seconds';

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
   * Per-contact order across processes: an event whose contact has an older event leased by another
   * taker is left for later. `minAgeMs` leaves out recent events (the sweep behind the job queue).
   * Returned as SQLite returns them (`processedAt` null).
   */
  async pending(limit = 100, options: { minAgeMs?: number; now?: Date } = {}): Promise<StoredEvent[]> {
    const before = options.minAgeMs
      ? new Date((options.now ?? new Date()).getTime() - options.minAgeMs).toISOString()
      : null;
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`);
      const found = await tx.execute<{ id: number }>(
        sql`select e.id from inbound_events e
            where e.status = 'pending' and (e.processed_at is null or e.processed_at < now())
              ${before ? sql`and e.received_at <= ${before}::timestamptz` : sql``}
              and (e.wa_id is null or not exists (
                select 1 from inbound_events o
                where o.wa_id = e.wa_id and o.status = 'pending' and o.id < e.id and o.processed_at >= now()))
            order by e.id limit ${limit}
            for update of e skip locked`,
      );
      const ids = found.rows.map((r) => Number(r.id));
      if (ids.length === 0) return [];
      const rows = await tx
        .update(inboundEvents)
        .set({ processedAt: sql`now() + ${PENDING_LEASE}::interval` })
        .where(inArray(inboundEvents.id, ids))
        .returning();
      return rows.sort((a, b) => a.id - b.id).map((r) => ({ ...r, processedAt: null }));
    });
  }

  /**
   * Of `ids`, those still pending, oldest first, locked until the caller's transaction ends: a batch
   * taken by `pending` re-reads its events where it handles them, so an event another process handled
   * meanwhile (its lease ran out, or a job took it) is not handled twice.
   */
  async lockPending(ids: readonly number[]): Promise<StoredEvent[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select()
      .from(inboundEvents)
      .where(and(inArray(inboundEvents.id, [...ids]), eq(inboundEvents.status, 'pending')))
      .orderBy(asc(inboundEvents.id))
      .for('update');
    return rows.map((r) => ({ ...r, processedAt: null }));
  }

  /**
   * A queued job's events: the pending events of the contact of the event with this key, up to and
   * including it, oldest first and locked (in id order, like `lockPending`, so the two never deadlock),
   * so an older event that never got its own job goes first. Empty once that event was handled.
   */
  async takeContactPending(provider: string, providerEventId: string): Promise<StoredEvent[]> {
    const [target] = await this.db
      .select({ id: inboundEvents.id, waId: inboundEvents.waId, status: inboundEvents.status })
      .from(inboundEvents)
      .where(and(eq(inboundEvents.provider, provider), eq(inboundEvents.providerEventId, providerEventId)));
    if (target?.status !== 'pending') return [];
    const rows = await this.db
      .select()
      .from(inboundEvents)
      .where(
        and(
          eq(inboundEvents.status, 'pending'),
          target.waId === null ? eq(inboundEvents.id, target.id) : eq(inboundEvents.waId, target.waId),
          lte(inboundEvents.id, target.id),
        ),
      )
      .orderBy(asc(inboundEvents.id))
      .for('update');
    // The target itself may have been taken while we waited for the locks: then its job is done.
    if (!rows.some((r) => r.id === target.id)) return [];
    return rows.map((r) => ({ ...r, processedAt: null }));
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
