import { z } from 'zod';

// Meta adds fields without notice and the 2026 username rollout drops `from`/`wa_id`, so every object is
// loose and almost every field optional. Arrays of items are `unknown[]` here and each item is parsed on
// its own, so one malformed message cannot hide the rest of the batch.

const str = z.string().nullish();
const bool = z.boolean().nullish();
const items = z.array(z.unknown()).nullish();
/** Unix seconds: a string everywhere except `user_preferences[].timestamp`, which is an integer. */
const unixSeconds = z.union([z.string(), z.number()]).nullish();
/** Numbers Meta documents as JSON numbers but that some senders stringify. */
const numeric = z.union([
  z.number(),
  z
    .string()
    .regex(/^\s*-?\d+(\.\d+)?\s*$/)
    .transform(Number),
]);

export const WebhookBody = z.object({ object: str, entry: z.array(z.unknown()) }).loose();
export type WebhookBody = z.infer<typeof WebhookBody>;

export const WebhookEntry = z.object({ id: str, changes: z.array(z.unknown()) }).loose();
export type WebhookEntry = z.infer<typeof WebhookEntry>;

export const WebhookChange = z.object({ field: z.string(), value: z.unknown().optional() }).loose();
export type WebhookChange = z.infer<typeof WebhookChange>;

export const WebhookMetadata = z.object({ phone_number_id: z.string(), display_phone_number: str }).loose();
export type WebhookMetadata = z.infer<typeof WebhookMetadata>;

export const WebhookContact = z
  .object({
    wa_id: str,
    user_id: str,
    parent_user_id: str,
    profile: z.object({ name: str, username: str }).loose().nullish(),
  })
  .loose();
export type WebhookContact = z.infer<typeof WebhookContact>;

export const WebhookError = z
  .object({
    code: numeric,
    title: str,
    message: str,
    error_data: z.object({ details: str }).loose().nullish(),
    href: str,
  })
  .loose();
export type WebhookError = z.infer<typeof WebhookError>;

const WebhookMedia = z.object({ id: z.string(), mime_type: str, sha256: str, url: str }).loose();

export const WebhookContext = z
  .object({
    id: str,
    from: str,
    forwarded: bool,
    frequently_forwarded: bool,
    referred_product: z.object({ catalog_id: str, product_retailer_id: str }).loose().nullish(),
  })
  .loose();
export type WebhookContext = z.infer<typeof WebhookContext>;

export const WebhookReferral = z
  .object({
    source_url: str,
    source_id: str,
    source_type: str,
    headline: str,
    body: str,
    media_type: str,
    ctwa_clid: str,
  })
  .loose();
export type WebhookReferral = z.infer<typeof WebhookReferral>;

/**
 * One `value.messages[]` item. Only the object named by `type` is read; a missing one is reported by the
 * normalizer rather than here, because any type Meta invents later must still parse.
 */
export const WebhookMessage = z
  .object({
    id: z.string(),
    type: z.string(),
    from: str,
    from_user_id: str,
    timestamp: unixSeconds,
    context: WebhookContext.nullish(),
    referral: WebhookReferral.nullish(),
    errors: z.array(WebhookError).nullish(),
    text: z.object({ body: z.string() }).loose().nullish(),
    interactive: z
      .object({
        type: z.string(),
        button_reply: z.object({ id: z.string(), title: z.string() }).loose().nullish(),
        list_reply: z.object({ id: z.string(), title: z.string(), description: str }).loose().nullish(),
        nfm_reply: z
          .object({ name: str, body: str, response_json: z.unknown().optional() })
          .loose()
          .nullish(),
      })
      .loose()
      .nullish(),
    button: z
      .object({ payload: str, text: str })
      .loose()
      .refine((b) => b.payload != null || b.text != null, 'button needs a payload or a text')
      .nullish(),
    image: WebhookMedia.extend({ caption: str }).nullish(),
    video: WebhookMedia.extend({ caption: str }).nullish(),
    audio: WebhookMedia.extend({ voice: bool }).nullish(),
    document: WebhookMedia.extend({ caption: str, filename: str }).nullish(),
    sticker: WebhookMedia.extend({ animated: bool }).nullish(),
    location: z
      .object({ latitude: numeric, longitude: numeric, name: str, address: str, url: str })
      .loose()
      .nullish(),
    contacts: z.array(z.json()).nullish(),
    reaction: z.object({ message_id: z.string(), emoji: str }).loose().nullish(),
    order: z
      .object({
        catalog_id: str,
        text: str,
        product_items: z
          .array(
            z
              .object({
                product_retailer_id: z.string(),
                quantity: numeric,
                item_price: numeric.nullish(),
                currency: str,
              })
              .loose(),
          )
          .nullish(),
      })
      .loose()
      .nullish(),
    system: z.object({ body: str, type: str, wa_id: str, new_wa_id: str }).loose().nullish(),
    unsupported: z.object({ type: str }).loose().nullish(),
  })
  .loose();
export type WebhookMessage = z.infer<typeof WebhookMessage>;

export const WebhookStatus = z
  .object({
    id: z.string(),
    status: z.enum(['sent', 'delivered', 'read', 'failed', 'played']),
    timestamp: unixSeconds,
    recipient_id: str,
    recipient_user_id: str,
    biz_opaque_callback_data: str,
    conversation: z
      .object({
        id: str,
        expiration_timestamp: unixSeconds,
        origin: z.object({ type: str }).loose().nullish(),
      })
      .loose()
      .nullish(),
    pricing: z.object({ billable: bool, pricing_model: str, type: str, category: str }).loose().nullish(),
    errors: z.array(WebhookError).nullish(),
  })
  .loose();
export type WebhookStatus = z.infer<typeof WebhookStatus>;

/** `value` of a `messages` change: exactly one of messages / statuses / errors is usually present. */
export const WebhookMessagesValue = z
  .object({
    messaging_product: str,
    // Checked separately with WebhookMetadata: without it messages are skipped, but `errors` still count.
    metadata: z.unknown().optional(),
    contacts: items,
    messages: items,
    statuses: items,
    errors: items,
  })
  .loose();
export type WebhookMessagesValue = z.infer<typeof WebhookMessagesValue>;

export const WebhookUserPreference = z
  .object({
    wa_id: str,
    user_id: str,
    detail: str,
    category: z.string(),
    value: z.string(),
    timestamp: unixSeconds,
  })
  .loose();
export type WebhookUserPreference = z.infer<typeof WebhookUserPreference>;

/** `value` of a `user_preferences` change (the "Offers and announcements" Stop/Resume setting). */
export const WebhookUserPreferencesValue = z
  .object({
    messaging_product: str,
    metadata: z.unknown().optional(),
    contacts: items,
    user_preferences: items,
  })
  .loose();
export type WebhookUserPreferencesValue = z.infer<typeof WebhookUserPreferencesValue>;
