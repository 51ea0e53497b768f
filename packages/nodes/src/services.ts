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
  /**
   * Where a sent message is now, by the id send nodes output (`messageId`, the outbox id) or by Meta's
   * wamid; null if no such message. Lets a wait for `read` go on at once when it was read already.
   * Optional for hosts without an outbox (a wait then simply parks on the id it was given).
   */
  messageStatus?(args: { messageId: string }): Promise<MessageStatusView | null>;
}

/** A sent message's delivery state as the outbox knows it. */
export interface MessageStatusView {
  /** The outbox id, whatever id it was asked by: wait keys use it. */
  messageId: string;
  /** queued, sending, accepted, sent, delivered, read, played, failed or refused (by policy). */
  status: string;
  /** For failed or refused: Meta's error code (or the policy reason) and its title. */
  error: { code: string | number | null; title: string; details?: string | null } | null;
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

/** How a called run ended, or that it has not yet. */
export interface RunOutcomeView {
  runId: string;
  flowId: string;
  /** queued, running, waiting, succeeded, failed or cancelled. */
  status: string;
  /** For a run that succeeded: its variables and the output of its last completed step. */
  vars: Record<string, Json>;
  output: Json;
  error: { message: string; code?: string } | null;
}

export type StartFlowOutcome =
  | { ok: true; runId: string; flowId: string; flowVersion: number; created: boolean }
  /** The flow does not exist, is not active, cannot be called, or the call depth limit was reached. */
  | { ok: false; reason: 'not_found' | 'inactive' | 'not_callable' | 'too_deep'; message: string };

/** Starts runs of other flows for the "call flow" node; the server provides it over its engine. */
export interface FlowsService {
  /**
   * Starts a run of `flowId` with `input` as its trigger payload, for the same contact. A second call
   * with the same idempotency key (a re-run step) returns the first child instead of starting another.
   */
  start(args: {
    flowId: string;
    /** `active`: the flow's current version, only if the flow is active; `latest`: it, active or not. */
    version: 'active' | 'latest';
    input: Json;
    contactId: string | null;
    parentRunId: string;
    parentNodeId: string;
    idempotencyKey: string;
  }): Promise<StartFlowOutcome>;
  outcome(args: { runId: string }): Promise<RunOutcomeView | null>;
  /** Cancels a child the caller stopped waiting for; false if it had already ended. */
  cancel(args: { runId: string }): Promise<boolean>;
}

/** Inbound webhook deliveries, for a wait on one. */
export interface HooksService {
  /**
   * The first body posted to `/hooks/<path>` since run `runId` started whose `field` equals `equals`
   * (see `hookMatches`), or null: a delivery that came before the run parked still counts.
   */
  find(args: { path: string; field: string; equals: string; runId: string }): Promise<Json | null>;
}

declare module '@switchboard/engine' {
  interface NodeServices {
    whatsapp?: WhatsAppService;
    contacts?: ContactsService;
    code?: CodeService;
    flows?: FlowsService;
    hooks?: HooksService;
  }
}

/** The key a run waits on for a contact's next message (the dispatcher wakes it). */
export const replyKey = (channel: string, waId: string) => `reply:${channel}:${waId}`;
