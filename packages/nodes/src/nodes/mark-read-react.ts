import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import { recipientParams, send } from '../send.js';

/** Marks the customer's message as read (blue ticks); earlier messages are marked too. */
export const markRead = defineNode({
  type: 'whatsapp.markRead',
  category: 'messaging',
  sideEffect: true,
  labels: labels(
    ['Mark as read', 'Shows the customer their message was read.'],
    ['Marcar como leído', 'Muestra al cliente que su mensaje se ha leído.'],
  ),
  params: z.strictObject({
    ...recipientParams,
    messageId: z.string().min(1).default('{{ trigger.messageId }}'),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const sent = await send(ctx, { type: 'markRead', messageId: ctx.params.messageId });
    return sent.ok ? emit('out', ctx.input) : sent.result;
  },
});

/** Reacts to the customer's message with an emoji (an empty emoji removes the reaction). */
export const react = defineNode({
  type: 'whatsapp.react',
  category: 'messaging',
  sideEffect: true,
  labels: labels(
    ['React', 'Reacts to the customer’s message with an emoji.'],
    ['Reaccionar', 'Reacciona al mensaje del cliente con un emoji.'],
  ),
  params: z.strictObject({
    ...recipientParams,
    messageId: z.string().min(1).default('{{ trigger.messageId }}'),
    emoji: z.string().max(16).default('👍'),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const sent = await send(ctx, {
      type: 'reaction',
      messageId: ctx.params.messageId,
      emoji: ctx.params.emoji,
    });
    return sent.ok ? emit('out', ctx.input) : sent.result;
  },
});
