import type { Conversation, StoredEvent } from '@switchboard/db';
import type { EngineEvent } from '@switchboard/engine';
import { type NormalizedEvent, templateWebhookChange } from '@switchboard/whatsapp';
import type { InboxBus, InboxEvent } from '../inbox/index.js';
import type { AppLogger } from '../logger.js';
import { eventIdOf, type OutgoingEvent, randomEventId, type SubscriptionEvents } from './events.js';

// Where events come from. WhatsApp events are written in the dispatcher's transaction (see
// SubscriptionEvents.emitIn); run failures and conversation changes after their commit, in the process
// that made them (the engine's events and the routing desk's inbox notices are told once, there).

/**
 * The subscribers' event for a dispatched WhatsApp event (message received, status, opt-in/out), or
 * undefined for other kinds. Its id comes from Meta's dedupe key: a webhook Meta sends twice is one
 * event. `outboxId` names our message for a status, when it is known.
 */
export function whatsappEvent(
  stored: StoredEvent,
  channel: string,
  outboxId?: string | null,
): OutgoingEvent | undefined {
  const event = stored.normalized as NormalizedEvent;
  const base = { id: eventIdOf(`wa:${event.dedupeKey ?? stored.id}`), occurredAt: event.timestamp };
  switch (event.type) {
    case 'message.received': {
      const { type: _t, channel: _c, dedupeKey: _d, referral, ...rest } = event;
      // The referral's raw object is Meta's, unfiltered: the normalized fields are enough.
      const ad = referral ? { ...referral, raw: undefined } : null;
      return { ...base, type: 'message.received', data: { channel, ...rest, referral: ad } };
    }
    case 'message.status': {
      const { type: _t, channel: _c, dedupeKey: _d, bizOpaqueCallbackData: _b, ...rest } = event;
      return { ...base, type: 'message.status', data: { channel, outboxId: outboxId ?? null, ...rest } };
    }
    case 'contact.opted_in':
    case 'contact.opted_out': {
      const { type, channel: _c, dedupeKey: _d, ...rest } = event;
      return { ...base, type, data: { channel, ...rest } };
    }
    case 'webhook.other': {
      // A template's review, pause, disable or quality change (message_template_* webhooks).
      const change = templateWebhookChange(event.field, event.value);
      if (!change) return undefined;
      const { providerId, ...rest } = change;
      return {
        ...base,
        type: 'template.status',
        data: { channel, wabaId: event.wabaId, templateId: providerId, ...rest },
      };
    }
    default:
      return undefined;
  }
}

/** A failed run, from the engine's `run.finished`; its id is the run's, so it is owed once. */
export function runFailedEvent(e: EngineEvent, at: Date): OutgoingEvent | undefined {
  if (e.type !== 'run.finished' || e.status !== 'failed') return undefined;
  return {
    id: eventIdOf(`run.failed:${e.runId}`),
    type: 'run.failed',
    occurredAt: at.toISOString(),
    data: { runId: e.runId, flowId: e.flowId, error: e.error },
  };
}

/** A conversation's change as subscribers see it: given to an agent, or closed; others are not sent. */
export function conversationEvent(
  event: InboxEvent,
  c: Conversation | undefined,
  at: Date,
): OutgoingEvent | undefined {
  if (event.type !== 'conversation') return undefined;
  const closed = event.state === 'closed';
  const assigned =
    !closed && event.agentId !== null && ['assigned', 'picked_up', 'transferred'].includes(event.reason);
  if (!closed && !assigned) return undefined;
  return {
    id: randomEventId(),
    type: closed ? 'conversation.closed' : 'conversation.assigned',
    occurredAt: at.toISOString(),
    data: {
      conversationId: event.id,
      teamId: event.teamId,
      agentId: event.agentId,
      state: event.state,
      reason: event.reason,
      channel: c?.channel ?? null,
      waId: c?.waId ?? null,
    },
  };
}

/**
 * The inbox bus the routing desk publishes on, also telling subscribers about assignments and closes.
 * Wrapping the publisher (not subscribing to the bus) matters on Postgres: every process hears every
 * bus event, but only the one that made the change publishes it, so the event is owed once.
 */
export function tapConversations(
  bus: InboxBus,
  events: SubscriptionEvents,
  conversations: { get(id: string): Promise<Conversation | undefined> },
  logger: AppLogger,
  now: () => Date = () => new Date(),
): InboxBus {
  const forward = async (list: readonly InboxEvent[]) => {
    for (const e of list) {
      if (e.type !== 'conversation') continue;
      const wantedType = e.state === 'closed' ? 'conversation.closed' : 'conversation.assigned';
      if (!(await events.wanted(wantedType))) continue;
      const out = conversationEvent(e, await conversations.get(e.id), now());
      if (out) await events.emit(out);
    }
  };
  return {
    publish(list) {
      bus.publish(list);
      const all = Array.isArray(list) ? list : [list as InboxEvent];
      forward(all).catch((error) =>
        logger.warn({ err: error }, 'conversation events could not be queued for subscriptions'),
      );
    },
    subscribe: (listener) => bus.subscribe(listener),
    listenerCount: () => bus.listenerCount(),
    close: () => bus.close(),
  };
}
