import { defineNode, emit, type Json, NodeError, toJson } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import { channelFor, recipientParams } from '../send.js';

/** Sets attributes, adds or removes tags, and records an opt-in or opt-out for the contact. */
export const updateContact = defineNode({
  type: 'data.updateContact',
  category: 'data',
  sideEffect: true,
  labels: labels(
    ['Update contact', 'Sets attributes and tags, or records an opt-in / opt-out.'],
    ['Actualizar contacto', 'Guarda atributos y etiquetas, o registra un alta / baja.'],
  ),
  params: z.strictObject({
    ...recipientParams,
    attributes: z.array(z.object({ name: z.string().min(1).max(60), value: z.unknown() })).default([]),
    addTags: z.array(z.string().min(1).max(60)).default([]),
    removeTags: z.array(z.string().min(1).max(60)).default([]),
    consent: z.object({ category: z.enum(['all', 'marketing', 'utility']), optedIn: z.boolean() }).optional(),
  }),
  execute: async (ctx) => {
    const contacts = ctx.services.contacts;
    if (!contacts) throw new NodeError('contacts are not available in this runtime', { retryable: false });
    const p = ctx.params;
    const attributes: Record<string, Json> = {};
    for (const a of p.attributes) attributes[a.name] = toJson(a.value);
    const contact = await contacts.update({
      waId: p.to.replace(/^\+/, ''),
      channel: channelFor(ctx),
      attributes,
      addTags: p.addTags,
      removeTags: p.removeTags,
      ...(p.consent ? { consent: p.consent } : {}),
    });
    return emit('out', toJson(contact));
  },
});
