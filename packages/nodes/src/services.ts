import type { Json } from '@switchboard/engine';

/** A message in the shape the WhatsApp outbox accepts; the server checks it against Meta's limits. */
export type OutgoingMessage = { type: string } & { [key: string]: Json | undefined };

export type SendOutcome =
  | { ok: true; messageId: string; status: string }
  /** Refused by policy (24-hour window, opt-out, blocked region) or by Meta's limits: `reason` says which. */
  | { ok: false; reason: string; message: string };

/** What messaging nodes need from the host; the server provides it over the outbox. */
export interface WhatsAppService {
  send(args: {
    to: string;
    channel: string;
    message: OutgoingMessage;
    /** The step's idempotency key: sending twice with it returns the first message. */
    idempotencyKey: string;
    runId: string;
    nodeId: string;
  }): Promise<SendOutcome>;
}

declare module '@switchboard/engine' {
  interface NodeServices {
    whatsapp?: WhatsAppService;
  }
}

/** The key a run waits on for a contact's next message (the dispatcher wakes it). */
export const replyKey = (channel: string, waId: string) => `reply:${channel}:${waId}`;
