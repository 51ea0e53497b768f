import { defineNode, emit, type NodeContext, wait } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import { channelFor, recipientParams, send } from '../send.js';
import { replyKey } from '../services.js';
import { Button } from './send-buttons.js';

/**
 * Sends a question (text, or with reply buttons; an approved template instead when the 24-hour window
 * is closed) and waits for the contact's next message. Leaves
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
    template: z
      .strictObject({
        name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and _'),
        language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as es_MX, en_US or es'),
        category: z.enum(['utility', 'marketing']).default('utility'),
        bodyParams: z.array(z.string()).default([]).describe('Values for {{1}}, {{2}}…'),
      })
      .optional()
      .describe(
        'Approved template sent instead when the 24-hour window is closed; its quick-reply buttons, in the order of `buttons`, answer like them',
      ),
    timeoutSeconds: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 86_400, 'at most 30 days')
      .default(86_400),
  }),
  outputs: (p) => ['replied', ...p.buttons.map((b) => b.id), 'timeout', 'error'],
  dynamicOutputs: { param: 'buttons', field: 'id', lead: ['replied'], extra: ['timeout', 'error'] },
  execute: async (ctx) => {
    const { text, buttons, template, timeoutSeconds, to } = ctx.params;
    if (ctx.resume?.reason === 'time') return emit('timeout', ctx.input);
    if (ctx.resume) {
      const reply = ctx.resume.payload as { message?: { type?: string; id?: string; payload?: string } };
      const chosen = buttons.find((b) => b.id === (reply.message?.id ?? reply.message?.payload));
      return emit(chosen?.id ?? 'replied', ctx.resume.payload);
    }
    const asTemplate = (t: NonNullable<typeof template>) => {
      const { bodyParams, ...rest } = t;
      const quickReplies = buttons.map((b, index) => ({ index, subType: 'quick_reply', payload: b.id }));
      return send(
        ctx,
        {
          type: 'template',
          ...rest,
          ...(bodyParams.length ? { body: { params: bodyParams } } : {}),
          ...(quickReplies.length ? { buttons: quickReplies } : {}),
        },
        ':template',
      );
    };
    // Outside the 24-hour window only a template may go (a reminder a day before an appointment); its
    // quick-reply payloads are the button ids, so a tap resumes through the same outputs. When the
    // contact's last message is known to be older, the template goes at once (no refused free-form
    // message in the outbox); the policy's refusal covers a window that closed meanwhile.
    const closed = template !== undefined && (await windowClosed(ctx));
    let sent =
      template && closed
        ? await asTemplate(template)
        : await send(
            ctx,
            buttons.length > 0 ? { type: 'buttons', body: text, buttons } : { type: 'text', text },
          );
    if (!sent.ok && sent.reason === 'outside_24h_window' && template && !closed)
      sent = await asTemplate(template);
    if (!sent.ok) return sent.result;
    return wait({
      key: replyKey(channelFor(ctx), to.replace(/^\+/, '')),
      until: new Date(ctx.now().getTime() + timeoutSeconds * 1000),
      data: { messageId: sent.messageId },
    });
  },
});

/** True when the contacts service knows the contact has not written in the last 24 hours. */
async function windowClosed(
  ctx: NodeContext<{ to: string; channel?: string | undefined }>,
): Promise<boolean> {
  const contacts = ctx.services.contacts;
  if (!contacts) return false; // unknown here: try free-form, the policy answers
  const contact = await contacts.get({ waId: ctx.params.to.replace(/^\+/, ''), channel: channelFor(ctx) });
  const last = contact?.lastInboundAt ? Date.parse(contact.lastInboundAt) : Number.NEGATIVE_INFINITY;
  return ctx.now().getTime() - last >= 86_400_000;
}
