import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from './connection.js';
import { claimDueRows } from './leased-queue.js';
import { subscriptionAttempts, subscriptionDeliveries, subscriptions } from './schema.js';

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type SubscriptionDeliveryRow = typeof subscriptionDeliveries.$inferSelect;
export type SubscriptionAttemptRow = typeof subscriptionAttempts.$inferSelect;

export interface SubscriptionInput {
  id: string;
  url: string;
  eventTypes: string[];
  /** The vault's ciphertext of the signing secret (this package never sees it in the clear). */
  secret: string;
  description: string;
  active: boolean;
}

export type SubscriptionPatch = Partial<Omit<SubscriptionInput, 'id'>>;

/** An event to deliver: `body` is the exact JSON text posted and signed on every attempt. */
export interface SubscriptionEventInput {
  eventId: string;
  eventType: string;
  body: string;
  at: string;
}

/** One attempt's outcome, recorded with the delivery's next state in one transaction. */
export interface DeliveryAttempt {
  deliveryId: string;
  at: string;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  /** `delivered`, `dead` (out of retries), or `retry` at `retryAt`. */
  outcome: 'delivered' | 'dead' | 'retry';
  retryAt?: string | null;
}

/** How long a claim lasts by default: far longer than one delivery (10 s timeout) takes. */
export const DEFAULT_DELIVERY_LEASE_MS = 60_000;

/** What a replay may take back: a delivery no worker is working on. */
export const REPLAYABLE = ['dead', 'delivered'] as const;

export const newDeliveryId = () => `dlv_${randomUUID()}`;

/**
 * Outgoing event subscriptions: the subscribed URLs (secrets as vault ciphertext), one delivery row per
 * event and subscription, claimed by delivery workers under a lease, and the log of every attempt.
 */
export class SubscriptionRepository {
  constructor(private readonly db: Db) {}

  create(input: SubscriptionInput, at: string): SubscriptionRow {
    return this.db
      .insert(subscriptions)
      .values({ ...input, createdAt: at, updatedAt: at })
      .returning()
      .get();
  }

  get(id: string): SubscriptionRow | undefined {
    return this.db.select().from(subscriptions).where(eq(subscriptions.id, id)).get();
  }

  list(): SubscriptionRow[] {
    return this.db
      .select()
      .from(subscriptions)
      .orderBy(asc(subscriptions.createdAt), asc(subscriptions.id))
      .all();
  }

  update(id: string, patch: SubscriptionPatch, at: string): SubscriptionRow | undefined {
    return this.db
      .update(subscriptions)
      .set({ ...patch, updatedAt: at })
      .where(eq(subscriptions.id, id))
      .returning()
      .get();
  }

  /** Removes a subscription with its deliveries and their log; false when unknown. */
  remove(id: string): boolean {
    return this.db.transaction(
      (tx) => {
        const ids = tx
          .select({ id: subscriptionDeliveries.id })
          .from(subscriptionDeliveries)
          .where(eq(subscriptionDeliveries.subscriptionId, id))
          .all()
          .map((r) => r.id);
        for (let i = 0; i < ids.length; i += 500)
          tx.delete(subscriptionAttempts)
            .where(inArray(subscriptionAttempts.deliveryId, ids.slice(i, i + 500)))
            .run();
        tx.delete(subscriptionDeliveries).where(eq(subscriptionDeliveries.subscriptionId, id)).run();
        return tx.delete(subscriptions).where(eq(subscriptions.id, id)).run().changes > 0;
      },
      { behavior: 'immediate' },
    );
  }

  /**
   * One pending delivery per active subscription to `eventType`; an event id a subscription already
   * has is skipped (emitting an event twice delivers it once). Returns how many rows were added. Inside
   * the caller's transaction, the rows commit (or roll back) with what caused the event.
   */
  fanOut(event: SubscriptionEventInput): number {
    const targets = this.db
      .select({ id: subscriptions.id, eventTypes: subscriptions.eventTypes })
      .from(subscriptions)
      .where(eq(subscriptions.active, true))
      .all()
      .filter((s) => s.eventTypes.includes(event.eventType));
    let added = 0;
    for (const s of targets) added += this.insertDelivery(s.id, event) ? 1 : 0;
    return added;
  }

  /** A delivery of one event to one subscription (a test ping), active or not; undefined if unknown. */
  enqueueFor(subscriptionId: string, event: SubscriptionEventInput): SubscriptionDeliveryRow | undefined {
    if (!this.get(subscriptionId)) return undefined;
    const id = this.insertDelivery(subscriptionId, event);
    return id ? this.delivery(id) : undefined;
  }

  /**
   * Takes up to `limit` due deliveries (oldest first): pending ones whose time came, and ones whose
   * worker's claim lapsed (it died mid-request). Marks them `delivering` under a claim that lapses
   * `leaseMs` after `now`, counts the attempt, and starts the retry window at the first one.
   */
  claimDue(
    now: string,
    limit: number,
    leaseMs: number = DEFAULT_DELIVERY_LEASE_MS,
  ): SubscriptionDeliveryRow[] {
    return claimDueRows(this.db, subscriptionDeliveries, 'delivering', now, limit, leaseMs);
  }

  /**
   * Logs an attempt and moves its delivery on (delivered, dead, or pending until `retryAt`). The move
   * applies only to a delivery still `delivering`: one replayed or deleted meanwhile keeps its state.
   */
  recordAttempt(attempt: DeliveryAttempt): SubscriptionDeliveryRow | undefined {
    return this.db.transaction(
      (tx) => {
        tx.insert(subscriptionAttempts)
          .values({
            deliveryId: attempt.deliveryId,
            at: attempt.at,
            httpStatus: attempt.httpStatus,
            error: attempt.error,
            durationMs: attempt.durationMs,
          })
          .run();
        return tx
          .update(subscriptionDeliveries)
          .set(nextState(attempt))
          .where(
            and(
              eq(subscriptionDeliveries.id, attempt.deliveryId),
              eq(subscriptionDeliveries.status, 'delivering'),
            ),
          )
          .returning()
          .get();
      },
      { behavior: 'immediate' },
    );
  }

  delivery(id: string): SubscriptionDeliveryRow | undefined {
    return this.db.select().from(subscriptionDeliveries).where(eq(subscriptionDeliveries.id, id)).get();
  }

  /** A subscription's deliveries, newest first, optionally of one status. */
  deliveries(
    subscriptionId: string,
    filter: { status?: string; limit?: number } = {},
  ): SubscriptionDeliveryRow[] {
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
      .limit(Math.min(Math.max(filter.limit ?? 50, 1), 500))
      .all();
  }

  /** The attempts of these deliveries, oldest first. */
  attempts(deliveryIds: readonly string[]): SubscriptionAttemptRow[] {
    if (deliveryIds.length === 0) return [];
    return this.db
      .select()
      .from(subscriptionAttempts)
      .where(inArray(subscriptionAttempts.deliveryId, [...deliveryIds]))
      .orderBy(asc(subscriptionAttempts.id))
      .all();
  }

  /**
   * Sends a dead (or delivered) delivery again, now, with a fresh retry window; undefined when it is
   * not this subscription's or is pending or being delivered.
   */
  replay(subscriptionId: string, deliveryId: string, at: string): SubscriptionDeliveryRow | undefined {
    return this.db
      .update(subscriptionDeliveries)
      .set(REPLAY(at))
      .where(
        and(
          eq(subscriptionDeliveries.id, deliveryId),
          eq(subscriptionDeliveries.subscriptionId, subscriptionId),
          inArray(subscriptionDeliveries.status, [...REPLAYABLE]),
        ),
      )
      .returning()
      .get();
  }

  /** Every dead delivery of a subscription back to pending; returns how many. */
  replayDead(subscriptionId: string, at: string): number {
    return this.db
      .update(subscriptionDeliveries)
      .set(REPLAY(at))
      .where(
        and(
          eq(subscriptionDeliveries.subscriptionId, subscriptionId),
          eq(subscriptionDeliveries.status, 'dead'),
        ),
      )
      .run().changes;
  }

  /** Adds the row unless the subscription has this event already; returns its id, or undefined. */
  private insertDelivery(subscriptionId: string, event: SubscriptionEventInput): string | undefined {
    const id = newDeliveryId();
    const { changes } = this.db
      .insert(subscriptionDeliveries)
      .values(deliveryValues(id, subscriptionId, event))
      .onConflictDoNothing()
      .run();
    return changes > 0 ? id : undefined;
  }
}

export function deliveryValues(id: string, subscriptionId: string, event: SubscriptionEventInput) {
  return {
    id,
    subscriptionId,
    eventId: event.eventId,
    eventType: event.eventType,
    body: event.body,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: event.at,
    createdAt: event.at,
  };
}

/** The columns an attempt's outcome sets on its delivery. */
export function nextState(attempt: DeliveryAttempt) {
  const last = { lastHttpStatus: attempt.httpStatus, lastError: attempt.error, claimExpiresAt: null };
  if (attempt.outcome === 'delivered')
    return { ...last, status: 'delivered', deliveredAt: attempt.at, nextAttemptAt: null };
  if (attempt.outcome === 'dead') return { ...last, status: 'dead', nextAttemptAt: null };
  return { ...last, status: 'pending', nextAttemptAt: attempt.retryAt ?? attempt.at };
}

/** The columns a replay sets: pending now, attempts and retry window from zero. */
export const REPLAY = (at: string) => ({
  status: 'pending',
  attempts: 0,
  nextAttemptAt: at,
  firstAttemptAt: null,
  claimExpiresAt: null,
  deliveredAt: null,
});
