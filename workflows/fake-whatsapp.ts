import type { Clock, Json } from '@switchboard/engine';
import type { ContactsService, ContactView, WhatsAppService } from '@switchboard/nodes';
import { checkSendPolicy, type PolicyMessage } from '@switchboard/whatsapp';

/** A contact as a case sets it up: what the server would already know before the run starts. */
export interface CaseContact {
  waId: string;
  /** ISO time of their last message (opens the 24-hour window); none means they never wrote. */
  lastInboundAt?: string;
  consent?: ContactView['consent'];
  tags?: string[];
  attributes?: Record<string, Json>;
}

/**
 * The server's WhatsApp side in memory, for the fast example harness: contacts, the WhatsApp policy
 * (the real `checkSendPolicy`: 24-hour window, consent, blocked regions) applied to every send at the
 * virtual clock's time, and what the dispatcher does to a contact when a message or consent event
 * arrives. `sent` holds accepted messages, `refused` the policy's reasons.
 */
export function fakeWhatsAppWorld(clock: Clock, initial?: CaseContact) {
  const contacts = new Map<string, ContactView>();
  const blank = (waId: string): ContactView => ({
    waId,
    name: null,
    country: null,
    timezone: null,
    tags: [],
    attributes: {},
    consent: {},
    lastInboundAt: null,
  });
  const contact = (waId: string) => {
    const c = contacts.get(waId) ?? blank(waId);
    contacts.set(waId, c);
    return c;
  };
  if (initial) {
    Object.assign(contact(initial.waId), {
      lastInboundAt: initial.lastInboundAt ?? null,
      consent: { ...initial.consent },
      tags: [...(initial.tags ?? [])],
      attributes: { ...initial.attributes },
    });
  }
  const sent: string[] = [];
  const refused: string[] = [];

  const whatsapp: WhatsAppService = {
    async send({ to, message }) {
      const c = contact(to);
      const refusal = checkSendPolicy({
        contact: { waId: to, lastInboundAt: c.lastInboundAt, consent: c.consent },
        message: {
          type: message.type as PolicyMessage['type'],
          category: message.type === 'template' ? (message.category as PolicyMessage['category']) : undefined,
        },
        now: clock.now(),
      });
      if (refusal) {
        refused.push(refusal.reason);
        return { ok: false, reason: refusal.reason, message: refusal.message };
      }
      sent.push(String(message.text ?? (typeof message.body === 'string' ? message.body : message.name)));
      return { ok: true, messageId: `wamid.${sent.length}`, status: 'queued' };
    },
  };

  const service: ContactsService = {
    async get({ waId }) {
      return contacts.has(waId) ? structuredClone(contact(waId)) : null;
    },
    async update({ waId, attributes, addTags, removeTags, consent }) {
      const c = contact(waId);
      c.attributes = { ...c.attributes, ...attributes };
      c.tags = [...new Set([...c.tags, ...(addTags ?? [])])].filter((t) => !removeTags?.includes(t));
      if (consent)
        c.consent = {
          ...c.consent,
          [consent.category]: { optedIn: consent.optedIn, source: 'flow', at: clock.now().toISOString() },
        };
      return structuredClone(c);
    },
  };

  return {
    sent,
    refused,
    services: { whatsapp, contacts: service },
    /** What the dispatcher records before a run sees the event: the window opens, consent changes. */
    received(event: Json) {
      const e = event as {
        type?: string;
        waId?: string;
        category?: 'all' | 'marketing';
        source?: string;
      };
      if (!e.waId) return;
      const c = contact(e.waId);
      const at = clock.now().toISOString();
      // A message opens the window; so does a keyword opt-in/out, which arrives as a message too.
      if (e.type === 'message.received' || e.source === 'keyword') c.lastInboundAt = at;
      if (e.type === 'contact.opted_in' || e.type === 'contact.opted_out')
        c.consent = {
          ...c.consent,
          [e.category ?? 'all']: {
            optedIn: e.type === 'contact.opted_in',
            source: e.source ?? 'keyword',
            at,
          },
        };
    },
  };
}
