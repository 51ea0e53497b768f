import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { bitrix24, bitrixCredential, extraFields, phoneField } from '../bitrix24.js';
import { customerText, given, phoneFor, triggerContact } from '../customer.js';
import { errorResult } from '../http-call.js';
import { labels } from '../labels.js';

/**
 * Adds a lead to Bitrix24 (`crm.lead.add`, https://dev.1c-bitrix.ru/rest_help/crm/leads/crm_lead_add.php)
 * with the WhatsApp name, number and message, optionally linked to a contact → `out` { id }.
 */
export const bitrix24AddLead = defineNode({
  type: 'bitrix24.addLead',
  category: 'crm',
  sideEffect: true,
  labels: labels(
    ['Bitrix24: add lead', 'Creates a lead in Bitrix24 from the WhatsApp conversation.'],
    [
      'Bitrix24: añadir prospecto',
      'Crea un prospecto (lead) en Bitrix24 a partir de la conversación de WhatsApp.',
    ],
  ),
  params: z.strictObject({
    credential: bitrixCredential,
    title: z.string().min(1, 'write a title').describe('e.g. WhatsApp: {{ trigger.profileName }}'),
    name: z.string().optional().describe('Default: the contact’s WhatsApp name'),
    phone: z.string().optional().describe('Default: the contact’s WhatsApp number (+ and country code)'),
    comments: z
      .string()
      .max(20_000, 'at most 20000 characters')
      .optional()
      .describe('Default: the customer’s message'),
    sourceId: z.string().min(1).default('OTHER').describe('Bitrix24 source id, e.g. WEB, CALL or OTHER'),
    contactId: z
      .union([z.string(), z.number()])
      .optional()
      .describe('Link to this Bitrix24 contact, e.g. {{ vars.bitrix24.id }}'),
    fields: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('More Bitrix24 fields, e.g. UF_CRM_CAMPAIGN = verano'),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const p = ctx.params;
    const phone = phoneFor(p.phone, ctx.trigger);
    if ('error' in phone) return errorResult({ reason: 'missing_phone', message: `phone: ${phone.error}` });
    const name = given(p.name) ?? triggerContact(ctx.trigger).name;
    const comments = given(p.comments) ?? customerText(ctx.input, ctx.trigger);
    const contactId = given(p.contactId);
    const called = await bitrix24(ctx, p.credential, 'crm.lead.add.json', {
      fields: {
        ...extraFields(p.fields),
        TITLE: p.title,
        ...(name ? { NAME: name } : {}),
        PHONE: phoneField(phone.phone),
        ...(comments ? { COMMENTS: comments } : {}),
        SOURCE_ID: p.sourceId,
        ...(contactId ? { CONTACT_ID: contactId } : {}),
      },
    });
    if (!called.ok) return called.result;
    return emit('out', { id: String(called.result) });
  },
});
