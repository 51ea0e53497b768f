import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import { recipientParams, send } from '../send.js';

/**
 * Sends an approved template: the only kind of message allowed outside the 24-hour window. Marketing
 * templates go only to contacts who opted in (the outbox checks it).
 */
export const sendTemplate = defineNode({
  type: 'whatsapp.sendTemplate',
  category: 'messaging',
  sideEffect: true,
  labels: labels(
    ['Send template', 'Sends an approved template; works outside the 24-hour window.'],
    ['Enviar plantilla', 'Envía una plantilla aprobada; funciona fuera de la ventana de 24 horas.'],
  ),
  params: z.strictObject({
    ...recipientParams,
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and _'),
    language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as es_MX, en_US or es'),
    category: z.enum(['marketing', 'utility', 'authentication']).default('utility'),
    headerParams: z
      .array(z.string())
      .default([])
      .describe('Values for the text header’s {{1}}…, e.g. {{ contact.name }}'),
    bodyParams: z
      .array(z.string())
      .default([])
      .describe('Values for {{1}}, {{2}}…, e.g. {{ trigger.orderId }}'),
    quickReplyPayloads: z
      .array(z.string())
      .max(10)
      .default([])
      .describe('Payload of each quick-reply button, in order'),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const { name, language, category, headerParams, bodyParams, quickReplyPayloads } = ctx.params;
    const sent = await send(ctx, {
      type: 'template',
      name,
      language,
      category,
      ...(headerParams.length ? { header: { type: 'text', params: headerParams } } : {}),
      ...(bodyParams.length ? { body: { params: bodyParams } } : {}),
      ...(quickReplyPayloads.length
        ? {
            buttons: quickReplyPayloads.map((payload, index) => ({ index, subType: 'quick_reply', payload })),
          }
        : {}),
    });
    return sent.ok ? emit('out', { messageId: sent.messageId }) : sent.result;
  },
});
