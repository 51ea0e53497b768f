import type { Json } from '@switchboard/flow-schema';
import { z } from 'zod';
import type { InboundMessage, MessageContext, MetaError, Referral } from './events.js';
import type { WebhookContext, WebhookError, WebhookMessage, WebhookReferral } from './webhook-schema.js';

const JsonValue = z.json();

/** `value` as Json, or null when it is not JSON data (undefined, a function, …). */
export function asJson(value: unknown): Json {
  const parsed = JsonValue.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** ISO time from Unix seconds given as a string or number; null when absent or not a usable time. */
export function isoFromUnixSeconds(value: string | number | null | undefined): string | null {
  if (value == null) return null;
  const seconds = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function mapMetaError(error: WebhookError): MetaError {
  return {
    code: error.code,
    title: error.title ?? null,
    message: error.message ?? null,
    details: error.error_data?.details ?? null,
    href: error.href ?? null,
  };
}

export function mapContext(context: WebhookContext | null | undefined): MessageContext | null {
  if (!context) return null;
  const product = context.referred_product;
  return {
    replyToId: context.id ?? null,
    from: context.from ?? null,
    forwarded: context.forwarded === true,
    frequentlyForwarded: context.frequently_forwarded === true,
    referredProduct: product
      ? { catalogId: product.catalog_id ?? null, productRetailerId: product.product_retailer_id ?? null }
      : null,
  };
}

export function mapReferral(referral: WebhookReferral | null | undefined): Referral | null {
  if (!referral) return null;
  return {
    sourceUrl: referral.source_url ?? null,
    sourceId: referral.source_id ?? null,
    sourceType: referral.source_type ?? null,
    headline: referral.headline ?? null,
    body: referral.body ?? null,
    mediaType: referral.media_type ?? null,
    ctwaClid: referral.ctwa_clid ?? null,
    raw: asJson(referral),
  };
}

function parseFlowResponse(responseJson: unknown): { response: Json; flowToken: string | null } {
  if (typeof responseJson !== 'string') return { response: null, flowToken: null };
  let response: Json;
  try {
    response = asJson(JSON.parse(responseJson));
  } catch {
    return { response: null, flowToken: null };
  }
  const token =
    response !== null && typeof response === 'object' && !Array.isArray(response)
      ? response.flow_token
      : null;
  return { response, flowToken: typeof token === 'string' ? token : null };
}

function mapInteractive(
  interactive: NonNullable<WebhookMessage['interactive']>,
  errors: MetaError[],
): InboundMessage | null {
  const { button_reply: button, list_reply: list, nfm_reply: flow } = interactive;
  switch (interactive.type) {
    case 'button_reply':
      return button ? { type: 'button_reply', id: button.id, title: button.title } : null;
    case 'list_reply':
      return list
        ? { type: 'list_reply', id: list.id, title: list.title, description: list.description ?? null }
        : null;
    case 'nfm_reply':
      return flow
        ? {
            type: 'flow_reply',
            name: flow.name ?? null,
            body: flow.body ?? null,
            ...parseFlowResponse(flow.response_json),
          }
        : null;
    default:
      return { type: 'unsupported', originalType: 'interactive', errors };
  }
}

const media = (m: {
  id: string;
  mime_type?: string | null;
  sha256?: string | null;
  url?: string | null;
}) => ({
  mediaId: m.id,
  mimeType: m.mime_type ?? null,
  sha256: m.sha256 ?? null,
  url: m.url ?? null,
});

/**
 * The typed content of a message, or null when the object named by `type` is missing. Types this
 * package does not know become `unsupported` so the customer's message (and its 24-hour window) is kept.
 */
export function mapMessageContent(m: WebhookMessage): InboundMessage | null {
  switch (m.type) {
    case 'text':
      return m.text ? { type: 'text', text: m.text.body } : null;
    case 'interactive':
      return m.interactive ? mapInteractive(m.interactive, (m.errors ?? []).map(mapMetaError)) : null;
    case 'button': {
      const b = m.button;
      if (!b) return null;
      // Meta puts the label in `payload` when no payload was set at send time; the refine guarantees one.
      return { type: 'template_button', payload: b.payload ?? b.text ?? '', text: b.text ?? b.payload ?? '' };
    }
    case 'image':
    case 'video': {
      const v = m[m.type];
      return v ? { type: m.type, caption: v.caption ?? null, ...media(v) } : null;
    }
    case 'audio':
      return m.audio ? { type: 'audio', voice: m.audio.voice === true, ...media(m.audio) } : null;
    case 'document': {
      const d = m.document;
      return d
        ? { type: 'document', caption: d.caption ?? null, filename: d.filename ?? null, ...media(d) }
        : null;
    }
    case 'sticker':
      return m.sticker
        ? { type: 'sticker', animated: m.sticker.animated === true, ...media(m.sticker) }
        : null;
    case 'location': {
      const l = m.location;
      if (!l) return null;
      const { latitude, longitude } = l;
      return {
        type: 'location',
        latitude,
        longitude,
        name: l.name ?? null,
        address: l.address ?? null,
        url: l.url ?? null,
      };
    }
    case 'contacts':
      return m.contacts ? { type: 'contacts', contacts: m.contacts } : null;
    case 'reaction':
      return m.reaction
        ? { type: 'reaction', messageId: m.reaction.message_id, emoji: m.reaction.emoji ?? null }
        : null;
    case 'order': {
      const o = m.order;
      if (!o) return null;
      const items = (o.product_items ?? []).map((item) => ({
        productRetailerId: item.product_retailer_id,
        quantity: item.quantity,
        itemPrice: item.item_price ?? null,
        currency: item.currency ?? null,
      }));
      return { type: 'order', catalogId: o.catalog_id ?? null, text: o.text ?? null, items };
    }
    case 'system': {
      const s = m.system;
      if (!s) return null;
      return {
        type: 'system',
        body: s.body ?? null,
        systemType: s.type ?? null,
        newWaId: s.wa_id ?? s.new_wa_id ?? null,
      };
    }
    default:
      return {
        type: 'unsupported',
        originalType: m.unsupported?.type ?? m.type,
        errors: (m.errors ?? []).map(mapMetaError),
      };
  }
}
