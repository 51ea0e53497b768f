import type { ChatMessage, CustomerMessage } from './types';

/**
 * Reading message parts without trusting their shape: the conversation may carry our own outbound
 * shape (`buttons: [{ id, title }]`) or Meta's (`action.buttons[].reply`), and both are accepted.
 */
type Obj = Record<string, unknown>;
const obj = (x: unknown): Obj | undefined =>
  x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Obj) : undefined;
const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
/** A text that may be written as "hi" or as { text: "hi" } / { body: "hi" }. */
const textOf = (x: unknown): string | undefined => str(x) ?? str(obj(x)?.text) ?? str(obj(x)?.body);

/** A reply button or list row the bot sent, and the message a tap on it posts. */
export interface Choice {
  id: string;
  title: string;
  description?: string;
  reply: CustomerMessage;
}

/** What a bubble shows, in readable parts. */
export interface BubbleContent {
  header?: string;
  body: string;
  footer?: string;
  /** A line about the kind of message ("Template order_update (es)", "📎 document: invoice.pdf"): an i18n key and its values. */
  note?: { key: string; vars: Record<string, string> };
  /** The label of the list's menu button ("See options"). */
  listButton?: string;
  choices: Choice[];
}

const MEDIA_ICONS: Record<string, string> = {
  image: '🖼',
  video: '🎞',
  audio: '🔊',
  document: '📎',
  sticker: '🏷',
};

export function bubbleContent(m: ChatMessage): BubbleContent {
  const interactive = obj(m.interactive);
  const template = obj(m.template);
  const media = obj(m.media);
  if (template) return templateContent(template, m.text ?? undefined);
  if (media) return mediaContent(media, m.text ?? undefined);
  if (interactive) return interactiveContent(interactive, m.text ?? undefined);
  if (m.reaction) return { body: m.reaction.emoji || '∅', choices: [] };
  return { body: m.text ?? `[${m.type}]`, choices: [] };
}

function interactiveContent(i: Obj, text: string | undefined): BubbleContent {
  // The customer's own tap: show what they chose (Meta nests it; the conversation API flattens it).
  const reply = obj(i.button_reply) ?? obj(i.list_reply) ?? obj(i.reply);
  if (reply) return { body: text ?? str(reply.title) ?? str(reply.id) ?? '', choices: [] };
  if (i.type === 'button_reply' || i.type === 'list_reply' || i.type === 'template_button') {
    return { body: text ?? str(i.title) ?? str(i.payload) ?? str(i.id) ?? '', choices: [] };
  }

  const action = obj(i.action);
  const header = textOf(
    obj(i.header)?.type === 'text' || typeof i.header === 'string' ? i.header : undefined,
  );
  const footer = textOf(i.footer);
  const body = text ?? textOf(i.body) ?? '';
  const buttons = list(i.buttons).length > 0 ? list(i.buttons) : list(action?.buttons);
  const sections = list(i.sections).length > 0 ? list(i.sections) : list(action?.sections);
  const choices: Choice[] = [];
  for (const b of buttons) {
    const button = obj(obj(b)?.reply) ?? obj(b);
    const id = str(button?.id);
    if (!id) continue;
    const title = str(button?.title) ?? id;
    choices.push({
      id,
      title,
      reply: { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } },
    });
  }
  for (const section of sections) {
    for (const r of list(obj(section)?.rows)) {
      const row = obj(r);
      const id = str(row?.id);
      if (!id) continue;
      const title = str(row?.title) ?? id;
      const description = str(row?.description);
      choices.push({
        id,
        title,
        ...(description ? { description } : {}),
        reply: {
          type: 'interactive',
          interactive: {
            type: 'list_reply',
            list_reply: { id, title, ...(description ? { description } : {}) },
          },
        },
      });
    }
  }
  const listButton = str(i.buttonText) ?? str(action?.button);
  return {
    ...(header ? { header } : {}),
    body,
    ...(footer ? { footer } : {}),
    ...(sections.length > 0 && listButton ? { listButton } : {}),
    choices,
  };
}

function templateContent(t: Obj, text: string | undefined): BubbleContent {
  const name = str(t.name) ?? '?';
  const language = str(t.language) ?? str(obj(t.language)?.code) ?? '';
  const components = list(t.components).map(obj);
  // Parameters: ours (`body.params`, positional or named) or Meta's (`components[type=body].parameters`).
  const metaBody = components.find((c) => c?.type === 'body');
  const params = (
    list(obj(t.body)?.params).length > 0 ? list(obj(t.body)?.params) : list(metaBody?.parameters)
  )
    .map((p) => str(p) ?? (obj(p)?.name ? `${str(obj(p)?.name)}=${textOf(obj(p)?.value) ?? ''}` : textOf(p)))
    .filter((p): p is string => p !== undefined);
  const choices: Choice[] = [];
  const ours = list(t.buttons).map(obj);
  const metas = components.filter((c) => c?.type === 'button');
  for (const b of ours) {
    const payload = b?.subType === 'quick_reply' ? str(b.payload) : undefined;
    if (payload) choices.push(quickReply(payload));
  }
  for (const b of metas) {
    if (b?.sub_type !== 'quick_reply') continue;
    const payload = str(obj(list(b.parameters)[0])?.payload);
    if (payload) choices.push(quickReply(payload));
  }
  return {
    body: text ?? (params.length > 0 ? params.map((p, i) => `{{${i + 1}}} ${p}`).join('\n') : ''),
    note: { key: 'sim.note.template', vars: { name, language: language ? `(${language})` : '' } },
    choices,
  };
}

/** A template's quick-reply button posts Meta's `button` message with its payload. */
function quickReply(payload: string): Choice {
  return { id: payload, title: payload, reply: { type: 'button', button: { payload, text: payload } } };
}

function mediaContent(m: Obj, text: string | undefined): BubbleContent {
  const kind = str(m.kind) ?? str(m.type) ?? 'document';
  const source = str(m.filename) ?? str(m.link) ?? str(m.mediaId) ?? str(m.id) ?? '';
  return {
    body: text ?? str(m.caption) ?? '',
    note: { key: 'sim.note.media', vars: { icon: MEDIA_ICONS[kind] ?? '📎', kind, source } },
    choices: [],
  };
}
