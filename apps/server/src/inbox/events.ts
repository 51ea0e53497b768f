/**
 * What the inbox's live stream (`GET /api/inbox/stream`) tells clients. Payloads carry ids and the few
 * fields a client needs to decide what to refetch; they never carry message text or customer data.
 */

/** Why a conversation event was sent: the history kind that was written, or a stream-only reason. */
export type ConversationReason =
  | 'opened'
  | 'queued'
  | 'assigned'
  | 'picked_up'
  | 'transferred'
  | 'escalated'
  | 'updated'
  | 'closed'
  | 'handed_back'
  | 'note'
  | (string & {});

export interface ConversationEvent {
  type: 'conversation';
  id: string;
  teamId: string;
  agentId: string | null;
  state: string;
  reason: ConversationReason;
  /** Set when the conversation left another team (a transfer): that team's agents hear it too. */
  fromTeamId?: string;
}

export interface MessageEvent {
  type: 'message';
  /** The contact's conversation that is not closed, when the publisher knew it. */
  conversationId: string | null;
  waId: string;
  channel: string;
  direction: 'in' | 'out';
  /** Inbound: the WhatsApp message id (wamid). Outbound: the outbox id (`/api/messages/:id`). */
  messageId: string;
  /** Outbound only: the row's status after this change (queued, sent, delivered, read, failed…). */
  status?: string;
}

export type InboxEvent = ConversationEvent | MessageEvent;

/** Strips the discriminant: what goes in the SSE `data:` line (the `event:` line names the type). */
export function payloadOf(event: InboxEvent): Omit<InboxEvent, 'type'> {
  const { type: _type, ...rest } = event;
  return rest;
}

/** The stream's event for an outgoing message as it is now (queued, or a status it moved to). */
export function outboundEvent(
  row: { id: string; channel: string; recipient: string; status: string },
  conversationId: string | null = null,
): MessageEvent {
  return {
    type: 'message',
    conversationId,
    waId: row.recipient,
    channel: row.channel,
    direction: 'out',
    messageId: row.id,
    status: row.status,
  };
}
