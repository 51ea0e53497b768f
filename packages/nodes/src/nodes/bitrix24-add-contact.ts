import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { bitrix24, bitrixCredential, extraFields, phoneField } from '../bitrix24.js';
import { given, phoneFor, triggerContact } from '../customer.js';
import { errorResult } from '../http-call.js';
import { labels } from '../labels.js';

/**
 * Adds a contact to Bitrix24 (`crm.contact.add` with `fields` and REGISTER_SONET_EVENT, so it shows in
 * the activity stream: https://dev.1c-bitrix.ru/rest_help/crm/contacts/crm_contact_add.php) → `out` { id }.
 */
export const bitrix24AddContact = defineNode({
  type: 'bitrix24.addContact',
  category: 'crm',
  sideEffect: true,
  labels: labels(
    ['Bitrix24: add contact', 'Creates a contact in Bitrix24 with the WhatsApp name and number.'],
    ['Bitrix24: añadir contacto', 'Crea un contacto en Bitrix24 con el nombre y el número de WhatsApp.'],
  ),
  params: z.strictObject({
    credential: bitrixCredential,
    name: z.string().optional().describe('Default: the contact’s WhatsApp name'),
    lastName: z.string().optional(),
    phone: z.string().optional().describe('Default: the contact’s WhatsApp number (+ and country code)'),
    sourceId: z.string().optional().describe('Bitrix24 source id, e.g. WEB, CALL or OTHER'),
    fields: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('More Bitrix24 fields, e.g. UF_CRM_TIER = gold'),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const p = ctx.params;
    const phone = phoneFor(p.phone, ctx.trigger);
    if ('error' in phone) return errorResult({ reason: 'missing_phone', message: `phone: ${phone.error}` });
    const lastName = given(p.lastName);
    // Bitrix24 needs a name or a last name: the WhatsApp name, else (without a last name) the number.
    const name = given(p.name) ?? triggerContact(ctx.trigger).name ?? (lastName ? undefined : phone.phone);
    const sourceId = given(p.sourceId);
    const called = await bitrix24(ctx, p.credential, 'crm.contact.add.json', {
      fields: {
        ...extraFields(p.fields),
        ...(name ? { NAME: name } : {}),
        ...(lastName ? { LAST_NAME: lastName } : {}),
        PHONE: phoneField(phone.phone),
        ...(sourceId ? { SOURCE_ID: sourceId } : {}),
      },
      params: { REGISTER_SONET_EVENT: 'Y' },
    });
    if (!called.ok) return called.result;
    return emit('out', { id: String(called.result) });
  },
});
