import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import { recipientParams, send } from '../send.js';

export const Button = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'use letters, digits, _ and - (it also names the output)'),
  title: z.string().min(1).max(20, 'WhatsApp shows at most 20 characters'),
});

/** Sends a message with up to three reply buttons. */
export const sendButtons = defineNode({
  type: 'whatsapp.sendButtons',
  category: 'messaging',
  sideEffect: true,
  labels: labels(
    ['Send buttons', 'Sends a message with up to 3 reply buttons.'],
    ['Enviar botones', 'Envía un mensaje con hasta 3 botones de respuesta.'],
  ),
  params: z.strictObject({
    ...recipientParams,
    body: z.string().min(1).max(1024, 'at most 1024 characters'),
    footer: z.string().max(60, 'at most 60 characters').optional(),
    buttons: z.array(Button).min(1, 'add a button').max(3, 'WhatsApp allows at most 3 buttons'),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const { body, footer, buttons } = ctx.params;
    const sent = await send(ctx, { type: 'buttons', body, ...(footer ? { footer } : {}), buttons });
    return sent.ok ? emit('out', { messageId: sent.messageId }) : sent.result;
  },
});
