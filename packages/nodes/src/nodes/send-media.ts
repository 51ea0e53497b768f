import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import { recipientParams, send } from '../send.js';

/** Sends an image, video, audio, document or sticker by public link or by uploaded media id. */
export const sendMedia = defineNode({
  type: 'whatsapp.sendMedia',
  category: 'messaging',
  sideEffect: true,
  labels: labels(
    ['Send media', 'Sends an image, video, audio, document or sticker.'],
    ['Enviar multimedia', 'Envía una imagen, vídeo, audio, documento o sticker.'],
  ),
  params: z
    .strictObject({
      ...recipientParams,
      kind: z.enum(['image', 'video', 'audio', 'document', 'sticker']),
      link: z.string().optional().describe('https URL of the file'),
      mediaId: z.string().optional().describe('Id of media uploaded to WhatsApp'),
      caption: z.string().max(1024).optional(),
      filename: z.string().max(240).optional(),
    })
    .refine((p) => !!p.link !== !!p.mediaId, { message: 'give either a link or a media id', path: ['link'] }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const { kind, link, mediaId, caption, filename } = ctx.params;
    const sent = await send(ctx, {
      type: 'media',
      kind,
      ...(link ? { link } : {}),
      ...(mediaId ? { mediaId } : {}),
      ...(caption ? { caption } : {}),
      ...(filename ? { filename } : {}),
    });
    return sent.ok ? emit('out', { messageId: sent.messageId }) : sent.result;
  },
});
