import { type Database, HELD_STATES, type Repositories, type StoredEvent } from '@switchboard/db';
import type { Engine } from '@switchboard/engine';
import { countryOf, type NormalizedEvent, templateWebhookChange } from '@switchboard/whatsapp';
import type { CrmSyncTap } from '../crm-sync/tap.js';
import type { ActiveTrigger, FlowService } from '../flow-service.js';
import type { InboxBus } from '../inbox/bus.js';
import { type InboxEvent, outboundEvent } from '../inbox/events.js';
import type { AppLogger } from '../logger.js';
import { startLoop } from '../loop.js';
import type { Metrics } from '../metrics.js';
import type { SubscriptionEvents } from '../subscriptions/events.js';
import { whatsappEvent } from '../subscriptions/sources.js';
import { deliverHookKeys } from '../waits/hook-waits.js';
import { deliverStatusKeys } from '../waits/status-waits.js';
import type { EventJob } from './event-jobs.js';
import type { SimulatorDispatch } from './simulator.js';

export interface DispatcherDeps {
  database: Database;
  flows: Pick<FlowService, 'activeTriggers' | 'latestTrigger'>;
  engine: Pick<Engine, 'newRun'>;
  /** Called after a batch woke or started runs, so the scheduler looks at once. */
  onRunsWoken: () => void;
  logger: AppLogger;
  metrics: Metrics;
  pollMs: number;
  now?: () => Date;
  /** Events on the simulator's channel go only to the flow under test (see `SimulatorDispatch`). */
  simulator?: SimulatorDispatch;
  /**
   * Events reach this process as queued jobs (`handleJob`); the loop only sweeps up events older than
   * `SWEEP_MIN_AGE_MS` that no job took (their web process died between the commit and the enqueue).
   */
  sweepOnly?: boolean;
  /** Hears inbound messages and outbox status changes once their batch committed (the inbox stream). */
  inbox?: Pick<InboxBus, 'publish'>;
  /** Owes subscribers message, status and consent events, in the transaction that handles them. */
  subscriptions?: Pick<SubscriptionEvents, 'emitIn'>;
  /** Owes the channel's CRM timeline its messages, in the same transaction (crm-sync/). */
  crmSync?: Pick<CrmSyncTap, 'inboundIn' | 'outboundIn'>;
  /** Told after a batch added sync records (the sync loop looks at once). */
  onCrmSyncQueued?: () => void;
}

/** A reply counts for a campaign this long after its message was queued (docs/campaigns.md). */
const CAMPAIGN_REPLY_MS = 72 * 60 * 60 * 1000;

/** With a job queue, the sweep leaves events younger than this to their jobs. */
const SWEEP_MIN_AGE_MS = 30_000;
const SWEEP_POLL_MS = 5_000;

const countries = new Map<string, string | null>();

/** Phone and country of a WhatsApp id (country lookups are cached: they cost more than the insert). */
export function derivePhone(waId: string): { phone: string; country: string | null } {
  let country = countries.get(waId);
  if (country === undefined) {
    country = countryOf(waId);
    if (countries.size > 50_000) countries.clear();
    countries.set(waId, country);
  }
  return { phone: `+${waId}`, country };
}

/**
 * Processes stored webhook events in arrival order: contacts and their 24-hour window, consent,
 * outbox statuses, and waking runs that wait for a contact's reply. A batch is one transaction: its
 * effects and the events' `processed` marks commit together, so a restart redoes exactly the events not
 * yet done, and the ingest path keeps the disk to itself as much as possible.
 */
/** Events per transaction: big enough to share the commit, small enough not to stall requests. */
const BATCH = 100;

export function startDispatcher(deps: DispatcherDeps) {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'dispatcher' });

  /** Runs started or woken by one transaction's events (several transactions may be in flight). */
  type Tally = { woke: number; inbox: InboxEvent[]; crm?: number };

  /**
   * Starts a run of every active flow whose trigger wants this event, in the dispatcher's transaction.
   * On the simulator's channel, only the contact's flow under test (active or not) is considered.
   */
  async function startRuns(
    r: Repositories,
    event: NormalizedEvent,
    channel: string,
    contactId: string | null,
    tally: Tally,
  ) {
    const payload = { ...event, channelId: channel } as never;
    const sim = deps.simulator;
    let triggers: ActiveTrigger[];
    let clockOffsetMs: number | null = null;
    if (sim && channel === sim.channel) {
      const messageId = event.type === 'message.received' ? event.messageId : undefined;
      const target = await sim.target(r.simulator, contactId, messageId);
      if (!target?.trigger.def.listensTo.includes(event.type)) return;
      triggers = [target.trigger];
      clockOffsetMs = target.clockOffsetMs;
    } else triggers = await deps.flows.activeTriggers(event.type);
    for (const t of triggers) {
      if (!t.def.matches(t.node.params, payload)) continue;
      await r.runs.createRun(
        deps.engine.newRun({
          flow: t.flow,
          flowVersion: t.version,
          payload,
          contactId,
          triggerNodeId: t.node.id,
          ...(clockOffsetMs ? { clockOffsetMs } : {}),
        }),
      );
      tally.woke++;
    }
  }

  /**
   * A first reply to a campaign message starts the campaign's reply flow (its latest valid version,
   * active or not) with the message as its trigger data plus `campaign: { id, name }`. Returns whether
   * any started: then the message starts no other flow (it answers the campaign).
   */
  async function startCampaignReplies(
    r: Repositories,
    event: Extract<NormalizedEvent, { type: 'message.received' }>,
    channel: string,
    campaigns: Array<{ id: string; name: string; replyFlowId: string | null }>,
    tally: Tally,
  ): Promise<boolean> {
    let started = 0;
    for (const c of campaigns) {
      if (!c.replyFlowId) continue;
      const t = await deps.flows.latestTrigger(c.replyFlowId);
      if (!t) {
        log.warn(
          { campaignId: c.id, flowId: c.replyFlowId },
          'a campaign reply flow is gone or a draft: not started',
        );
        continue;
      }
      await r.runs.createRun(
        deps.engine.newRun({
          flow: t.flow,
          flowVersion: t.version,
          payload: { ...event, channelId: channel, campaign: { id: c.id, name: c.name } } as never,
          contactId: event.waId,
          triggerNodeId: t.node.id,
        }),
      );
      started++;
    }
    tally.woke += started;
    return started > 0;
  }

  /** The subscribers' copy of a WhatsApp event (none for the editor's simulator channel). */
  async function emit(r: Repositories, stored: StoredEvent, channel: string, outboxId?: string | null) {
    const out = channel !== deps.simulator?.channel ? whatsappEvent(stored, channel, outboxId) : undefined;
    if (out) await deps.subscriptions?.emitIn(r, out);
  }

  async function handle(r: Repositories, stored: StoredEvent, tally: Tally) {
    const event = stored.normalized as NormalizedEvent;
    const channel = stored.channelId ?? 'default';
    if (stored.type === 'webhook.received') {
      // Generic /hooks/<path>: wakes runs waiting for this body (same commit as the event's mark), and
      // starts the flows it triggers.
      const hook = stored.normalized as { path: string; body: unknown; query?: unknown; timestamp: string };
      const delivery = {
        path: hook.path,
        body: hook.body,
        query: hook.query ?? {},
        receivedAt: stored.receivedAt,
      };
      tally.woke += (await deliverHookKeys(r, delivery, now())).length;
      return startRuns(r, event, channel, null, tally);
    }
    switch (event.type) {
      case 'message.received': {
        if (!event.waId) return;
        await r.contacts.recordMessage({
          waId: event.waId,
          channel,
          name: event.profileName,
          at: event.timestamp,
          ...derivePhone(event.waId),
        });
        await emit(r, stored, channel);
        // A reply to a campaign message is counted on its recipient (the first one only).
        const repliedTo =
          channel !== deps.simulator?.channel
            ? await r.campaigns.markReplied(
                channel,
                event.waId,
                new Date(now().getTime() - CAMPAIGN_REPLY_MS).toISOString(),
                event.timestamp,
              )
            : [];
        if (channel !== deps.simulator?.channel && (await deps.crmSync?.inboundIn(r, stored, channel)))
          tally.crm = (tally.crm ?? 0) + 1;
        const owned = await r.conversations.activeForContact(event.waId, channel);
        tally.inbox.push({
          type: 'message',
          conversationId: owned?.id ?? null,
          waId: event.waId,
          channel,
          direction: 'in',
          messageId: event.messageId,
        });
        if (owned && HELD_STATES.includes(owned.state)) {
          // Bot hand-off (docs/routing.md): while a person holds the contact's conversation (assigned or
          // picked up) their messages start no flow and wake no waiting run, until it is closed or handed
          // back. The message stays stored and in the inbox's history; the history says why.
          await r.conversations.addEvent(owned.id, now().toISOString(), 'bot_skipped', {
            messageId: event.messageId,
            reason: 'human_owns_conversation',
          });
          return;
        }
        // A contact whose run waits for a reply resumes that run; otherwise the message may start new ones.
        const resumed = await r.runs.fireWaits({
          key: `reply:${channel}:${event.waId}`,
          payload: { ...event, channelId: channel } as never,
          now: now(),
        });
        tally.woke += resumed.length;
        const sim = deps.simulator;
        if (sim && channel === sim.channel && resumed.length > 0) {
          // A simulated reply with a clock override moves the clock of the runs it wakes.
          const offset = await sim.clockOf(r.simulator, event.messageId);
          if (offset !== null) await sim.setClockOffset(r.simulator, resumed, offset);
        }
        if (resumed.length === 0 && !(await startCampaignReplies(r, event, channel, repliedTo, tally)))
          await startRuns(r, event, channel, event.waId, tally);
        return;
      }
      case 'message.status': {
        const error = event.errors[0];
        // Waits on this message's delivery or read end in the same transaction.
        const row = await r.outbox.applyStatus({
          providerMessageId: event.messageId,
          status: event.status,
          at: event.timestamp,
          error: error
            ? { code: error.code, message: error.title ?? error.message ?? 'error', details: error.details }
            : null,
          bizOpaqueCallbackData: event.bizOpaqueCallbackData,
        });
        if (row) {
          tally.woke += (await deliverStatusKeys(r.runs.fireWaits, row, now())).length;
          tally.inbox.push(outboundEvent(row));
          if (
            channel !== deps.simulator?.channel &&
            (await deps.crmSync?.outboundIn(r, row, event.timestamp))
          )
            tally.crm = (tally.crm ?? 0) + 1;
        }
        await emit(r, stored, channel, row?.id);
        await startRuns(r, event, channel, event.recipientWaId, tally);
        return;
      }
      case 'contact.opted_out':
      case 'contact.opted_in': {
        await r.contacts.ensure({ waId: event.waId, channel, at: event.timestamp, derive: derivePhone });
        const optedIn = event.type === 'contact.opted_in';
        await r.contacts.setConsent({
          waId: event.waId,
          channel,
          category: event.category,
          record: { optedIn, source: event.source, at: event.timestamp },
        });
        await emit(r, stored, channel);
        deps.metrics.consentChanges.inc({ direction: optedIn ? 'opt_in' : 'opt_out', source: event.source });
        await startRuns(r, event, channel, event.waId, tally);
        return;
      }
      case 'channel.error':
        log.warn(
          { errors: event.errors, channel: event.channel },
          'WhatsApp reported an error for the channel',
        );
        return;
      case 'webhook.other': {
        // Template reviews, pauses and quality changes update the stored templates (every channel's copy).
        const change = templateWebhookChange(event.field, event.value);
        if (change) {
          const rows = await r.templates.applyChange(change, now().toISOString());
          log.info(
            {
              template: change.name,
              language: change.language,
              status: change.status,
              quality: change.quality,
              rows: rows.length,
            },
            'template status changed',
          );
          await emit(r, stored, channel);
        }
        return;
      }
    }
  }

  /**
   * Handles, in one transaction, the events `take` returns inside it (re-read under lock, so an event
   * another path handled meanwhile is skipped); each in a savepoint, so one failing event undoes only its
   * own effects. Returns how many events it handled.
   */
  async function handleInTransaction(take: (r: Repositories) => Promise<StoredEvent[]>): Promise<number> {
    const tally: Tally = { woke: 0, inbox: [] };
    const at = now().toISOString();
    const handled = await deps.database.transaction(async (r) => {
      const events = await take(r);
      const done: number[] = [];
      for (const stored of events) {
        try {
          await r.savepoint((sp) => handle(sp, stored, tally));
          done.push(stored.id);
        } catch (error) {
          log.error({ err: error, eventId: stored.id, type: stored.type }, 'event processing failed');
          await r.events.markProcessed(stored.id, at, error instanceof Error ? error.message : String(error));
        }
      }
      await r.events.markAllProcessed(done, at);
      return events.length;
    });
    if (tally.woke > 0) deps.onRunsWoken();
    if (tally.inbox.length) deps.inbox?.publish(tally.inbox);
    if (tally.crm) deps.onCrmSyncQueued?.();
    return handled;
  }

  const loop = startLoop({
    name: 'dispatcher',
    pollMs: deps.sweepOnly ? Math.max(deps.pollMs, SWEEP_POLL_MS) : deps.pollMs,
    nudgeDelayMs: 50,
    onError: (error) => log.error({ err: error }, 'dispatcher tick failed'),
    tick: async () => {
      const batch = await deps.database.repos.events.pending(
        BATCH,
        deps.sweepOnly ? { minAgeMs: SWEEP_MIN_AGE_MS, now: now() } : {},
      );
      if (batch.length === 0) return { again: false };
      const ids = batch.map((e) => e.id);
      await handleInTransaction((r) => r.events.lockPending(ids));
      return { again: batch.length === BATCH };
    },
  });

  return {
    nudge: () => loop.nudge(),
    stop: () => loop.stop(),
    /**
     * A queued job for one event: handles that contact's pending events up to and including it, in order
     * (an older one whose job never came goes first); nothing if it was handled already.
     */
    handleJob: (job: EventJob) =>
      handleInTransaction((r) => r.events.takeContactPending(job.provider, job.providerEventId)),
  };
}

export type Dispatcher = ReturnType<typeof startDispatcher>;
