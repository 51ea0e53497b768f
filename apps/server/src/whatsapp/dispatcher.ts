import type {
  ContactRepository,
  Db,
  EventRepository,
  OutboxRepository,
  SqliteRunStore,
  StoredEvent,
} from '@switchboard/db';
import type { Engine } from '@switchboard/engine';
import { countryOf, type NormalizedEvent } from '@switchboard/whatsapp';
import type { ActiveTrigger, FlowService } from '../flow-service.js';
import type { AppLogger } from '../logger.js';
import { startLoop } from '../loop.js';
import type { Metrics } from '../metrics.js';
import { deliverHookKeys } from '../waits/hook-waits.js';
import type { SimulatorDispatch } from './simulator.js';

export interface DispatcherDeps {
  db: Db;
  events: EventRepository;
  contacts: ContactRepository;
  outbox: OutboxRepository;
  store: Pick<SqliteRunStore, 'fireWaitsNow' | 'createRunNow'>;
  flows: Pick<FlowService, 'activeTriggers'>;
  engine: Pick<Engine, 'newRun'>;
  /** Called after a batch woke or started runs, so the scheduler looks at once. */
  onRunsWoken: () => void;
  logger: AppLogger;
  metrics: Metrics;
  pollMs: number;
  now?: () => Date;
  /** Events on the simulator's channel go only to the flow under test (see `SimulatorDispatch`). */
  simulator?: SimulatorDispatch;
}

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

  let woke = 0;

  /**
   * Starts a run of every active flow whose trigger wants this event, in the dispatcher's transaction.
   * On the simulator's channel, only the contact's flow under test (active or not) is considered.
   */
  function startRuns(event: NormalizedEvent, channel: string, contactId: string | null) {
    const payload = { ...event, channelId: channel } as never;
    const sim = deps.simulator;
    let triggers: ActiveTrigger[];
    let clockOffsetMs: number | null = null;
    if (sim && channel === sim.channel) {
      const target = sim.target(contactId, event.type === 'message.received' ? event.messageId : undefined);
      if (!target?.trigger.def.listensTo.includes(event.type)) return;
      triggers = [target.trigger];
      clockOffsetMs = target.clockOffsetMs;
    } else triggers = deps.flows.activeTriggers(event.type);
    for (const t of triggers) {
      if (!t.def.matches(t.node.params, payload)) continue;
      deps.store.createRunNow(
        deps.engine.newRun({
          flow: t.flow,
          flowVersion: t.version,
          payload,
          contactId,
          triggerNodeId: t.node.id,
          ...(clockOffsetMs ? { clockOffsetMs } : {}),
        }),
      );
      woke++;
    }
  }

  function handle(stored: StoredEvent) {
    const event = stored.normalized as NormalizedEvent;
    const channel = stored.channelId ?? 'default';
    if (stored.type === 'webhook.received') {
      // Generic /hooks/<path>: wakes runs waiting for this body (same commit as the event's mark), and
      // starts the flows it triggers.
      const hook = stored.normalized as { path: string; body: unknown; query?: unknown; timestamp: string };
      woke += deliverHookKeys(
        { db: deps.db, fire: (args) => deps.store.fireWaitsNow(args) },
        { path: hook.path, body: hook.body, query: hook.query ?? {}, receivedAt: stored.receivedAt },
        now(),
      ).length;
      return startRuns(event, channel, null);
    }
    switch (event.type) {
      case 'message.received': {
        if (!event.waId) return;
        deps.contacts.recordMessage({
          waId: event.waId,
          channel,
          name: event.profileName,
          at: event.timestamp,
          ...derivePhone(event.waId),
        });
        // A contact whose run waits for a reply resumes that run; otherwise the message may start new ones.
        const resumed = deps.store.fireWaitsNow({
          key: `reply:${channel}:${event.waId}`,
          payload: { ...event, channelId: channel } as never,
          now: now(),
        });
        woke += resumed.length;
        const sim = deps.simulator;
        if (sim && channel === sim.channel && resumed.length > 0) {
          // A simulated reply with a clock override moves the clock of the runs it wakes.
          const offset = sim.clockOf(event.messageId);
          if (offset !== null) sim.setClockOffset(resumed, offset);
        }
        if (resumed.length === 0) startRuns(event, channel, event.waId);
        return;
      }
      case 'message.status': {
        const error = event.errors[0];
        deps.outbox.applyStatus({
          providerMessageId: event.messageId,
          status: event.status,
          at: event.timestamp,
          error: error
            ? { code: error.code, message: error.title ?? error.message ?? 'error', details: error.details }
            : null,
        });
        startRuns(event, channel, event.recipientWaId);
        return;
      }
      case 'contact.opted_out':
      case 'contact.opted_in': {
        deps.contacts.ensure({ waId: event.waId, channel, at: event.timestamp, derive: derivePhone });
        const optedIn = event.type === 'contact.opted_in';
        deps.contacts.setConsent({
          waId: event.waId,
          channel,
          category: event.category,
          record: { optedIn, source: event.source, at: event.timestamp },
        });
        deps.metrics.consentChanges.inc({ direction: optedIn ? 'opt_in' : 'opt_out', source: event.source });
        startRuns(event, channel, event.waId);
        return;
      }
      case 'channel.error':
        log.warn(
          { errors: event.errors, channel: event.channel },
          'WhatsApp reported an error for the channel',
        );
        return;
      case 'webhook.other':
        return;
    }
  }

  return startLoop({
    name: 'dispatcher',
    pollMs: deps.pollMs,
    nudgeDelayMs: 50,
    onError: (error) => log.error({ err: error }, 'dispatcher tick failed'),
    tick: async () => {
      const batch = deps.events.pending(BATCH);
      if (batch.length === 0) return { again: false };
      woke = 0;
      const at = now().toISOString();
      deps.db.$client
        .transaction(() => {
          const done: number[] = [];
          for (const stored of batch) {
            try {
              handle(stored); // effects are idempotent upserts, so one that fails part-way leaves nothing wrong
              done.push(stored.id);
            } catch (error) {
              log.error({ err: error, eventId: stored.id, type: stored.type }, 'event processing failed');
              deps.events.markProcessed(
                stored.id,
                at,
                error instanceof Error ? error.message : String(error),
              );
            }
          }
          deps.events.markAllProcessed(done, at);
        })
        .immediate();
      if (woke > 0) deps.onRunsWoken();
      return { again: batch.length === BATCH };
    },
  });
}
