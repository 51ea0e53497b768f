import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { phoneFor } from '../customer.js';
import { errorResult } from '../http-call.js';
import {
  findByPhone,
  hubspot,
  hubspotCredential,
  objectOf,
  phoneParam,
  propertiesOf,
  unexpected,
} from '../hubspot.js';
import { labels } from '../labels.js';

/**
 * Creates or updates the contact in HubSpot, matched by phone: a search, then
 * PATCH /crm/v3/objects/contacts/{id} or POST /crm/v3/objects/contacts with `{ properties }`
 * (https://developers.hubspot.com/docs/api/crm/contacts). A new contact gets the phone too.
 */
export const hubspotUpsertContact = defineNode({
  type: 'hubspot.upsertContact',
  category: 'crm',
  sideEffect: true,
  labels: labels(
    [
      'HubSpot: create or update contact',
      'Saves the contact in HubSpot by phone number, with the properties you set.',
    ],
    [
      'HubSpot: crear o actualizar contacto',
      'Guarda el contacto en HubSpot por su número de teléfono, con las propiedades que indiques.',
    ],
  ),
  params: z.strictObject({
    credential: hubspotCredential,
    phone: phoneParam,
    properties: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('HubSpot property names and values, e.g. firstname = {{ trigger.profileName }}'),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const p = ctx.params;
    const phone = phoneFor(p.phone, ctx.trigger);
    if ('error' in phone) return errorResult({ reason: 'missing_phone', message: `phone: ${phone.error}` });
    const properties = propertiesOf(p.properties);
    const found = await findByPhone(ctx, p.credential, phone.phone, ['phone']);
    if (!found.ok) return found.result;
    if (found.contact) {
      const id = found.contact.id;
      if (Object.keys(properties).length > 0) {
        const url = `/crm/v3/objects/contacts/${encodeURIComponent(id)}`;
        const updated = await hubspot(ctx, p.credential, 'PATCH', url, { properties });
        if (!updated.ok) return updated.result;
      }
      return emit('out', { id, created: false });
    }
    const created = await hubspot(ctx, p.credential, 'POST', '/crm/v3/objects/contacts', {
      properties: { phone: phone.phone, ...properties },
    });
    if (!created.ok) return created.result;
    const contact = objectOf(created.response.body);
    if (!contact) return unexpected(created.response, 'the new contact’s id');
    return emit('out', { id: contact.id, created: true });
  },
});
