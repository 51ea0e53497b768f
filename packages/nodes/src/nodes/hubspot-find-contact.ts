import { defineNode, emit, type Json } from '@switchboard/engine';
import { z } from 'zod';
import { phoneFor } from '../customer.js';
import { errorResult } from '../http-call.js';
import { findByPhone, hubspotCredential, phoneParam } from '../hubspot.js';
import { labels } from '../labels.js';
import { VarName } from '../var-name.js';

/**
 * Looks the contact up in HubSpot by phone (POST /crm/v3/objects/contacts/search with an EQ filter on
 * `phone`, https://developers.hubspot.com/docs/api/crm/search) → `found` ({ id, properties }, also saved
 * in a variable for `{{ vars.hubspot.properties.tier }}`) / `notFound` / `error`.
 */
export const hubspotFindContact = defineNode({
  type: 'hubspot.findContact',
  category: 'crm',
  labels: labels(
    ['HubSpot: find contact', 'Looks the contact up in HubSpot by phone number and reads their properties.'],
    [
      'HubSpot: buscar contacto',
      'Busca el contacto en HubSpot por su número de teléfono y lee sus propiedades.',
    ],
  ),
  params: z.strictObject({
    credential: hubspotCredential,
    phone: phoneParam,
    properties: z
      .array(z.string().min(1))
      .default(['firstname', 'lastname', 'email', 'phone'])
      .describe('Properties to read, e.g. firstname, email, tier'),
    saveAs: VarName.default('hubspot').describe('Save the contact found in this variable'),
  }),
  outputs: ['found', 'notFound', 'error'],
  execute: async (ctx) => {
    const p = ctx.params;
    const phone = phoneFor(p.phone, ctx.trigger);
    if ('error' in phone) return errorResult({ reason: 'missing_phone', message: `phone: ${phone.error}` });
    const found = await findByPhone(ctx, p.credential, phone.phone, p.properties);
    if (!found.ok) return found.result;
    if (!found.contact) return emit('notFound', { phone: phone.phone });
    const contact = found.contact as unknown as Json;
    ctx.setVar(p.saveAs, contact);
    return emit('found', contact);
  },
});
