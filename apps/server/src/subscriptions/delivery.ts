import type { AsyncOf, SubscriptionDeliveryRow, SubscriptionRepository } from '@switchboard/db';
import type { OutboundGuard } from '../http/guard.js';
import { pinnedTransport, type Transport } from '../http/transport.js';
import type { AppLogger } from '../logger.js';
import { type Loop, startLoop } from '../loop.js';
import { signatureHeader } from './signature.js';

/** A receiver gets this long to answer; then the attempt counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Deliveries claimed per look (each is its own request; they go out together). */
const BATCH = 20;
/** Requests under way at once per process; more due deliveries wait for a free place. */
const MAX_IN_FLIGHT = 50;

export interface RetrySettings {
  /** The first retry's delay; each next one is 3× longer (10 s, 30 s, 1.5 min…). */
  backoffMs: number;
  /** Retries stop this long after the first attempt: the delivery is then dead (replayable). */
  retryWindowMs: number;
  /** The longest delay between two attempts. */
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  backoffMs: 10_000,
  retryWindowMs: 24 * 60 * 60 * 1000,
  maxBackoffMs: 60 * 60 * 1000,
};

/**
 * The delay before the retry that follows `attempts` failed attempts: `backoffMs × 3^(attempts-1)`,
 * at most `maxBackoffMs`, spread by ±20% so receivers that came back are not hit by every delivery
 * at the same instant.
 */
export function retryDelayMs(attempts: number, s: RetrySettings, random: () => number = Math.random): number {
  const plain = Math.min(s.backoffMs * 3 ** Math.max(0, attempts - 1), s.maxBackoffMs);
  return Math.round(plain * (0.8 + 0.4 * random()));
}

/** What one attempt ended in. */
export interface AttemptResult {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryDeps {
  repo: AsyncOf<SubscriptionRepository>;
  /** The subscription's URL and signing secret in the clear; undefined when it was deleted. */
  target(subscriptionId: string): Promise<{ url: string; secret: string } | undefined>;
  guard: OutboundGuard;
  transport?: Transport;
  retry: RetrySettings;
  logger: AppLogger;
  pollMs: number;
  leaseMs?: number;
  now?: () => Date;
  /** Counts each attempt's outcome (`switchboard_subscription_attempts_total`, the monitoring page). */
  onAttempt?: (outcome: 'delivered' | 'retry' | 'dead') => void;
}

function errorText(error: unknown): string {
  const own = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  if (own?.name === 'TimeoutError' || own?.name === 'AbortError')
    return `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
  const code = own?.code ?? own?.cause?.code;
  const message = own?.message ?? String(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * POSTs one delivery: through the outbound guard (the URL is checked again at every attempt: where a
 * name points may have changed since it was saved), to the checked addresses only, signed, within the
 * timeout. Redirects are not followed: a 3xx is a failed attempt, like any answer other than 2xx.
 */
export async function attemptDelivery(
  d: Pick<SubscriptionDeliveryRow, 'id' | 'eventType' | 'body'>,
  target: { url: string; secret: string },
  deps: Pick<DeliveryDeps, 'guard' | 'transport'>,
  now: Date,
): Promise<AttemptResult> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const url = new URL(target.url);
    const checked = await deps.guard.check(url);
    if (!checked.ok) return { ok: false, httpStatus: null, error: checked.message, durationMs: took() };
    const timestamp = Math.floor(now.getTime() / 1000);
    const response = await (deps.transport ?? pinnedTransport)({
      url,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Switchboard-Subscriptions/1',
        'x-switchboard-event': d.eventType,
        'x-switchboard-delivery': d.id,
        'x-switchboard-timestamp': String(timestamp),
        'x-switchboard-signature': signatureHeader(target.secret, timestamp, d.body),
      },
      body: d.body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      addresses: checked.addresses,
    });
    // The answer's body is not kept: only its status counts.
    await response.body?.cancel().catch(() => {});
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      httpStatus: response.status,
      error: ok ? null : `HTTP ${response.status}`,
      durationMs: took(),
    };
  } catch (error) {
    return { ok: false, httpStatus: null, error: errorText(error), durationMs: took() };
  }
}

/**
 * The delivery loop (workers only): claims due deliveries under a lease (a worker that dies mid-request
 * leaves them to another once the lease lapses), attempts each, and records the attempt with the
 * delivery's next state: delivered on a 2xx; otherwise retried with backoff until the retry window
 * (counted from the first attempt) closes, with one last attempt at its end; then dead.
 */
export function startSubscriptionDelivery(deps: DeliveryDeps): Loop {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'subscriptions' });

  async function deliver(d: SubscriptionDeliveryRow): Promise<void> {
    const started = now();
    let result: AttemptResult;
    try {
      const target = await deps.target(d.subscriptionId);
      if (!target) return; // deleted meanwhile: its deliveries went with it
      result = await attemptDelivery(d, target, deps, started);
    } catch (error) {
      // The secret cannot be opened (the vault's key changed): a failed attempt that says so.
      result = { ok: false, httpStatus: null, error: errorText(error), durationMs: 0 };
    }
    const at = now();
    const windowEnd = Date.parse(d.firstAttemptAt ?? started.toISOString()) + deps.retry.retryWindowMs;
    const retryAt = Math.min(at.getTime() + retryDelayMs(d.attempts, deps.retry), windowEnd);
    const outcome = result.ok ? 'delivered' : at.getTime() >= windowEnd ? 'dead' : 'retry';
    await deps.repo.recordAttempt({
      deliveryId: d.id,
      at: at.toISOString(),
      httpStatus: result.httpStatus,
      error: result.error,
      durationMs: result.durationMs,
      outcome,
      retryAt: new Date(retryAt).toISOString(),
    });
    deps.onAttempt?.(outcome);
    if (outcome === 'dead')
      log.warn(
        { subscriptionId: d.subscriptionId, deliveryId: d.id, attempts: d.attempts, error: result.error },
        'a subscription delivery ran out of retries and is dead (replay it from the dead-letter list)',
      );
  }

  // Requests run beside the loop, not inside its tick: one slow receiver (up to the 10 s timeout) does
  // not hold back the deliveries of the others.
  const inFlight = new Set<Promise<void>>();
  const loop = startLoop({
    name: 'subscription-delivery',
    pollMs: deps.pollMs,
    onError: (error) => log.error({ err: error }, 'subscription delivery tick failed'),
    tick: async () => {
      const room = Math.min(BATCH, MAX_IN_FLIGHT - inFlight.size);
      if (room <= 0) return { again: false };
      const due = await deps.repo.claimDue(now().toISOString(), room, deps.leaseMs);
      for (const d of due) {
        const request: Promise<void> = deliver(d)
          .catch((error) => log.error({ err: error, deliveryId: d.id }, 'a subscription delivery failed'))
          .finally(() => {
            inFlight.delete(request);
            loop.nudge();
          });
        inFlight.add(request);
      }
      return { again: due.length === room && inFlight.size < MAX_IN_FLIGHT };
    },
  });
  return {
    nudge: () => loop.nudge(),
    /** Stops claiming, then waits for the requests under way to be recorded. */
    async stop() {
      await loop.stop();
      await Promise.all(inFlight);
    },
  };
}
