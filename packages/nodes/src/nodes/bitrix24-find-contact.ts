import { defineNode, emit, type Json } from '@switchboard/engine';
import { z } from 'zod';
import { bitrix24, bitrixCredential } from '../bitrix24.js';
import { phoneFor, textAt } from '../customer.js';
import { errorResult } from '../http-call.js';
import { labels } from '../labels.js';
import { VarName } from '../var-name.js';

const SELECT = ['ID', 'NAME', 'LAST_NAME', 'PHONE', 'EMAIL'];

/**
 * Looks the contact up in Bitrix24 by phone (`crm.contact.list` filtered on PHONE,
 * https://dev.1c-bitrix.ru/rest_help/crm/contacts/crm_contact_list.php) → `found` ({ id, fields }, also
 * saved in a variable) / `notFound` / `error`.
 */
export const bitrix24FindContact = defineNode({
  type: 'bitrix24.findContact',
  category: 'crm',
  labels: labels(
    ['Bitrix24: find contact', 'Looks the contact up in Bitrix24 by phone number.'],
    ['Bitrix24: buscar contacto', 'Busca el contacto en Bitrix24 por su número de teléfono.'],
  ),
  params: z.strictObject({
    credential: bitrixCredential,
    phone: z.string().optional().describe('Default: the contact’s WhatsApp number (+ and country code)'),
    fields: z
      .array(z.string().min(1))
      .default([])
      .describe('Fields to read besides ID, NAME, LAST_NAME, PHONE and EMAIL, e.g. UF_CRM_TIER'),
    saveAs: VarName.default('bitrix24').describe('Save the contact found in this variable'),
  }),
  outputs: ['found', 'notFound', 'error'],
  execute: async (ctx) => {
    const p = ctx.params;
    const phone = phoneFor(p.phone, ctx.trigger);
    if ('error' in phone) return errorResult({ reason: 'missing_phone', message: `phone: ${phone.error}` });
    const select = [...new Set([...SELECT, ...p.fields])];
    const called = await bitrix24(ctx, p.credential, 'crm.contact.list.json', {
      filter: { PHONE: phone.phone },
      select,
    });
    if (!called.ok) return called.result;
    const first = Array.isArray(called.result) ? called.result[0] : undefined;
    if (first === undefined) return emit('notFound', { phone: phone.phone });
    const contact = { id: textAt(first, 'ID'), fields: first } as Json;
    ctx.setVar(p.saveAs, contact);
    return emit('found', contact);
  },
});
