import type { OutboundMessage, OutboundMessageOf } from './message-schema.js';

type Json = Record<string, unknown>;
type MediaRef = { mediaId?: string | undefined; link?: string | undefined };

/** Meta's recipient format: with `+` and the country code, since without `+` Meta prepends the sender's code. */
export function normalizeRecipient(to: string): string {
  const trimmed = to.trim();
  return trimmed.startsWith('+') ? trimmed : `+${trimmed}`;
}

const mediaObject = (ref: MediaRef): Json =>
  ref.mediaId !== undefined ? { id: ref.mediaId } : { link: ref.link };

function interactive(message: OutboundMessageOf<'buttons'> | OutboundMessageOf<'list'>): Json {
  if (message.type === 'buttons') {
    const header = message.header;
    return {
      type: 'button',
      ...(header && {
        header:
          header.type === 'text'
            ? { type: 'text', text: header.text }
            : { type: header.type, [header.type]: mediaObject(header) },
      }),
      body: { text: message.body },
      ...(message.footer !== undefined && { footer: { text: message.footer } }),
      action: { buttons: message.buttons.map(({ id, title }) => ({ type: 'reply', reply: { id, title } })) },
    };
  }
  return {
    type: 'list',
    ...(message.header !== undefined && { header: { type: 'text', text: message.header } }),
    body: { text: message.body },
    ...(message.footer !== undefined && { footer: { text: message.footer } }),
    action: {
      button: message.buttonText,
      sections: message.sections.map((section) => ({
        ...(section.title !== undefined && { title: section.title }),
        rows: section.rows.map((row) => ({
          id: row.id,
          title: row.title,
          ...(row.description !== undefined && { description: row.description }),
        })),
      })),
    },
  };
}

function template(message: OutboundMessageOf<'template'>): Json {
  const components: Json[] = [];
  const { header, body, buttons } = message;
  if (header?.type === 'text' && header.params.length > 0) {
    components.push({ type: 'header', parameters: header.params.map((text) => ({ type: 'text', text })) });
  } else if (header && header.type !== 'text') {
    components.push({
      type: 'header',
      parameters: [{ type: header.type, [header.type]: mediaObject(header) }],
    });
  }
  if (body && body.params.length > 0) {
    components.push({
      type: 'body',
      parameters: body.params.map((param) =>
        typeof param === 'string'
          ? { type: 'text', text: param }
          : { type: 'text', parameter_name: param.name, text: param.value },
      ),
    });
  }
  for (const button of buttons ?? []) {
    components.push({
      type: 'button',
      sub_type: button.subType,
      // Meta documents the button index as a string.
      index: String(button.index),
      parameters: [
        button.subType === 'quick_reply'
          ? { type: 'payload', payload: button.payload }
          : { type: 'text', text: button.text },
      ],
    });
  }
  return {
    name: message.name,
    language: { code: message.language },
    ...(components.length > 0 && { components }),
  };
}

function media(message: OutboundMessageOf<'media'>): Json {
  return {
    ...mediaObject(message),
    ...(message.caption !== undefined && { caption: message.caption }),
    ...(message.filename !== undefined && { filename: message.filename }),
  };
}

/** Meta's `type` and the object stored under that key. */
function payload(message: Exclude<OutboundMessage, { type: 'markRead' }>): [string, Json] {
  switch (message.type) {
    case 'text':
      return [
        'text',
        { body: message.text, ...(message.previewUrl !== undefined && { preview_url: message.previewUrl }) },
      ];
    case 'buttons':
    case 'list':
      return ['interactive', interactive(message)];
    case 'template':
      return ['template', template(message)];
    case 'media':
      return [message.kind, media(message)];
    case 'reaction':
      return ['reaction', { message_id: message.messageId, emoji: message.emoji }];
  }
}

/** Meta's limit on `biz_opaque_callback_data`. */
export const MAX_CALLBACK_DATA_LENGTH = 512;

export interface GraphBodyOptions {
  /**
   * Sent as `biz_opaque_callback_data`: Meta echoes it in every status webhook of the message, so a
   * sender that died before recording Meta's answer can still recognise its message (at most 512
   * characters). Ignored for mark-as-read, which gets no status webhooks.
   */
  callbackData?: string | undefined;
}

/**
 * The JSON body of `POST /{version}/{phone-number-id}/messages` for a validated message.
 *
 * @example
 * toGraphBody({ type: 'text', text: 'Hola' }, '5215512345678');
 * // { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+5215512345678',
 * //   type: 'text', text: { body: 'Hola' } }
 */
export function toGraphBody(
  message: OutboundMessage,
  to: string,
  options: GraphBodyOptions = {},
): Record<string, unknown> {
  if (message.type === 'markRead') {
    return { messaging_product: 'whatsapp', status: 'read', message_id: message.messageId };
  }
  const [type, object] = payload(message);
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: normalizeRecipient(to),
    ...(message.replyTo !== undefined && { context: { message_id: message.replyTo } }),
    ...(options.callbackData !== undefined && { biz_opaque_callback_data: options.callbackData }),
    type,
    [type]: object,
  };
}
