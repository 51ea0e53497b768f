import type { AsyncOf, CrmSyncRecordRow, CrmSyncRepository } from '@switchboard/db';
import type { HttpService } from '@switchboard/nodes';
import type { AppLogger } from '../logger.js';
import { type Loop, startLoop } from '../loop.js';
import { type RetrySettings, retryDelayMs } from '../subscriptions/delivery.js';
import { CrmCallError, type CrmProvider, crmTimeline } from './providers.js';

/** Records claimed per look; they are synced one after another (a CRM's rate limits are per account). */
const BATCH = 20;

export interface CrmSyncDeps {
  repo: AsyncOf<CrmSyncRepository>;
  http: () => HttpService;
  retry: RetrySettings;
  logger: AppLogger;
  pollMs: number;
  leaseMs?: number;
  now?: () => Date;
}

/**
 * The sync loop (workers only): claims due records under a lease, finds the contact by phone (creating
 * it when missing), keeps its id on the record, writes the timeline entry and marks the record synced.
 * A CRM that is down (no answer, 429, 5xx) is retried with the subscriptions' backoff until the retry
 * window closes, then the record is dead; an answer that retrying cannot change (a wrong credential, a
 * refused address, a 4xx) makes it dead at once, with the error, replayable once fixed. A record whose
 * channel stopped syncing is skipped.
 */
export function startCrmSync(deps: CrmSyncDeps): Loop {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'crm-sync' });

  async function sync(r: CrmSyncRecordRow): Promise<void> {
    const setting = await deps.repo.setting(r.channel);
    if (!setting?.enabled) {
      await deps.repo.record({
        id: r.id,
        at: now().toISOString(),
        outcome: 'skipped',
        error: 'sync is off for this channel',
      });
      return;
    }
    const timeline = crmTimeline(deps.http(), {
      provider: setting.provider as CrmProvider,
      credential: setting.credential,
      logAs: setting.logAs,
    });
    const entry = {
      direction: r.direction as 'in' | 'out',
      waId: r.waId,
      name: r.name,
      text: r.text,
      messageId: r.messageId,
      messageAt: r.messageAt,
    };
    let contactId = r.crmContactId;
    try {
      if (!contactId) {
        const contact = await timeline.findOrCreateContact(entry);
        contactId = contact.id;
        await deps.repo.noteContact(r.id, contact.id, contact.created);
      }
      const recordId = await timeline.log(contactId, entry);
      await deps.repo.record({ id: r.id, at: now().toISOString(), outcome: 'synced', crmRecordId: recordId });
    } catch (error) {
      const retryable = error instanceof CrmCallError ? error.retryable : true;
      const message = error instanceof Error ? error.message : String(error);
      const at = now();
      const windowEnd = Date.parse(r.firstAttemptAt ?? at.toISOString()) + deps.retry.retryWindowMs;
      const outcome = retryable && at.getTime() < windowEnd ? 'retry' : 'dead';
      const retryAt = Math.min(at.getTime() + retryDelayMs(r.attempts, deps.retry), windowEnd);
      await deps.repo.record({
        id: r.id,
        at: at.toISOString(),
        outcome,
        error: message,
        retryAt: new Date(retryAt).toISOString(),
      });
      if (outcome === 'dead')
        log.warn(
          { recordId: r.id, channel: r.channel, attempts: r.attempts, error: message },
          'a CRM timeline entry could not be written and is dead (replay it once the cause is fixed)',
        );
    }
  }

  const loop = startLoop({
    name: 'crm-sync',
    pollMs: deps.pollMs,
    onError: (error) => log.error({ err: error }, 'CRM sync tick failed'),
    tick: async () => {
      const due = await deps.repo.claimDue(now().toISOString(), BATCH, deps.leaseMs);
      for (const r of due)
        await sync(r).catch((error) => log.error({ err: error, recordId: r.id }, 'a CRM sync failed'));
      return { again: due.length === BATCH };
    },
  });
  return loop;
}
