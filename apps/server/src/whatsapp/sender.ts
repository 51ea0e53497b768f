import type { AsyncOf, ContactRepository, OutboxRepository, OutboxRow } from '@switchboard/db';
import type { RateLimiter, TakeResult } from '@switchboard/queue';
import {
  CloudApiClient,
  CloudApiError,
  type OutboundMessage,
  PooledTransport,
  SendPacer,
} from '@switchboard/whatsapp';
import type { ChannelService } from '../channels.js';
import type { Config } from '../config.js';
import type { AppLogger } from '../logger.js';
import { startLoop } from '../loop.js';
import type { Metrics } from '../metrics.js';
import { refuseIfForbidden } from './policy-gate.js';

export interface SenderDeps {
  outbox: AsyncOf<OutboxRepository>;
  contacts: AsyncOf<ContactRepository>;
  channels: ChannelService;
  whatsapp: Config['whatsapp'];
  /**
   * Base URL of the Graph API for a channel (the sandbox's own URL in sandbox mode, and always for the
   * simulator's channel), read at send time.
   */
  apiUrl: (channelId: string) => string;
  logger: AppLogger;
  metrics: Metrics;
  pollMs: number;
  /** How long a claimed message stays this sender's before another may send it (SWITCHBOARD_SEND_LEASE_MS). */
  leaseMs: number;
  /**
   * Puts back messages whose sender's claim lapsed (it died), every few seconds: for several processes
   * on one database. The embedded mode requeues everything at start instead.
   */
  requeueExpired: boolean;
  fetch?: typeof fetch;
  random?: () => number;
  /** Why a template message can no longer be sent (see templates/send-gate.ts), or null. */
  unsendableTemplate?: (row: OutboxRow) => Promise<{ reason: string; message: string } | null>;
  /**
   * Token buckets per business number shared with every other sending process (Redis): a message goes
   * out only with a token, so all workers together keep to WHATSAPP_RATE_PER_SECOND.
   */
  sharedLimit?: RateLimiter;
}

// Rows claimed per tick: enough to fill the pacer's burst (a tenth of a second at 1,000/s) in one claim.
const BATCH = 128;
// Lapsed claims are looked for at most this often: a dead sender's messages wait its lease plus this.
const REQUEUE_EVERY_MS = 5_000;

/**
 * Sends queued outbox rows: policy first (it can change while a message waits), then per-number pacing
 * and per-recipient spacing, then the Cloud API. Network errors, 5xx and rate limits are retried with
 * exponential backoff and jitter (honouring Retry-After); permanent errors end in `failed`.
 */
export function startSender(deps: SenderDeps) {
  const log = deps.logger.child({ component: 'sender' });
  const pacer = new SendPacer({
    ratePerSecond: deps.whatsapp.ratePerSecond,
    pairSpacingMs: deps.whatsapp.pairSpacingMs,
  });
  const random = deps.random ?? Math.random;
  const clients = new Map<string, CloudApiClient>();
  // One keep-alive pool per origin for every channel (tests may pass their own fetch instead).
  const transport = new PooledTransport();

  function client(channelId: string): CloudApiClient | undefined {
    const channel = deps.channels.get(channelId);
    if (!channel) return undefined;
    const apiUrl = deps.apiUrl(channelId);
    const key = `${channelId}|${apiUrl}|${channel.secrets.accessToken}`;
    let c = clients.get(key);
    if (!c) {
      c = new CloudApiClient({
        apiUrl,
        apiVersion: deps.whatsapp.apiVersion,
        phoneNumberId: channel.phoneNumberId,
        accessToken: channel.secrets.accessToken,
        ...(deps.fetch ? { fetch: deps.fetch } : { post: transport.post }),
      });
      clients.set(key, c);
    }
    return c;
  }

  function backoffMs(attempt: number, error: CloudApiError): number {
    // Meta's advice for the pair rate limit is 4^x seconds; everything else doubles (from 1 s by default).
    const unit = deps.whatsapp.retryBaseMs;
    const base = error.code === 131056 ? 4 ** (attempt - 1) * unit : 2 ** (attempt - 1) * unit;
    const capped = Math.min(base, 5 * 60_000);
    const jittered = capped * (0.8 + random() * 0.4);
    return Math.max(jittered, error.retryAfterMs ?? 0);
  }

  async function send(row: OutboxRow) {
    const at = () => new Date().toISOString();
    const message = row.payload as OutboundMessage;
    const api = client(row.channel);
    if (!api) {
      await deps.outbox.markFailed(
        row.id,
        { code: 'no_channel', message: `channel "${row.channel}" does not exist` },
        at(),
      );
      deps.metrics.sends.inc({ outcome: 'failed' });
      return;
    }
    try {
      // Meta echoes the outbox id in the message's status webhooks: if this process dies before
      // recording the answer, the first status still marks the message accepted (no resend).
      const result = await api.send(message, row.recipient, { callbackData: row.id });
      await deps.outbox.markAccepted(row.id, result.messageId, at());
      deps.metrics.sends.inc({ outcome: 'accepted' });
    } catch (error) {
      const e =
        error instanceof CloudApiError
          ? error
          : new CloudApiError(error instanceof Error ? error.message : String(error), {
              status: 0,
              code: null,
              subcode: null,
              details: null,
              fbtraceId: null,
              retryAfterMs: null,
              retryable: true,
              kind: 'transient',
            });
      const detail = { code: e.code ?? e.status, message: e.message, details: e.details };
      deps.metrics.sendErrors.inc({ code: String(detail.code) });
      if (e.retryable && row.attempts < deps.whatsapp.maxAttempts) {
        const next = new Date(Date.now() + backoffMs(row.attempts, e)).toISOString();
        await deps.outbox.scheduleRetry(row.id, next, detail, at());
        deps.metrics.sends.inc({ outcome: 'retry' });
        log.warn(
          { outboxId: row.id, attempt: row.attempts, code: detail.code, next },
          'send failed; retrying',
        );
      } else {
        await deps.outbox.markFailed(row.id, detail, at());
        deps.metrics.sends.inc({ outcome: 'failed' });
        log.warn({ outboxId: row.id, code: detail.code }, 'send failed permanently');
      }
    }
  }

  // A tenth of a second of tokens: senders of several processes may start a burst together.
  const burst = Math.max(1, Math.ceil(deps.whatsapp.ratePerSecond / 10));
  async function takeShared(channel: string): Promise<TakeResult> {
    try {
      return await deps.sharedLimit!.take({
        key: `send:${channel}`,
        ratePerSecond: deps.whatsapp.ratePerSecond,
        burst,
      });
    } catch (error) {
      // Without the shared count no process may send: wait and ask again.
      log.warn({ err: error }, 'shared send limit unavailable (Redis); holding sends');
      return { ok: false, retryInMs: 1000 };
    }
  }

  let lastRequeue = Number.NEGATIVE_INFINITY;
  async function requeueLapsedClaims(nowIso: string) {
    if (!deps.requeueExpired || Date.now() - lastRequeue < REQUEUE_EVERY_MS) return;
    lastRequeue = Date.now();
    const requeued = await deps.outbox.requeueExpiredSending(nowIso);
    if (requeued > 0)
      log.warn({ messages: requeued }, 'messages claimed by a sender that stopped are queued again');
  }

  const loop = startLoop({
    name: 'sender',
    pollMs: deps.pollMs,
    onError: (error) => log.error({ err: error }, 'sender tick failed'),
    tick: async () => {
      const nowIso = new Date().toISOString();
      await requeueLapsedClaims(nowIso);
      const rows = await deps.outbox.claimDue(nowIso, BATCH, deps.leaseMs);
      const sending: Array<Promise<void>> = [];
      let soonest = Number.POSITIVE_INFINITY;
      for (const row of rows) {
        const gate = {
          outbox: deps.outbox,
          metrics: deps.metrics,
          blockedPrefixes: deps.whatsapp.blockedPrefixes,
        };
        const contact = await deps.contacts.get(row.recipient, row.channel);
        if (await refuseIfForbidden(gate, row, contact, nowIso)) continue;
        const unsendable = await deps.unsendableTemplate?.(row);
        if (unsendable) {
          await deps.outbox.markRefused(
            row.id,
            { code: unsendable.reason, message: unsendable.message },
            nowIso,
          );
          deps.metrics.policyRefusals.inc({ reason: unsendable.reason });
          continue;
        }
        const wait = pacer.reserve(row.channel, row.recipient, Date.now());
        if (wait > 0) {
          soonest = Math.min(soonest, wait);
          await deps.outbox.defer(row.id, new Date(Date.now() + wait).toISOString());
          continue;
        }
        const token = deps.sharedLimit ? await takeShared(row.channel) : ({ ok: true } as const);
        if (!token.ok) {
          soonest = Math.min(soonest, token.retryInMs);
          await deps.outbox.defer(row.id, new Date(Date.now() + token.retryInMs).toISOString());
          continue;
        }
        sending.push(send(row));
      }
      await Promise.all(sending);
      return { again: sending.length > 0, ...(Number.isFinite(soonest) ? { sleepMs: soonest } : {}) };
    },
  });
  return {
    nudge: () => loop.nudge(),
    async stop() {
      await loop.stop();
      await transport.close();
    },
  };
}
