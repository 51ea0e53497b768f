// Differs from SQLite only in mechanism: claims lock the rows they take (`for update skip locked`), so
// workers of several processes never take the same delivery.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { AsyncOf } from '../ports.js';
import {
  DEFAULT_DELIVERY_LEASE_MS,
  type DeliveryAttempt,
  deliveryValues,
  newDeliveryId,
  nextState,
  REPLAY,
  REPLAYABLE,
  type SubscriptionAttemptRow,
  type SubscriptionDeliveryRow,
  type SubscriptionEventInput,
  type SubscriptionInput,
  type SubscriptionPatch,
  type SubscriptionRepository,
  type SubscriptionRow,
} from '../subscription-repo.js';
import type { PgSession } from './connection.js';
import { claimDueRows } from './leased-queue.js';
import { subscriptionAttempts, subscriptionDeliveries, subscriptions } from './tables/subscriptions.js';

export class PgSubscriptionRepository implements AsyncOf<SubscriptionRepository> {
  constructor(private readonly db: PgSession) {}

  async create(input: SubscriptionInput, at: string): Promise<SubscriptionRow> {
    const [row] = await this.db
      .insert(subscriptions)
      .values({ ...input, createdAt: at, updatedAt: at })
      .returning();
    return row!;
  }

  async get(id: string): Promise<SubscriptionRow | undefined> {
    const [row] = await this.db.select().from(subscriptions).where(eq(subscriptions.id, id));
    return row;
  }

  async list(): Promise<SubscriptionRow[]> {
    return this.db.select().from(subscriptions).orderBy(asc(subscriptions.createdAt), asc(subscriptions.id));
  }

  async update(id: string, patch: SubscriptionPatch, at: string): Promise<SubscriptionRow | undefined> {
    const [row] = await this.db
      .update(subscriptions)
      .set({ ...patch, updatedAt: at })
      .where(eq(subscriptions.id, id))
      .returning();
    return row;
  }

  async remove(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const ids = (
        await tx
          .select({ id: subscriptionDeliveries.id })
          .from(subscriptionDeliveries)
          .where(eq(subscriptionDeliveries.subscriptionId, id))
      ).map((r) => r.id);
      for (let i = 0; i < ids.length; i += 500)
        await tx
          .delete(subscriptionAttempts)
          .where(inArray(subscriptionAttempts.deliveryId, ids.slice(i, i + 500)));
      await tx.delete(subscriptionDeliveries).where(eq(subscriptionDeliveries.subscriptionId, id));
      const removed = await tx
        .delete(subscriptions)
        .where(eq(subscriptions.id, id))
        .returning({ id: subscriptions.id });
      return removed.length > 0;
    });
  }

  async fanOut(event: SubscriptionEventInput): Promise<number> {
    const targets = (
      await this.db
        .select({ id: subscriptions.id, eventTypes: subscriptions.eventTypes })
        .from(subscriptions)
        .where(eq(subscriptions.active, true))
    ).filter((s) => s.eventTypes.includes(event.eventType));
    if (targets.length === 0) return 0;
    const added = await this.db
      .insert(subscriptionDeliveries)
      .values(targets.map((s) => deliveryValues(newDeliveryId(), s.id, event)))
      .onConflictDoNothing()
      .returning({ id: subscriptionDeliveries.id });
    return added.length;
  }

  async enqueueFor(
    subscriptionId: string,
    event: SubscriptionEventInput,
  ): Promise<SubscriptionDeliveryRow | undefined> {
    if (!(await this.get(subscriptionId))) return undefined;
    const [row] = await this.db
      .insert(subscriptionDeliveries)
      .values(deliveryValues(newDeliveryId(), subscriptionId, event))
      .onConflictDoNothing()
      .returning();
    return row;
  }

  async claimDue(
    now: string,
    limit: number,
    leaseMs: number = DEFAULT_DELIVERY_LEASE_MS,
  ): Promise<SubscriptionDeliveryRow[]> {
    return claimDueRows(this.db, subscriptionDeliveries, 'delivering', now, limit, leaseMs);
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<SubscriptionDeliveryRow | undefined> {
    return this.db.transaction(async (tx) => {
      await tx.insert(subscriptionAttempts).values({
        deliveryId: attempt.deliveryId,
        at: attempt.at,
        httpStatus: attempt.httpStatus,
        error: attempt.error,
        durationMs: attempt.durationMs,
      });
      const [row] = await tx
        .update(subscriptionDeliveries)
        .set(nextState(attempt))
        .where(
          and(
            eq(subscriptionDeliveries.id, attempt.deliveryId),
            eq(subscriptionDeliveries.status, 'delivering'),
          ),
        )
        .returning();
      return row;
    });
  }

  async delivery(id: string): Promise<SubscriptionDeliveryRow | undefined> {
    const [row] = await this.db
      .select()
      .from(subscriptionDeliveries)
      .where(eq(subscriptionDeliveries.id, id));
    return row;
  }

  async deliveries(
    subscriptionId: string,
    filter: { status?: string; limit?: number } = {},
  ): Promise<SubscriptionDeliveryRow[]> {
    return this.db
      .select()
      .from(subscriptionDeliveries)
      .where(
        and(
          eq(subscriptionDeliveries.subscriptionId, subscriptionId),
          filter.status ? eq(subscriptionDeliveries.status, filter.status) : undefined,
        ),
      )
      .orderBy(desc(subscriptionDeliveries.createdAt), desc(subscriptionDeliveries.id))
      .limit(Math.min(Math.max(filter.limit ?? 50, 1), 500));
  }

  async attempts(deliveryIds: readonly string[]): Promise<SubscriptionAttemptRow[]> {
    if (deliveryIds.length === 0) return [];
    return this.db
      .select()
      .from(subscriptionAttempts)
      .where(inArray(subscriptionAttempts.deliveryId, [...deliveryIds]))
      .orderBy(asc(subscriptionAttempts.id));
  }

  async replay(
    subscriptionId: string,
    deliveryId: string,
    at: string,
  ): Promise<SubscriptionDeliveryRow | undefined> {
    const [row] = await this.db
      .update(subscriptionDeliveries)
      .set(REPLAY(at))
      .where(
        and(
          eq(subscriptionDeliveries.id, deliveryId),
          eq(subscriptionDeliveries.subscriptionId, subscriptionId),
          inArray(subscriptionDeliveries.status, [...REPLAYABLE]),
        ),
      )
      .returning();
    return row;
  }

  async replayDead(subscriptionId: string, at: string): Promise<number> {
    const rows = await this.db
      .update(subscriptionDeliveries)
      .set(REPLAY(at))
      .where(
        and(
          eq(subscriptionDeliveries.subscriptionId, subscriptionId),
          eq(subscriptionDeliveries.status, 'dead'),
        ),
      )
      .returning({ id: subscriptionDeliveries.id });
    return rows.length;
  }
}
