import type { ContactBody } from './api';
import { isTimeZone } from './clock';
import type { SimContact } from './types';

/** The test contact form as typed (numbers and JSON stay text until saved, so nothing typed is lost). */
export interface ContactDraft {
  waId: string;
  name: string;
  country: string;
  tier: string;
  optedIn: boolean;
  /** Hours since the contact last wrote ('' = never wrote: the 24-hour window is closed). */
  lastMessageHoursAgo: string;
  timezone: string;
  /** Extra contact attributes as a JSON object. */
  attributes: string;
}

export type DraftField = keyof ContactDraft;

export const NEW_CONTACT: ContactDraft = {
  waId: '34600000001',
  name: 'Ana',
  country: 'ES',
  tier: '',
  optedIn: true,
  lastMessageHoursAgo: '',
  timezone: '',
  attributes: '',
};

const HOUR_MS = 3_600_000;

export function draftFromContact(c: SimContact, now: number): ContactDraft {
  const hours =
    c.lastMessageHoursAgo ??
    (c.lastInboundAt
      ? Math.max(0, Math.round(((now - Date.parse(c.lastInboundAt)) / HOUR_MS) * 10) / 10)
      : null);
  // The server keeps the tier among the attributes; the form shows it on its own.
  const { tier, ...attributes } = c.attributes ?? {};
  return {
    waId: c.waId,
    name: c.name ?? '',
    country: c.country ?? '',
    tier: c.tier ?? (typeof tier === 'string' ? tier : ''),
    optedIn: optedIn(c),
    lastMessageHoursAgo: hours === null ? '' : String(hours),
    timezone: c.timezone ?? '',
    attributes: Object.keys(attributes).length > 0 ? JSON.stringify(attributes, null, 2) : '',
  };
}

/** The contact's opt-in: the simulator sets consent for all messages. */
export function optedIn(c: SimContact): boolean {
  return c.optedIn ?? c.consent?.all?.optedIn ?? false;
}

/** The WhatsApp id from what people type: "+34 600-000-001" → "34600000001". */
export function normalizeWaId(typed: string): string {
  return typed.replace(/[\s\-+().]/g, '');
}

export type DraftCheck =
  | { ok: true; waId: string; body: ContactBody }
  | { ok: false; errors: Partial<Record<DraftField, string>> };

/** Checks the form and builds the `PUT /api/simulator/contacts/:waId` body; errors are i18n keys by field. */
export function contactBody(d: ContactDraft): DraftCheck {
  const errors: Partial<Record<DraftField, string>> = {};
  const waId = normalizeWaId(d.waId);
  if (!/^\d{6,20}$/.test(waId)) errors.waId = 'sim.contact.error.waId';
  const country = d.country.trim().toUpperCase();
  if (country && !/^[A-Z]{2}$/.test(country)) errors.country = 'sim.contact.error.country';
  let hours: number | null = null;
  if (d.lastMessageHoursAgo.trim() !== '') {
    hours = Number(d.lastMessageHoursAgo.replace(',', '.'));
    if (!Number.isFinite(hours) || hours < 0) errors.lastMessageHoursAgo = 'sim.contact.error.hours';
  }
  const timezone = d.timezone.trim();
  if (timezone && !isTimeZone(timezone)) errors.timezone = 'sim.contact.error.timezone';
  let attributes: Record<string, unknown> | undefined;
  if (d.attributes.trim()) {
    try {
      const parsed: unknown = JSON.parse(d.attributes);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        attributes = parsed as Record<string, unknown>;
      else errors.attributes = 'sim.contact.error.attributes';
    } catch {
      errors.attributes = 'sim.contact.error.attributes';
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // Every field is sent, emptied ones as null, so the saved contact is exactly what the form shows
  // (except the country: left empty, the server derives it from the number).
  const body: ContactBody = {
    name: d.name.trim() || null,
    tier: d.tier.trim() || null,
    optedIn: d.optedIn,
    lastMessageHoursAgo: hours,
    timezone: timezone || null,
    attributes: attributes ?? {},
    ...(country ? { country } : {}),
  };
  return { ok: true, waId, body };
}
