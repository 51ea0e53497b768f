import { createHash, randomUUID } from 'node:crypto';
import type { Repositories } from '@switchboard/db';

/**
 * The event types a subscription may ask for (`campaign.finished`: campaigns/service.ts). `ping` is only
 * ever sent by `POST /api/subscriptions/:id/test`, to that one subscription.
 */
export const SUBSCRIPTION_EVENT_TYPES = [
  'message.received',
  'message.status',
  'contact.opted_in',
  'contact.opted_out',
  'conversation.assigned',
  'conversation.closed',
  'run.failed',
  'campaign.finished',
  'template.status',
] as const;
export type SubscriptionEventType = (typeof SUBSCRIPTION_EVENT_TYPES)[number];

/** One event as subscribers receive it (the POSTed JSON body). */
export interface OutgoingEvent {
  /** Stable per real-world event: a receiver that sees an id twice (a replay) has seen the event. */
  id: string;
  type: SubscriptionEventType | 'ping';
  /** ISO-8601 UTC time the event happened. */
  occurredAt: string;
  data: Record<string, unknown>;
}

/** An event id derived from something unique (Meta's dedupe key, a run id), so emitting twice is harmless. */
export function eventIdOf(source: string): string {
  return `evt_${createHash('sha256').update(source).digest('hex').slice(0, 32)}`;
}

export const randomEventId = () => `evt_${randomUUID().replaceAll('-', '')}`;

/** The exact text posted (and signed) for an event, on every attempt. */
export function eventBody(event: OutgoingEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, occurredAt: event.occurredAt, data: event.data });
}

/** How long the set of subscribed event types is trusted before it is read again (other processes). */
const TYPES_CACHE_MS = 2_000;

/**
 * Turns events into delivery rows, one per active subscription of the event's type. `emitIn` writes
 * them with the caller's repositories: inside the transaction that made the event happen (the
 * dispatcher's), they commit or roll back with it, so an event is owed exactly when it happened.
 * Whether any subscription wants a type is cached for 2 s (a subscription created in another process
 * starts receiving within that); this process's own changes clear the cache at once.
 */
export class SubscriptionEvents {
  private types: { at: number; set: Set<string> } | undefined;

  constructor(
    private readonly repos: Pick<Repositories, 'subscriptions'>,
    /** Told after rows were added outside a transaction (the delivery loop looks at once). */
    private readonly onQueued: () => void = () => {},
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Forget the cached set of subscribed types (a subscription changed in this process). */
  forget(): void {
    this.types = undefined;
  }

  async wanted(type: string): Promise<boolean> {
    const at = this.now().getTime();
    if (!this.types || at - this.types.at > TYPES_CACHE_MS) {
      const set = new Set<string>();
      for (const s of await this.repos.subscriptions.list())
        if (s.active) for (const t of s.eventTypes) set.add(t);
      this.types = { at, set };
    }
    return this.types.set.has(type);
  }

  /** Adds the event's deliveries with `r` (a transaction's repositories); returns how many. */
  async emitIn(r: Pick<Repositories, 'subscriptions'>, event: OutgoingEvent): Promise<number> {
    if (!(await this.wanted(event.type))) return 0;
    return r.subscriptions.fanOut({
      eventId: event.id,
      eventType: event.type,
      body: eventBody(event),
      at: this.now().toISOString(),
    });
  }

  /** Adds the event's deliveries on their own (after the fact: engine events, conversation changes). */
  async emit(event: OutgoingEvent): Promise<number> {
    const added = await this.emitIn(this.repos, event);
    if (added > 0) this.onQueued();
    return added;
  }
}
