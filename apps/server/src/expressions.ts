import type { AsyncOf, ContactRepository } from '@switchboard/db';
import type { ContactLookup, Json } from '@switchboard/engine';
import { contactView } from './whatsapp/contacts-service.js';

/**
 * `contact` in expressions: the run's contact (its WhatsApp id, on the channel the trigger came from)
 * as flows see it in the contact nodes, plus its phone. Null when the run has no contact or it is gone.
 */
export function contactLookup(contacts: AsyncOf<ContactRepository>): ContactLookup {
  return async (run, trigger) => {
    if (!run.contactId) return undefined;
    const channel =
      trigger !== null &&
      typeof trigger === 'object' &&
      !Array.isArray(trigger) &&
      typeof trigger.channelId === 'string'
        ? trigger.channelId
        : 'default';
    const c = await contacts.get(run.contactId, channel);
    return c ? ({ ...contactView(c), phone: c.phone } as Json) : undefined;
  };
}
