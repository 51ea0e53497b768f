import type { Json } from '@switchboard/engine';
import { messageText } from './text-match.js';

const record = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** The message a value carries: an event's `message`, an answer's `reply.message`, or itself. */
function messageIn(value: unknown): Record<string, unknown> | null {
  const v = record(value);
  if (!v) return null;
  return record(v.message) ?? record(record(v.reply)?.message) ?? (typeof v.type === 'string' ? v : null);
}

/**
 * The customer message a step is about: the one on its input (after "Send and wait for reply" or a
 * route node, which keeps it), else the message that started the run. Null when there is none.
 */
export function customerMessage(input: unknown, trigger: unknown): Record<string, unknown> | null {
  return messageIn(input) ?? messageIn(trigger);
}

/** The text of that message (a button's title, a caption…), or ''. */
export function customerText(input: unknown, trigger: unknown): string {
  return messageText(customerMessage(input, trigger));
}

/** Who started the run, as a WhatsApp message event says: their number (digits) and profile name. */
export function triggerContact(trigger: unknown): { waId: string | null; name: string | null } {
  const t = record(trigger);
  const waId = typeof t?.waId === 'string' && /^\+?\d{6,20}$/.test(t.waId) ? t.waId.replace(/^\+/, '') : null;
  const name = typeof t?.profileName === 'string' && t.profileName.trim() !== '' ? t.profileName : null;
  return { waId, name };
}

/** "34600000001", "+34 600 00 00 01" → "+34600000001" (what CRMs match phone numbers on). */
export function e164(phone: string): string {
  return `+${phone.replace(/\D/g, '')}`;
}

/** Text that reads as a phone number: at least 6 digits, with +, spaces, dashes, dots or brackets. */
export function isPhone(value: unknown): value is string {
  return (
    typeof value === 'string' && /^\+?[\d\s().-]{6,30}$/.test(value) && /\d{6}/.test(value.replace(/\D/g, ''))
  );
}

/**
 * The phone number a CRM node works with, in E.164: its `phone` param when set, else the number of the
 * customer who started the run. An error message when the param is not a number or there is none.
 */
export function phoneFor(param: string | undefined, trigger: unknown): { phone: string } | { error: string } {
  if (param !== undefined && param.trim() !== '' && !isUnresolved(param))
    return isPhone(param) ? { phone: e164(param) } : { error: `"${param}" is not a phone number` };
  const waId = triggerContact(trigger).waId;
  return waId
    ? { phone: e164(waId) }
    : { error: 'no phone: the run did not start from a customer message; set "phone"' };
}

/**
 * True for a param still holding a whole `{{ }}` after resolution: zod puts a templated default such
 * as `{{ contact.attributes.tier }}` back when the reference resolved to nothing.
 */
export function isUnresolved(value: unknown): boolean {
  return typeof value === 'string' && /^\s*\{\{.*\}\}\s*$/s.test(value);
}

/** A text (or number) param as trimmed text; undefined when blank or its `{{ }}` found nothing. */
export function given(value: string | number | undefined): string | undefined {
  if (value === undefined || isUnresolved(value)) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

/** A JSON object's field as text ('' when absent), for reading ids and names from API answers. */
export function textAt(value: Json | undefined, key: string): string {
  const v = record(value)?.[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}
