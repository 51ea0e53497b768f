import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import { recipientParams, send } from '../send.js';

const Row = z.object({
  id: z.string().min(1).max(200),
  title: z.string().min(1).max(24, 'WhatsApp shows at most 24 characters'),
  description: z.string().max(72, 'at most 72 characters').optional(),
});

/** Sends a list message: a button that opens up to 10 rows in sections. */
export const sendList = defineNode({
  type: 'whatsapp.sendList',
  category: 'messaging',
  sideEffect: true,
  labels: labels(
    ['Send list', 'Sends a menu of up to 10 options in sections.'],
    ['Enviar lista', 'Envía un menú de hasta 10 opciones en secciones.'],
  ),
  params: z
    .strictObject({
      ...recipientParams,
      body: z.string().min(1).max(4096),
      buttonText: z.string().min(1).max(20, 'at most 20 characters'),
      header: z.string().max(60).optional(),
      footer: z.string().max(60).optional(),
      sections: z
        .array(z.object({ title: z.string().max(24).optional(), rows: z.array(Row).min(1) }))
        .min(1)
        .max(10),
    })
    .refine((p) => p.sections.reduce((n, s) => n + s.rows.length, 0) <= 10, {
      message: 'WhatsApp allows at most 10 rows in all',
      path: ['sections'],
    }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const { body, buttonText, header, footer, sections } = ctx.params;
    const sent = await send(ctx, {
      type: 'list',
      body,
      buttonText,
      ...(header ? { header } : {}),
      ...(footer ? { footer } : {}),
      sections: sections.map((s) => ({ ...(s.title ? { title: s.title } : {}), rows: s.rows })),
    });
    return sent.ok ? emit('out', { messageId: sent.messageId }) : sent.result;
  },
});
