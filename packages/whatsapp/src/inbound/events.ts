import type { Json } from '@switchboard/flow-schema';

/** The business number a webhook change belongs to (route tenants on `phoneNumberId`). */
export interface ChannelRef {
  phoneNumberId: string;
  displayPhoneNumber: string | null;
}

/** An error object as Meta sends it in `value.errors`, `messages[].errors` and `statuses[].errors`. */
export interface MetaError {
  code: number;
  title: string | null;
  message: string | null;
  details: string | null;
  href: string | null;
}

interface MediaFields {
  mediaId: string;
  mimeType: string | null;
  sha256: string | null;
  url: string | null;
}

/** The typed content of an inbound message, discriminated on `type`. */
export type InboundMessage =
  | { type: 'text'; text: string }
  | { type: 'button_reply'; id: string; title: string }
  | { type: 'list_reply'; id: string; title: string; description: string | null }
  /** A WhatsApp Flow reply (`nfm_reply`); `response` is `response_json` parsed (null if it was not JSON). */
  | { type: 'flow_reply'; name: string | null; body: string | null; response: Json; flowToken: string | null }
  /** A template quick-reply tap (`type: "button"`). */
  | { type: 'template_button'; payload: string; text: string }
  | ({ type: 'image' | 'video'; caption: string | null } & MediaFields)
  | ({ type: 'audio'; voice: boolean } & MediaFields)
  | ({ type: 'document'; caption: string | null; filename: string | null } & MediaFields)
  | ({ type: 'sticker'; animated: boolean } & MediaFields)
  | {
      type: 'location';
      latitude: number;
      longitude: number;
      name: string | null;
      address: string | null;
      url: string | null;
    }
  | { type: 'contacts'; contacts: Json[] }
  /** `emoji` is null when the customer removed their reaction. */
  | { type: 'reaction'; messageId: string; emoji: string | null }
  | {
      type: 'order';
      catalogId: string | null;
      text: string | null;
      items: Array<{
        productRetailerId: string;
        quantity: number;
        itemPrice: number | null;
        currency: string | null;
      }>;
    }
  | { type: 'system'; body: string | null; systemType: string | null; newWaId: string | null }
  | { type: 'unsupported'; originalType: string | null; errors: MetaError[] };

export type InboundMessageType = InboundMessage['type'];

export interface MessageContext {
  /** The business message this one replies to (button taps, quotes). */
  replyToId: string | null;
  from: string | null;
  forwarded: boolean;
  frequentlyForwarded: boolean;
  referredProduct: { catalogId: string | null; productRetailerId: string | null } | null;
}

/** Click-to-WhatsApp ad attribution. */
export interface Referral {
  sourceUrl: string | null;
  sourceId: string | null;
  sourceType: string | null;
  headline: string | null;
  body: string | null;
  mediaType: string | null;
  ctwaClid: string | null;
  raw: Json;
}

export type OutboundStatus = 'sent' | 'delivered' | 'read' | 'failed' | 'played';

interface Base {
  /** Unique per real-world event; Meta's re-deliveries produce the same key. */
  dedupeKey: string;
  /** ISO-8601 time the event happened (from Meta's timestamp), not when we received it. */
  timestamp: string;
  wabaId: string | null;
}

export type NormalizedEvent =
  | (Base & {
      type: 'message.received';
      channel: ChannelRef;
      messageId: string;
      /** The customer's WhatsApp id (phone digits); may be missing for username-only users. */
      waId: string | null;
      /** Business-scoped user id (BSUID), when Meta sends one. */
      userId: string | null;
      profileName: string | null;
      message: InboundMessage;
      context: MessageContext | null;
      referral: Referral | null;
      /**
       * Set when the message is an opt-out or opt-in keyword (STOP, BAJA, ALTA…): a consent event follows
       * it, and message triggers without their own keyword or button filter leave it alone.
       */
      consentKeyword?: 'opt_out' | 'opt_in';
    })
  | (Base & {
      type: 'message.status';
      channel: ChannelRef;
      /** The wamid of the message we sent. */
      messageId: string;
      status: OutboundStatus;
      recipientWaId: string | null;
      errors: MetaError[];
      pricing: {
        billable: boolean | null;
        model: string | null;
        type: string | null;
        category: string | null;
      } | null;
      conversation: { id: string | null; originType: string | null; expiresAt: string | null } | null;
      bizOpaqueCallbackData: string | null;
    })
  | (Base & {
      type: 'contact.opted_out' | 'contact.opted_in';
      channel: ChannelRef;
      waId: string;
      /** `marketing` for WhatsApp's "offers and announcements" setting and error 131050; `all` for keywords. */
      category: 'marketing' | 'all';
      source: 'keyword' | 'user_preferences' | 'error_131050';
      detail: string | null;
    })
  | (Base & { type: 'channel.error'; channel: ChannelRef | null; errors: MetaError[] })
  /** Any other webhook `field` (account_update, message_template_status_update, …), kept whole. */
  | (Base & { type: 'webhook.other'; field: string; value: Json });

export type NormalizedEventType = NormalizedEvent['type'];

export interface NormalizeOptions {
  /** Words that opt a contact out (compared trimmed, case- and accent-insensitive). */
  optOutKeywords?: readonly string[];
  optInKeywords?: readonly string[];
}

export const DEFAULT_OPT_OUT_KEYWORDS = ['STOP', 'BAJA', 'CANCELAR', 'UNSUBSCRIBE'] as const;
export const DEFAULT_OPT_IN_KEYWORDS = ['START', 'ALTA'] as const;

export interface NormalizeResult {
  events: NormalizedEvent[];
  /** Parts of the body that could not be understood (kept out of `events`, never thrown). */
  problems: string[];
}
