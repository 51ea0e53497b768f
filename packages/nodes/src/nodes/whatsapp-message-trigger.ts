import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import { keywordMatches, messageText } from '../text-match.js';

const MessageType = z.enum([
  'text',
  'button_reply',
  'list_reply',
  'flow_reply',
  'template_button',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'order',
  'system',
  'unsupported',
]);

/**
 * Starts a run for each WhatsApp message that passes the filters. A contact whose run is waiting for a
 * reply resumes that run instead (the dispatcher decides), so a conversation is never answered twice.
 */
export const whatsappMessageTrigger = defineNode({
  type: 'trigger.whatsappMessage',
  category: 'trigger',
  trigger: true,
  listensTo: ['message.received'],
  labels: labels(
    [
      'WhatsApp message received',
      'Starts when a customer writes; filter by type, keyword, button or number.',
    ],
    [
      'Mensaje de WhatsApp recibido',
      'Empieza cuando un cliente escribe; filtra por tipo, palabra clave, botón o número.',
    ],
  ),
  params: z.strictObject({
    messageTypes: z.array(MessageType).default([]).describe('Only these message types (empty: any)'),
    keywords: z
      .array(z.string().min(1))
      .default([])
      .describe('Only messages with one of these words (empty: any)'),
    buttonIds: z
      .array(z.string().min(1))
      .default([])
      .describe('Only replies with one of these button or list ids'),
    channel: z.string().optional().describe('Only this business number (channel id)'),
  }),
  matches: (p, event) => {
    const e = event as {
      channel?: { id?: string };
      channelId?: string;
      message?: { type?: string; id?: string; payload?: string };
      consentKeyword?: string;
    };
    const message = e.message ?? {};
    if (p.channel && e.channelId !== p.channel) return false;
    // STOP / BAJA / ALTA are answered by consent triggers; a flow gets them only if it asks for them by
    // keyword or button id (so an opt-out does not also get, say, the support menu).
    if (e.consentKeyword && p.keywords.length === 0 && p.buttonIds.length === 0) return false;
    if (p.messageTypes.length > 0 && !p.messageTypes.includes(message.type as z.infer<typeof MessageType>))
      return false;
    if (p.buttonIds.length > 0 && !p.buttonIds.includes(message.id ?? message.payload ?? '')) return false;
    if (
      p.keywords.length > 0 &&
      !keywordMatches({ text: messageText(message), keywords: p.keywords, mode: 'any', match: 'word' })
    ) {
      return false;
    }
    return true;
  },
  execute: (ctx) => emit('out', ctx.input),
});
