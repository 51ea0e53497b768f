import { defineNode, emit, wait } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import { channelFor, recipientParams, send } from '../send.js';
import { replyKey } from '../services.js';
import { Button } from './send-buttons.js';

/**
 * Sends a question (text, or with reply buttons) and waits for the contact's next message. Leaves
 * through the tapped button's own output, `replied` for anything else, or `timeout`. The wait is a
 * stored row, so it survives restarts; from seconds to 30 days.
 */
export const sendAndWait = defineNode({
  type: 'whatsapp.sendAndWait',
  category: 'messaging',
  sideEffect: true,
  pausesRun: true,
  labels: labels(
    ['Send and wait for reply', 'Asks something and continues when the contact answers, or after a timeout.'],
    [
      'Enviar y esperar respuesta',
      'Pregunta algo y sigue cuando el contacto responde, o tras un tiempo límite.',
    ],
  ),
  params: z.strictObject({
    ...recipientParams,
    text: z.string().min(1).max(1024),
    buttons: z
      .array(Button)
      .max(3, 'WhatsApp allows at most 3 buttons')
      .default([])
      .refine(
        (b) => !b.some((x) => ['replied', 'timeout', 'error'].includes(x.id)),
        'button ids replied, timeout and error are reserved',
      ),
    timeoutSeconds: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 86_400, 'at most 30 days')
      .default(86_400),
  }),
  outputs: (p) => ['replied', ...p.buttons.map((b) => b.id), 'timeout', 'error'],
  dynamicOutputs: { param: 'buttons', field: 'id', extra: ['replied', 'timeout', 'error'] },
  execute: async (ctx) => {
    const { text, buttons, timeoutSeconds, to } = ctx.params;
    if (ctx.resume?.reason === 'time') return emit('timeout', ctx.input);
    if (ctx.resume) {
      const reply = ctx.resume.payload as { message?: { type?: string; id?: string; payload?: string } };
      const chosen = buttons.find((b) => b.id === (reply.message?.id ?? reply.message?.payload));
      return emit(chosen?.id ?? 'replied', ctx.resume.payload);
    }
    const sent = await send(
      ctx,
      buttons.length > 0 ? { type: 'buttons', body: text, buttons } : { type: 'text', text },
    );
    if (!sent.ok) return sent.result;
    return wait({
      key: replyKey(channelFor(ctx), to.replace(/^\+/, '')),
      until: new Date(ctx.now().getTime() + timeoutSeconds * 1000),
      data: { messageId: sent.messageId },
    });
  },
});
