import type { ContactRepository, EventRepository, OutboxRepository, StoredEvent } from '@switchboard/db';
import type { Engine } from '@switchboard/engine';
import { countryOf, type NormalizedEvent } from '@switchboard/whatsapp';
import type { AppLogger } from '../logger.js';
import { startLoop } from '../loop.js';
import type { Metrics } from '../metrics.js';

export interface DispatcherDeps {
  events: EventRepository;
  contacts: ContactRepository;
  outbox: OutboxRepository;
  engine: Engine;
  logger: AppLogger;
  metrics: Metrics;
  pollMs: number;
  now?: () => Date;
}

export const derivePhone = (waId: string) => ({ phone: `+${waId}`, country: countryOf(waId) });

/**
 * Processes stored webhook events in arrival order: contacts and their 24-hour window, consent,
 * outbox statuses, and waking runs that wait for a contact's reply. Each event is marked processed
 * once handled, so a restart picks up exactly the events not yet done.
 */
export function startDispatcher(deps: DispatcherDeps) {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'dispatcher' });

  async function handle(stored: StoredEvent) {
    const event = stored.normalized as NormalizedEvent;
    const channel = stored.channelId ?? 'default';
    switch (event.type) {
      case 'message.received': {
        if (!event.waId) return;
        deps.contacts.ensure({ waId: event.waId, channel, at: event.timestamp, derive: derivePhone });
        deps.contacts.recordInbound({
          waId: event.waId,
          channel,
          name: event.profileName,
          at: event.timestamp,
        });
        await deps.engine.deliver(`reply:${channel}:${event.waId}`, event as never);
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
    onError: (error) => log.error({ err: error }, 'dispatcher tick failed'),
    tick: async () => {
      const batch = deps.events.pending(200);
      for (const stored of batch) {
        try {
          await handle(stored);
          deps.events.markProcessed(stored.id, now().toISOString());
        } catch (error) {
          log.error({ err: error, eventId: stored.id, type: stored.type }, 'event processing failed');
          deps.events.markProcessed(
            stored.id,
            now().toISOString(),
            error instanceof Error ? error.message : String(error),
          );
        }
      }
      return { again: batch.length === 200 };
    },
  });
}
