import type { AsyncOf, OutboxRepository, OutboxRow } from '@switchboard/db';
import type { WhatsAppService } from '@switchboard/nodes';
import type { InboxBus } from './bus.js';
import { outboundEvent } from './events.js';

type Outbox = AsyncOf<OutboxRepository>;

/** The sender's outcomes the inbox shows (a retry or a deferral leaves the message queued: no news). */
const OUTCOMES: Record<string, string> = {
  markAccepted: 'accepted',
  markFailed: 'failed',
  markRefused: 'refused',
};

/**
 * The sender's outbox, telling the inbox stream when a message it sent was accepted, failed or refused.
 * The sender names rows by id only: their recipients are remembered from its claims, so no extra read.
 */
export function announcingOutbox<T extends Outbox>(outbox: T, inbox: Pick<InboxBus, 'publish'>): T {
  const claimed = new Map<string, Pick<OutboxRow, 'channel' | 'recipient'>>();
  return new Proxy(outbox, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const name = String(prop);
      if (name === 'claimDue')
        return async (...args: Parameters<Outbox['claimDue']>) => {
          const rows = await value.apply(target, args);
          // Claims that never reach an outcome (a crash) must not pile up.
          if (claimed.size > 10_000) claimed.clear();
          for (const row of rows) claimed.set(row.id, { channel: row.channel, recipient: row.recipient });
          return rows;
        };
      const status = OUTCOMES[name];
      if (!status) return value.bind(target);
      return async (id: string, ...rest: unknown[]) => {
        const result = await value.call(target, id, ...rest);
        const row = claimed.get(id);
        if (row) {
          claimed.delete(id);
          inbox.publish(outboundEvent({ id, channel: row.channel, recipient: row.recipient, status }));
        }
        return result;
      };
    },
  });
}

/** The messaging nodes' sends, each announced to the inbox stream once it is queued (or refused). */
export function announcingWhatsApp(
  service: WhatsAppService,
  inbox: Pick<InboxBus, 'publish'>,
): WhatsAppService {
  return {
    ...service,
    async send(args) {
      const result = await service.send(args);
      if (result.ok)
        inbox.publish(
          outboundEvent({
            id: result.messageId,
            channel: args.channel,
            recipient: args.to.replace(/^\+/, ''),
            status: result.status,
          }),
        );
      return result;
    },
  };
}
