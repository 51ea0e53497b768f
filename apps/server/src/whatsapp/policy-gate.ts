import type { AsyncOf, Contact, OutboxRepository, OutboxRow } from '@switchboard/db';
import { checkSendPolicy, type OutboundMessage, type PolicyRefusal } from '@switchboard/whatsapp';
import type { Metrics } from '../metrics.js';

/**
 * WhatsApp policy for one outbox row, applied when a message is queued and again when it is sent (the
 * 24-hour window or consent can change in between). A refusal is recorded on the row and in /metrics.
 */
export async function refuseIfForbidden(
  deps: {
    outbox: Pick<AsyncOf<OutboxRepository>, 'markRefused'>;
    metrics: Metrics;
    blockedPrefixes: readonly string[];
  },
  row: OutboxRow,
  contact: Contact | undefined,
  at: string,
): Promise<PolicyRefusal | null> {
  const message = row.payload as OutboundMessage;
  const refusal = checkSendPolicy({
    contact: {
      waId: row.recipient,
      lastInboundAt: contact?.lastInboundAt ?? null,
      consent: contact?.consent ?? {},
    },
    message: { type: message.type, category: message.type === 'template' ? message.category : undefined },
    now: new Date(),
    blockedPrefixes: deps.blockedPrefixes,
  });
  if (refusal) {
    await deps.outbox.markRefused(row.id, { code: refusal.reason, message: refusal.message }, at);
    deps.metrics.policyRefusals.inc({ reason: refusal.reason });
  }
  return refusal;
}
