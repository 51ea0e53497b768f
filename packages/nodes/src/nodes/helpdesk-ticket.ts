import { defineNode, emit, type Json } from '@switchboard/engine';
import { z } from 'zod';
import { customerText, given, phoneFor, triggerContact } from '../customer.js';
import { callHttp, errorResult } from '../http-call.js';
import { labels } from '../labels.js';
import type { Priority } from '../routing-services.js';

/** Freshdesk numbers its priorities: 1 low, 2 medium, 3 high, 4 urgent. */
const FRESHDESK_PRIORITY: Record<Priority, number> = { low: 1, normal: 2, high: 3, urgent: 4 };
/** Freshdesk's "Open" status. */
const FRESHDESK_OPEN = 2;

interface Ticket {
  subject: string;
  description: string;
  priority: Priority;
  name: string;
  phone: string;
  email: string | null;
}

/**
 * The request each helpdesk expects. Zendesk: https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#create-ticket
 * (answers `{ ticket: { id } }`; its requester object takes a name and an email, not a phone, so the
 * WhatsApp number goes at the end of the first comment, where agents see it); Freshdesk: https://developers.freshdesk.com/api/#create_ticket (answers
 * `{ id }`; a requester given by phone needs a name).
 */
const PROVIDERS = {
  zendesk: {
    url: '/api/v2/tickets.json',
    body: (t: Ticket): Json => ({
      ticket: {
        subject: t.subject,
        comment: { body: `${t.description}\n\nWhatsApp: ${t.phone}` },
        priority: t.priority,
        requester: t.email ? { name: t.name, email: t.email } : { name: t.name },
      },
    }),
    idOf: (body: Json) => (body as { ticket?: { id?: unknown } } | null)?.ticket?.id,
  },
  freshdesk: {
    url: '/api/v2/tickets',
    body: (t: Ticket): Json => ({
      subject: t.subject,
      description: t.description,
      name: t.name,
      phone: t.phone,
      ...(t.email ? { email: t.email } : {}),
      priority: FRESHDESK_PRIORITY[t.priority],
      status: FRESHDESK_OPEN,
    }),
    idOf: (body: Json) => (body as { id?: unknown } | null)?.id,
  },
} as const;

/** Opens a ticket in Zendesk or Freshdesk for the contact, with their name and WhatsApp number. */
export const createHelpdeskTicket = defineNode({
  type: 'helpdesk.createTicket',
  category: 'routing',
  sideEffect: true,
  labels: labels(
    ['Create helpdesk ticket', 'Opens a ticket in Zendesk or Freshdesk for the contact.'],
    ['Crear ticket de soporte', 'Abre un ticket en Zendesk o Freshdesk para el contacto.'],
  ),
  params: z.strictObject({
    provider: z.enum(['zendesk', 'freshdesk']),
    credential: z
      .string()
      .min(1, 'name the credential')
      .describe('A "basic auth" credential with your helpdesk’s address, e.g. https://acme.zendesk.com'),
    subject: z.string().min(1, 'write a subject').max(255),
    description: z
      .string()
      .max(20_000, 'at most 20000 characters')
      .optional()
      .describe('Default: the customer’s message'),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).default('normal'),
    requesterName: z.string().optional().describe('Default: the contact’s WhatsApp name'),
    requesterPhone: z.string().optional().describe('Default: the contact’s WhatsApp number'),
    requesterEmail: z
      .string()
      .optional()
      .describe(
        'Optional, e.g. {{ vars.hubspot.properties.email }}: lets the helpdesk match an existing customer',
      ),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const p = ctx.params;
    const found = phoneFor(p.requesterPhone, ctx.trigger);
    if ('error' in found)
      return errorResult({ reason: 'missing_phone', message: `requesterPhone: ${found.error}` });
    const phone = found.phone;
    const ticket: Ticket = {
      subject: p.subject,
      description: p.description?.trim() || customerText(ctx.input, ctx.trigger) || p.subject,
      priority: p.priority,
      name: p.requesterName?.trim() || triggerContact(ctx.trigger).name || phone,
      phone,
      email: given(p.requesterEmail) ?? null,
    };
    const provider = PROVIDERS[p.provider];
    const called = await callHttp(ctx, {
      method: 'POST',
      url: provider.url,
      credential: p.credential,
      credentialTypes: ['httpBasic'],
      body: provider.body(ticket),
    });
    if (!called.ok) return called.result;
    const id = provider.idOf(called.response.body);
    if (typeof id !== 'number' && typeof id !== 'string')
      return errorResult({
        reason: 'unexpected_response',
        status: called.response.status,
        message: `${p.provider} answered without a ticket id`,
        body: called.response.body,
      });
    return emit('out', { ticketId: String(id), provider: p.provider });
  },
});
