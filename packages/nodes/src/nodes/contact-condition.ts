import { defineNode, emit, NodeError } from '@switchboard/engine';
import { z } from 'zod';
import { looselyEqual } from '../compare.js';
import { labels } from '../labels.js';
import { channelFor, recipientParams } from '../send.js';

/** Checks something about the contact: a tag, an attribute, consent, or whether the 24-hour window is open. */
export const contactCondition = defineNode({
  type: 'condition.contact',
  category: 'condition',
  labels: labels(
    ['Contact check', 'Checks a contact’s tag, attribute, opt-in or 24-hour window → yes / no.'],
    [
      'Comprobar contacto',
      'Comprueba una etiqueta, un atributo, el consentimiento o la ventana de 24 horas → sí / no.',
    ],
  ),
  params: z
    .strictObject({
      ...recipientParams,
      check: z.enum(['hasTag', 'attributeEquals', 'optedIn', 'windowOpen']),
      tag: z.string().min(1).optional(),
      attribute: z.string().min(1).optional(),
      value: z.unknown().optional(),
      category: z.enum(['all', 'marketing', 'utility']).default('marketing'),
    })
    .refine((p) => p.check !== 'hasTag' || p.tag, { message: 'name the tag', path: ['tag'] })
    .refine((p) => p.check !== 'attributeEquals' || p.attribute, {
      message: 'name the attribute',
      path: ['attribute'],
    }),
  outputs: ['yes', 'no'],
  execute: async (ctx) => {
    const contacts = ctx.services.contacts;
    if (!contacts) throw new NodeError('contacts are not available in this runtime', { retryable: false });
    const p = ctx.params;
    const contact = await contacts.get({ waId: p.to.replace(/^\+/, ''), channel: channelFor(ctx) });
    let yes = false;
    if (contact) {
      if (p.check === 'hasTag') yes = contact.tags.includes(p.tag ?? '');
      else if (p.check === 'attributeEquals')
        yes = looselyEqual(contact.attributes[p.attribute ?? ''], p.value, true);
      else if (p.check === 'optedIn')
        yes =
          contact.consent[p.category]?.optedIn === true ||
          (p.category !== 'all' && contact.consent.all?.optedIn === true);
      else
        yes =
          !!contact.lastInboundAt &&
          ctx.now().getTime() - new Date(contact.lastInboundAt).getTime() < 86_400_000;
    }
    return emit(yes ? 'yes' : 'no', ctx.input);
  },
});
