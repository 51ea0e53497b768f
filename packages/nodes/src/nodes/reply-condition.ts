import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';

const ReplyId = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/, 'use letters, digits, _ and - (it also names the output)')
    .describe('The button id, list row id or quick-reply payload'),
  label: z.string().max(100).optional().describe('Shown on the output in the editor'),
});

const params = z.strictObject({
  value: z
    .unknown()
    .optional()
    .describe(
      'Where the reply is, e.g. {{ input.reply }} after "Ask a question" (default: the message on the input, else the trigger message)',
    ),
  ids: z
    .array(ReplyId)
    .min(1, 'add at least one reply id')
    .max(50)
    .refine((ids) => new Set(ids.map((i) => i.id)).size === ids.length, 'reply ids must be unique')
    .refine((ids) => !ids.some((i) => i.id === 'other'), '"other" is reserved for replies not listed')
    .describe('Button ids, list row ids or template quick-reply payloads: one output each'),
});

/** The message a value carries: itself, an event's `message`, or an answer's `reply.message`. */
function messageIn(value: unknown): Record<string, unknown> | null {
  const obj = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  const v = obj(value);
  if (!v) return null;
  return obj(v.message) ?? obj(obj(v.reply)?.message) ?? (typeof v.type === 'string' ? v : null);
}

/**
 * The id a reply carries: a button or list reply's id, or a template quick-reply's payload. A string is
 * taken as the id itself (e.g. `{{ input.message.id }}`); a text message or anything else has none.
 */
export function replyIdOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  const m = messageIn(value);
  if (m?.type === 'button_reply' || m?.type === 'list_reply') return typeof m.id === 'string' ? m.id : null;
  if (m?.type === 'template_button') return typeof m.payload === 'string' ? m.payload : null;
  return null;
}

/**
 * Routes on which button, list row or template quick reply the customer chose: one output per listed id,
 * `other` for an id not listed or a typed text. By default it reads the message that arrived on its input
 * (after "Send and wait for reply"), else the message that started the run.
 */
export const replyCondition = defineNode({
  type: 'condition.replyId',
  category: 'condition',
  labels: labels(
    ['Reply choice', 'Routes on the button, list option or template quick reply the customer chose.'],
    [
      'Opción elegida',
      'Envía según el botón, la opción de lista o la respuesta rápida que eligió el cliente.',
    ],
  ),
  params,
  outputs: (p) => [...p.ids.map((i) => i.id), 'other'],
  dynamicOutputs: { param: 'ids', field: 'id', extra: ['other'] },
  execute: (ctx) => {
    const { value, ids } = ctx.params;
    const source = value !== undefined ? value : messageIn(ctx.input) ? ctx.input : ctx.trigger;
    const id = replyIdOf(source);
    return emit(ids.some((i) => i.id === id) ? id! : 'other', ctx.input);
  },
});
