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

/** A contact as flows see it. */
export interface ContactView {
  waId: string;
  name: string | null;
  country: string | null;
  timezone: string | null;
  tags: string[];
  attributes: Record<string, Json>;
  /** Per category (all, marketing, utility): the latest decision. */
  consent: Record<string, { optedIn: boolean; source: string; at: string }>;
  lastInboundAt: string | null;
}

export interface ContactsService {
  get(args: { waId: string; channel: string }): Promise<ContactView | null>;
  /** Creates the contact if needed; consent changes are recorded with source "flow". */
  update(args: {
    waId: string;
    channel: string;
    attributes?: Record<string, Json>;
    addTags?: string[];
    removeTags?: string[];
    consent?: { category: 'all' | 'marketing' | 'utility'; optedIn: boolean };
  }): Promise<ContactView>;
}

/** Runs untrusted JavaScript away from the host (isolated-vm in the server). */
export interface CodeService {
  /** Runs `code` as the body of an async function with `input` in scope; resolves to its JSON result. */
  run(args: { code: string; input: Json; timeoutMs: number; memoryMb: number }): Promise<Json>;
}

declare module '@switchboard/engine' {
  interface NodeServices {
    whatsapp?: WhatsAppService;
    contacts?: ContactsService;
    code?: CodeService;
  }
}

/** The key a run waits on for a contact's next message (the dispatcher wakes it). */
export const replyKey = (channel: string, waId: string) => `reply:${channel}:${waId}`;
