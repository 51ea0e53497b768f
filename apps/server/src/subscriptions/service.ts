import { randomUUID } from 'node:crypto';
import type {
  AsyncOf,
  SubscriptionAttemptRow,
  SubscriptionDeliveryRow,
  SubscriptionRepository,
  SubscriptionRow,
} from '@switchboard/db';
import type { OutboundGuard } from '../http/guard.js';
import type { Vault } from '../vault.js';
import { eventBody, type OutgoingEvent, randomEventId, type SubscriptionEvents } from './events.js';
import { newSecret } from './signature.js';

/** A subscription as the API shows it: never its secret. */
export type SubscriptionView = Omit<SubscriptionRow, 'secret'>;

export interface DeliveryView extends Omit<SubscriptionDeliveryRow, 'body' | 'claimExpiresAt'> {
  /** The event as posted. */
  event: unknown;
  attempts: number;
  log: Array<Pick<SubscriptionAttemptRow, 'at' | 'httpStatus' | 'error' | 'durationMs'>>;
}

/** A URL the outbound guard refuses, or that is not an http(s) URL: the message says which and why. */
export class InvalidSubscriptionUrl extends Error {}

export interface NewSubscription {
  url: string;
  eventTypes: string[];
  description?: string;
  active?: boolean;
  secret?: string;
}

export const viewOf = ({ secret: _secret, ...rest }: SubscriptionRow): SubscriptionView => rest;

/**
 * Subscriptions for the API: URLs checked by the outbound guard when saved (and again at each delivery),
 * secrets generated when not given, sealed by the vault and shown only once (at creation or rotation).
 */
export class SubscriptionService {
  constructor(
    private readonly deps: {
      repo: AsyncOf<SubscriptionRepository>;
      vault: Pick<Vault, 'encrypt' | 'open'>;
      guard: OutboundGuard;
      events: SubscriptionEvents;
      /** Wakes the delivery loop (a ping or a replay is due now). */
      nudge: () => void;
      now?: () => Date;
    },
  ) {}

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  /** Throws `InvalidSubscriptionUrl` naming what is wrong with `url`. */
  async checkUrl(url: string): Promise<void> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InvalidSubscriptionUrl(`url "${url}" is not a valid URL`);
    }
    const checked = await this.deps.guard.check(parsed);
    if (!checked.ok) throw new InvalidSubscriptionUrl(`url ${parsed.origin}: ${checked.message}`);
  }

  async list(): Promise<SubscriptionView[]> {
    return (await this.deps.repo.list()).map(viewOf);
  }

  async get(id: string): Promise<SubscriptionView | undefined> {
    const row = await this.deps.repo.get(id);
    return row && viewOf(row);
  }

  /** Creates a subscription; the answer carries the secret, the only time it is shown. */
  async create(input: NewSubscription): Promise<SubscriptionView & { secret: string }> {
    await this.checkUrl(input.url);
    const secret = input.secret ?? newSecret();
    const row = await this.deps.repo.create(
      {
        id: `sub_${randomUUID().replaceAll('-', '')}`,
        url: input.url,
        eventTypes: [...new Set(input.eventTypes)],
        secret: this.deps.vault.encrypt(secret),
        description: input.description ?? '',
        active: input.active ?? true,
      },
      this.now(),
    );
    this.deps.events.forget();
    return { ...viewOf(row), secret };
  }

  async update(
    id: string,
    patch: Partial<Omit<NewSubscription, 'secret'>>,
  ): Promise<SubscriptionView | undefined> {
    if (patch.url !== undefined) await this.checkUrl(patch.url);
    const row = await this.deps.repo.update(
      id,
      { ...patch, ...(patch.eventTypes ? { eventTypes: [...new Set(patch.eventTypes)] } : {}) },
      this.now(),
    );
    this.deps.events.forget();
    return row && viewOf(row);
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.deps.repo.remove(id);
    this.deps.events.forget();
    return removed;
  }

  /** A new secret (generated unless given), returned this once; deliveries sign with it from now on. */
  async rotateSecret(id: string, given?: string): Promise<{ secret: string } | undefined> {
    const secret = given ?? newSecret();
    const row = await this.deps.repo.update(id, { secret: this.deps.vault.encrypt(secret) }, this.now());
    return row ? { secret } : undefined;
  }

  /** The URL and secret in the clear, for the delivery loop only. */
  async target(id: string): Promise<{ url: string; secret: string } | undefined> {
    const row = await this.deps.repo.get(id);
    return row && { url: row.url, secret: this.deps.vault.open(row.secret, `subscription ${id}`) };
  }

  /** Queues a `ping` to this subscription alone; undefined when unknown. */
  async ping(id: string): Promise<DeliveryView | undefined> {
    const at = this.now();
    const event: OutgoingEvent = {
      id: randomEventId(),
      type: 'ping',
      occurredAt: at,
      data: { subscriptionId: id, message: 'Switchboard test delivery' },
    };
    const row = await this.deps.repo.enqueueFor(id, {
      eventId: event.id,
      eventType: 'ping',
      body: eventBody(event),
      at,
    });
    if (!row) return undefined;
    this.deps.nudge();
    return deliveryView(row, []);
  }

  /** The subscription's deliveries, newest first, each with its attempts. */
  async deliveries(id: string, filter: { status?: string; limit?: number }): Promise<DeliveryView[]> {
    const rows = await this.deps.repo.deliveries(id, filter);
    const log = await this.deps.repo.attempts(rows.map((r) => r.id));
    return rows.map((r) =>
      deliveryView(
        r,
        log.filter((a) => a.deliveryId === r.id),
      ),
    );
  }

  async replay(id: string, deliveryId: string): Promise<DeliveryView | undefined> {
    const row = await this.deps.repo.replay(id, deliveryId, this.now());
    if (!row) return undefined;
    this.deps.nudge();
    return deliveryView(row, await this.deps.repo.attempts([row.id]));
  }

  async replayDead(id: string): Promise<number> {
    const count = await this.deps.repo.replayDead(id, this.now());
    if (count > 0) this.deps.nudge();
    return count;
  }

  async delivery(id: string, deliveryId: string): Promise<SubscriptionDeliveryRow | undefined> {
    const row = await this.deps.repo.delivery(deliveryId);
    return row?.subscriptionId === id ? row : undefined;
  }
}

function deliveryView(row: SubscriptionDeliveryRow, log: SubscriptionAttemptRow[]): DeliveryView {
  const { body, claimExpiresAt: _claim, ...rest } = row;
  return {
    ...rest,
    event: JSON.parse(body),
    log: log.map(({ at, httpStatus, error, durationMs }) => ({ at, httpStatus, error, durationMs })),
  };
}
