import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { customerText } from '../customer.js';
import {
  ASSOCIATION,
  associateWith,
  contactIdParam,
  hubspot,
  hubspotCredential,
  idText,
  objectOf,
  unexpected,
} from '../hubspot.js';
import { labels } from '../labels.js';

/**
 * Opens a HubSpot ticket (POST /crm/v3/objects/tickets, https://developers.hubspot.com/docs/api/crm/tickets)
 * in a pipeline and stage, linked to a contact with HubSpot's ticket → contact association (type 16).
 */
export const hubspotCreateTicket = defineNode({
  type: 'hubspot.createTicket',
  category: 'crm',
  sideEffect: true,
  labels: labels(
    ['HubSpot: create ticket', 'Opens a support ticket in HubSpot, linked to the contact.'],
    ['HubSpot: crear ticket', 'Abre un ticket de soporte en HubSpot, vinculado al contacto.'],
  ),
  params: z.strictObject({
    credential: hubspotCredential,
    subject: z.string().min(1, 'write a subject'),
    content: z
      .string()
      .max(65_536, 'HubSpot keeps at most 65536 characters')
      .optional()
      .describe('Default: the customer’s message'),
    priority: z.enum(['LOW', 'MEDIUM', 'HIGH']).default('MEDIUM'),
    contactId: contactIdParam.describe(
      'HubSpot contact to link it to; default: the one "HubSpot: find contact" found ({{ vars.hubspot.id }})',
    ),
    pipeline: z.string().min(1).default('0').describe('Pipeline id ("0": the default support pipeline)'),
    stage: z.string().min(1).default('1').describe('Stage id ("1": New in the default pipeline)'),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const p = ctx.params;
    const contactId = idText(p.contactId);
    const content = p.content?.trim() || customerText(ctx.input, ctx.trigger);
    const created = await hubspot(ctx, p.credential, 'POST', '/crm/v3/objects/tickets', {
      properties: {
        hs_pipeline: p.pipeline,
        hs_pipeline_stage: p.stage,
        subject: p.subject,
        content,
        hs_ticket_priority: p.priority,
      },
      ...(contactId ? { associations: associateWith(contactId, ASSOCIATION.ticketToContact) } : {}),
    });
    if (!created.ok) return created.result;
    const ticket = objectOf(created.response.body);
    if (!ticket) return unexpected(created.response, 'the ticket’s id');
    return emit('out', { id: ticket.id });
  },
});
