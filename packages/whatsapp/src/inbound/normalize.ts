import { channelOf, malformed, parseEach, type Scope, sha256, timeOf } from './change-scope.js';
import type { ChannelRef, NormalizedEvent, NormalizeOptions, NormalizeResult } from './events.js';
import { keywordIn, type OptEventType, optKeywords } from './keywords.js';
import {
  asJson,
  isoFromUnixSeconds,
  mapContext,
  mapMessageContent,
  mapMetaError,
  mapReferral,
} from './message-mappers.js';
import {
  WebhookBody,
  WebhookChange,
  WebhookContact,
  WebhookEntry,
  WebhookError,
  WebhookMessage,
  WebhookMessagesValue,
  WebhookStatus,
  WebhookUserPreference,
  WebhookUserPreferencesValue,
} from './webhook-schema.js';

/**
 * Turns a WhatsApp Cloud API webhook body into normalized events, one per message, status, opt-out/in
 * and error. Never throws: whatever cannot be understood is reported in `problems` and skipped, without
 * affecting the other items of the body.
 *
 * @example
 * const { events, problems } = normalizeWebhook(JSON.parse(rawBody.toString('utf8')));
 */
export function normalizeWebhook(body: unknown, options: NormalizeOptions = {}): NormalizeResult {
  const events: NormalizedEvent[] = [];
  const problems: string[] = [];
  const envelope = WebhookBody.safeParse(body);
  if (!envelope.success) return { events, problems: [malformed('body', envelope.error)] };
  const keywords = optKeywords(options);

  envelope.data.entry.forEach((rawEntry, e) => {
    const entry = WebhookEntry.safeParse(rawEntry);
    if (!entry.success) {
      problems.push(malformed(`entry[${e}]`, entry.error));
      return;
    }
    entry.data.changes.forEach((rawChange, c) => {
      const path = `entry[${e}].changes[${c}]`;
      const change = WebhookChange.safeParse(rawChange);
      if (!change.success) {
        problems.push(malformed(path, change.error));
        return;
      }
      const time = (rawEntry as { time?: unknown }).time;
      const entryTime = typeof time === 'number' ? time : null;
      const scope: Scope = { events, problems, wabaId: entry.data.id ?? null, entryTime, path, keywords };
      const { field, value } = change.data;
      if (field === 'messages') messagesChange(scope, value);
      else if (field === 'user_preferences') userPreferencesChange(scope, value);
      else otherChange(scope, field, value);
    });
  });
  return { events, problems };
}

function messagesChange(scope: Scope, rawValue: unknown): void {
  const parsed = WebhookMessagesValue.safeParse(rawValue);
  if (!parsed.success) {
    scope.problems.push(malformed(`${scope.path}.value`, parsed.error));
    return;
  }
  const value = parsed.data;
  const channel = channelOf(scope, value.metadata);
  if (channel) {
    const contacts = parseEach(scope, value.contacts, 'contacts', WebhookContact);
    parseEach(scope, value.messages, 'messages', WebhookMessage).forEach(([message, path]) => {
      messageReceived(scope, { message, path, channel, contacts: contacts.map(([c]) => c) });
    });
    parseEach(scope, value.statuses, 'statuses', WebhookStatus).forEach(([status, path]) => {
      messageStatus(scope, { status, path, channel });
    });
  }
  const errors = parseEach(scope, value.errors, 'errors', WebhookError).map(([error]) => mapMetaError(error));
  if (errors.length > 0) {
    scope.events.push({
      type: 'channel.error',
      dedupeKey: `error:${channel?.phoneNumberId ?? ''}:${sha256(JSON.stringify(value.errors))}`,
      timestamp: new Date().toISOString(),
      wabaId: scope.wabaId,
      channel,
      errors,
    });
  }
}

function messageReceived(
  scope: Scope,
  {
    message: m,
    path,
    channel,
    contacts,
  }: { message: WebhookMessage; path: string; channel: ChannelRef; contacts: WebhookContact[] },
): void {
  const message = mapMessageContent(m);
  if (!message) {
    scope.problems.push(`${path}.${m.type} is missing`);
    return;
  }
  const contact =
    contacts.find(
      (c) =>
        (m.from != null && c.wa_id === m.from) || (m.from_user_id != null && c.user_id === m.from_user_id),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const waId = m.from ?? contact?.wa_id ?? null;
  const dedupeKey = `msg:${m.id}`;
  const timestamp = timeOf(scope, m.timestamp, path);
  const keyword = keywordIn(message, scope.keywords);
  scope.events.push({
    type: 'message.received',
    dedupeKey,
    timestamp,
    wabaId: scope.wabaId,
    channel,
    messageId: m.id,
    waId,
    userId: m.from_user_id ?? contact?.user_id ?? null,
    profileName: contact?.profile?.name ?? null,
    message,
    context: mapContext(m.context),
    referral: mapReferral(m.referral),
    ...(keyword ? { consentKeyword: keyword.type === 'contact.opted_out' ? 'opt_out' : 'opt_in' } : {}),
  });
  if (!keyword || waId === null) return;
  scope.events.push({
    type: keyword.type,
    dedupeKey: `${dedupeKey}:${keyword.type === 'contact.opted_out' ? 'opt_out' : 'opt_in'}`,
    timestamp,
    wabaId: scope.wabaId,
    channel,
    waId,
    category: 'all',
    source: 'keyword',
    detail: keyword.text,
  });
}

function messageStatus(
  scope: Scope,
  { status: s, path, channel }: { status: WebhookStatus; path: string; channel: ChannelRef },
): void {
  const errors = (s.errors ?? []).map(mapMetaError);
  const timestamp = timeOf(scope, s.timestamp, path);
  const base = { dedupeKey: `status:${s.id}:${s.status}`, timestamp, wabaId: scope.wabaId, channel };
  const { pricing, conversation } = s;
  scope.events.push({
    ...base,
    type: 'message.status',
    messageId: s.id,
    status: s.status,
    recipientWaId: s.recipient_id ?? null,
    errors,
    pricing: pricing
      ? {
          billable: pricing.billable ?? null,
          model: pricing.pricing_model ?? null,
          type: pricing.type ?? null,
          category: pricing.category ?? null,
        }
      : null,
    conversation: conversation
      ? {
          id: conversation.id ?? null,
          originType: conversation.origin?.type ?? null,
          expiresAt: isoFromUnixSeconds(conversation.expiration_timestamp),
        }
      : null,
    bizOpaqueCallbackData: s.biz_opaque_callback_data ?? null,
  });
  // 131050 means the user stopped marketing messages in WhatsApp; the send told us before any webhook did.
  const stopped = s.status === 'failed' ? errors.find((error) => error.code === 131050) : undefined;
  if (!stopped || !s.recipient_id) return;
  scope.events.push({
    ...base,
    type: 'contact.opted_out',
    dedupeKey: `${base.dedupeKey}:131050`,
    waId: s.recipient_id,
    category: 'marketing',
    source: 'error_131050',
    detail: stopped.message ?? stopped.title,
  });
}

const PREFERENCE_EVENTS: Record<string, OptEventType> = {
  stop: 'contact.opted_out',
  resume: 'contact.opted_in',
};

function userPreferencesChange(scope: Scope, rawValue: unknown): void {
  const parsed = WebhookUserPreferencesValue.safeParse(rawValue);
  if (!parsed.success) {
    scope.problems.push(malformed(`${scope.path}.value`, parsed.error));
    return;
  }
  const channel = channelOf(scope, parsed.data.metadata);
  if (!channel) return;
  for (const [pref, path] of parseEach(
    scope,
    parsed.data.user_preferences,
    'user_preferences',
    WebhookUserPreference,
  )) {
    const type = PREFERENCE_EVENTS[pref.value];
    if (pref.category !== 'marketing_messages' || !type) {
      scope.problems.push(`${path} has unknown category/value ${pref.category}/${pref.value}`);
    } else if (!pref.wa_id) {
      scope.problems.push(`${path}.wa_id is missing`);
    } else {
      scope.events.push({
        type,
        dedupeKey: `pref:${pref.wa_id}:${pref.category}:${pref.value}:${pref.timestamp ?? ''}`,
        timestamp: timeOf(scope, pref.timestamp, path),
        wabaId: scope.wabaId,
        channel,
        waId: pref.wa_id,
        category: 'marketing',
        source: 'user_preferences',
        detail: pref.detail ?? null,
      });
    }
  }
}

function otherChange(scope: Scope, field: string, rawValue: unknown): void {
  const value = asJson(rawValue);
  const at =
    value !== null && typeof value === 'object' && !Array.isArray(value) ? value.timestamp : undefined;
  scope.events.push({
    type: 'webhook.other',
    // A template's status webhooks repeat the same value (APPROVED, PAUSED, APPROVED again): the entry's
    // time tells them apart, and a re-delivery of one repeats its time.
    dedupeKey:
      field.startsWith('message_template_') && scope.entryTime
        ? `other:${field}:${scope.entryTime}:${sha256(JSON.stringify(value))}`
        : `other:${field}:${sha256(JSON.stringify(value))}`,
    timestamp:
      isoFromUnixSeconds(typeof at === 'string' || typeof at === 'number' ? at : null) ??
      new Date().toISOString(),
    wabaId: scope.wabaId,
    field,
    value,
  });
}
