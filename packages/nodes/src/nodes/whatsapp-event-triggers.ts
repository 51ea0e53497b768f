import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';

/** Starts a run when one of the business's messages changes status (e.g. to follow up on failures). */
export const whatsappStatusTrigger = defineNode({
  type: 'trigger.whatsappStatus',
  category: 'trigger',
  trigger: true,
  listensTo: ['message.status'],
  labels: labels(
    ['Message status changed', 'Starts when a sent message is delivered, read or fails.'],
    ['Cambio de estado del mensaje', 'Empieza cuando un mensaje enviado se entrega, se lee o falla.'],
  ),
  params: z.strictObject({
    statuses: z.array(z.enum(['sent', 'delivered', 'read', 'failed', 'played'])).default(['failed']),
  }),
  matches: (p, event) => p.statuses.includes((event as { status?: 'sent' }).status ?? 'sent'),
  execute: (ctx) => emit('out', ctx.input),
});

/** Starts a run when a contact opts out or back in (keyword, WhatsApp setting, or error 131050). */
export const whatsappConsentTrigger = defineNode({
  type: 'trigger.whatsappConsent',
  category: 'trigger',
  trigger: true,
  listensTo: ['contact.opted_out', 'contact.opted_in'],
  labels: labels(
    ['Contact opted in / out', 'Starts when a contact stops or resumes messages.'],
    ['Alta / baja de contacto', 'Empieza cuando un contacto se da de baja o vuelve a darse de alta.'],
  ),
  params: z.strictObject({ direction: z.enum(['opted_out', 'opted_in', 'any']).default('opted_out') }),
  matches: (p, event) =>
    p.direction === 'any' || (event as { type?: string }).type === `contact.${p.direction}`,
  execute: (ctx) => emit('out', ctx.input),
});
