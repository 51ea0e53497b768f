import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import { recipientParams, send } from '../send.js';

/** Sends a text message (inside the 24-hour window; outside it the refusal leaves through `error`). */
export const sendText = defineNode({
  type: 'whatsapp.sendText',
  category: 'messaging',
  sideEffect: true,
  labels: labels(
    ['Send text', 'Sends a WhatsApp text message to the contact.'],
    ['Enviar texto', 'Envía un mensaje de texto de WhatsApp al contacto.'],
  ),
  params: z.strictObject({
    ...recipientParams,
    text: z.string().min(1, 'write the message').max(4096, 'at most 4096 characters'),
    previewUrl: z.boolean().default(false).describe('Show a preview of the first link'),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const sent = await send(ctx, { type: 'text', text: ctx.params.text, previewUrl: ctx.params.previewUrl });
    return sent.ok ? emit('out', { messageId: sent.messageId }) : sent.result;
  },
});
