import type { AsyncOf, Contact, ContactRepository } from '@switchboard/db';
import type { Json } from '@switchboard/engine';
import type { ContactsService, ContactView } from '@switchboard/nodes';
import { derivePhone } from './dispatcher.js';

/** A contact as flows see it (contact nodes and `contact` in expressions). */
export const contactView = (c: Contact): ContactView => ({
  waId: c.waId,
  name: c.name,
  country: c.country,
  timezone: c.timezone,
  tags: c.tags,
  attributes: c.attributes as Record<string, Json>,
  consent: c.consent as ContactView['consent'],
  lastInboundAt: c.lastInboundAt,
});

/** The contact nodes' view of the contacts table. */
export function contactsService(contacts: AsyncOf<ContactRepository>): ContactsService {
  return {
    async get({ waId, channel }) {
      const c = await contacts.get(waId, channel);
      return c ? contactView(c) : null;
    },
    async update({ waId, channel, attributes, addTags, removeTags, consent }) {
      const at = new Date().toISOString();
      const current = await contacts.ensure({ waId, channel, at, derive: derivePhone });
      const tags = [...new Set([...current.tags, ...(addTags ?? [])])].filter(
        (t) => !(removeTags ?? []).includes(t),
      );
      await contacts.patch(waId, { tags, attributes: { ...current.attributes, ...attributes } }, at, channel);
      if (consent)
        await contacts.setConsent({
          waId,
          channel,
          category: consent.category,
          record: { optedIn: consent.optedIn, source: 'flow', at },
        });
      const updated = await contacts.get(waId, channel);
      if (!updated) throw new Error(`contact ${waId} on ${channel} vanished while being updated`);
      return contactView(updated);
    },
  };
}
