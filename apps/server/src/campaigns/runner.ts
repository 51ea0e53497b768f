import { hostname } from 'node:os';
import type { CampaignRecipientRow, CampaignRow, Contact } from '@switchboard/db';
import type { AppLogger } from '../logger.js';
import { type Loop, startLoop } from '../loop.js';
import type { Metrics } from '../metrics.js';
import type { Runtime } from '../runtime.js';
import { derivePhone } from '../whatsapp/dispatcher.js';
import { sendMessage } from '../whatsapp/send.js';
import { skipReason } from './eligibility.js';
import { contactZone, nextWindowStart } from './local-hours.js';
import type { CampaignService, Schedule } from './service.js';
import { messageFor, type StoredCampaignTemplate } from './template.js';

/** Recipients handled per claim (and at most the messaging limit's room). */
const BATCH = 50;
/** How long a claim lasts: far longer than a batch takes (one transaction per recipient). */
const LEASE_MS = 60_000;
/** The campaign's status is read again every this many recipients (a pause or cancel stops the batch). */
const STATUS_EVERY = 10;
/**
 * Recipients handled at once: each is a few round trips to the database, so on Postgres one at a time
 * would queue slower than the send rate. A divisor of STATUS_EVERY.
 */
const PARALLEL = 5;

export interface CampaignRunnerDeps {
  rt: Pick<Runtime, 'channels' | 'database' | 'metrics' | 'config' | 'sender'>;
  service: CampaignService;
  logger: AppLogger;
  metrics: Metrics;
  pollMs: number;
}

export type RecipientResult = 'queued' | 'skipped' | 'deferred' | 'stopped';

/**
 * The campaign loop (workers only). It claims one running campaign under a lease, takes a batch of its
 * due pending recipients (no more than the messaging limit lets through) and, for each, reads the
 * contact again, skips it with a reason (policy, a missing parameter), defers it to its local hours or
 * queues its message through the one send path with the key `campaign:<id>:<waId>`: after a crash the
 * same recipient is taken again and the key returns the message queued before, never a second one.
 * The per-number rate is the outbox sender's, shared with every other send.
 */
export function startCampaignRunner(deps: CampaignRunnerDeps): Loop {
  const owner = `${hostname()}:${process.pid}:campaigns`;
  const log = deps.logger.child({ component: 'campaigns' });
  const repos = deps.rt.database.repos;
  const now = () => deps.service.now();

  async function recipient(c: CampaignRow, r: CampaignRecipientRow): Promise<RecipientResult> {
    const template = c.template as unknown as StoredCampaignTemplate;
    const schedule = c.schedule as unknown as Schedule;
    const at = now();
    const contact: Contact = (await repos.contacts.get(r.waId, c.channel)) ?? snapshotContact(c, r);
    const skip = async (reason: string, outboxId: string | null = null) => {
      await repos.campaigns.settle(c.id, r.waId, {
        status: 'skipped',
        reason,
        outboxId,
        at: at.toISOString(),
      });
      deps.metrics.campaignRecipients.inc({ outcome: 'skipped', reason });
      return 'skipped' as const;
    };
    const reason = skipReason(contact, template, deps.rt.config.whatsapp.blockedPrefixes, at);
    if (reason) return skip(reason);
    const message = messageFor(template, contact)!;
    if (schedule.localHours) {
      const opens = nextWindowStart(at, contactZone(contact), schedule.localHours);
      if (opens) {
        await repos.campaigns.defer(c.id, r.waId, opens.toISOString());
        return 'deferred';
      }
    }
    const result = await sendMessage(deps.rt, {
      to: r.waId,
      channelId: c.channel,
      message,
      idempotencyKey: `campaign:${c.id}:${r.waId}`,
      at,
    });
    if (result.ok) {
      await repos.campaigns.settle(c.id, r.waId, {
        status: 'queued',
        outboxId: result.row.id,
        at: at.toISOString(),
      });
      deps.metrics.campaignRecipients.inc({ outcome: 'queued', reason: '' });
      return 'queued';
    }
    // Refused at queue time (the row records why), or the template stopped being sendable.
    return skip(result.reason, result.row?.id ?? null);
  }

  async function work(c: CampaignRow): Promise<{ again: boolean }> {
    const at = now();
    const iso = at.toISOString();
    if (c.status === 'scheduled') {
      const moved = await repos.campaigns.transition(
        c.id,
        ['scheduled'],
        { status: 'running', startedAt: iso, waitingReason: null, waitingUntil: null },
        iso,
      );
      if (!moved) return release(c, {});
      c = moved;
    }
    const limit = await deps.service.limit(c.channel);
    if (limit.available === 0)
      return release(c, { waitingReason: 'messaging_limit', waitingUntil: limit.freesAt });
    const batch = await repos.campaigns.duePending(c.id, iso, Math.min(limit.available ?? BATCH, BATCH));
    if (batch.length === 0) {
      const pending = await repos.campaigns.pending(c.id);
      if (pending.count === 0) {
        const done = await repos.campaigns.transition(
          c.id,
          ['running'],
          { status: 'completed', finishedAt: iso, waitingReason: null, waitingUntil: null },
          iso,
        );
        await release(c, {});
        if (done) {
          log.info({ campaignId: c.id }, 'campaign completed');
          await deps.service.finished(done);
        }
        return { again: true };
      }
      return release(c, { waitingReason: 'local_hours', waitingUntil: pending.nextDueAt });
    }
    let queued = 0;
    for (let i = 0; i < batch.length; i += PARALLEL) {
      if (i > 0 && i % STATUS_EVERY === 0) {
        const current = await repos.campaigns.get(c.id);
        if (current?.status !== 'running') break;
      }
      const results = await Promise.all(
        batch.slice(i, i + PARALLEL).map((r) =>
          recipient(c, r).catch((error) => {
            // Left pending: the next claim tries it again (the idempotency key keeps it to one message).
            log.error(
              { err: error, campaignId: c.id, waId: r.waId },
              'a campaign recipient could not be handled',
            );
            return 'failed' as const;
          }),
        ),
      );
      queued += results.filter((x) => x === 'queued').length;
    }
    if (queued > 0) deps.rt.sender?.nudge();
    return release(c, { waitingReason: null, waitingUntil: null });
  }

  async function release(c: CampaignRow, patch: Record<string, unknown>): Promise<{ again: boolean }> {
    await repos.campaigns.release(c.id, owner, patch, now().toISOString());
    return { again: true };
  }

  return startLoop({
    name: 'campaigns',
    pollMs: deps.pollMs,
    onError: (error) => log.error({ err: error }, 'campaign tick failed'),
    tick: async () => {
      const claimed = await repos.campaigns.claim(now().toISOString(), owner, LEASE_MS);
      if (!claimed) return { again: false };
      return work(claimed);
    },
  });
}

/** A recipient whose contact was deleted since the snapshot: only what the snapshot knew. */
function snapshotContact(c: CampaignRow, r: CampaignRecipientRow): Contact {
  const { phone, country } = derivePhone(r.waId);
  return {
    id: '',
    channel: c.channel,
    waId: r.waId,
    name: r.name,
    phone,
    country,
    consent: {},
    attributes: {},
    tags: [],
    timezone: null,
    lastInboundAt: null,
    createdAt: '',
    updatedAt: '',
  };
}
