import { defineNode, emit, type Json, type NodeContext, NodeError, wait } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import type { MessageStatusView } from '../services.js';
import { eventsSatisfiedBy, FAILED_STATUSES, hookKey, type MessageEvent, statusKey } from '../wait-keys.js';

const MESSAGE_EVENTS = ['message.delivered', 'message.read', 'message.failed'] as const;
const FIELD = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*|\[\d+\])*$/;

const params = z
  .strictObject({
    event: z
      .enum([...MESSAGE_EVENTS, 'webhook'])
      .default('message.read')
      .describe('What to wait for: a sent message’s status, or a call to /hooks/<path>'),
    message: z
      .union([z.string().min(1), z.looseObject({ messageId: z.string().min(1) })])
      .optional()
      .describe(
        'The message: a send node’s messageId, e.g. {{ nodes.confirm.messageId }}; empty: the input’s (right after the send node)',
      ),
    path: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and -, e.g. shop-payments')
      .optional()
      .describe('For webhook: the /hooks/<path> the other system posts to'),
    field: z
      .string()
      .regex(FIELD, 'a dotted path in the posted JSON, e.g. order.id or items[0].sku')
      .optional()
      .describe('For webhook: where the correlation value is in the body, e.g. orderId'),
    equals: z
      .union([
        z.string().min(1, 'give the value to wait for').max(200, 'at most 200 characters'),
        z.number(),
        z.boolean(),
      ])
      .transform(String)
      .optional()
      .describe('For webhook: the value that field must have, e.g. {{ trigger.body.orderId }}'),
    secretFrom: z
      .string()
      .regex(/^env:[A-Z][A-Z0-9_]*$/, 'name an environment variable, e.g. env:SHOP_WEBHOOK_SECRET')
      .optional()
      .describe('For webhook: the HMAC secret deliveries must be signed with'),
    timeoutSeconds: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 86_400, 'at most 30 days')
      .default(86_400)
      .describe('Give up and leave through timeout after this many seconds'),
  })
  .refine((p) => p.event !== 'webhook' || p.path, {
    message: 'say which /hooks/<path> to listen on',
    path: ['path'],
  })
  .refine((p) => p.event !== 'webhook' || p.field, {
    message: 'say which field of the body to match, e.g. orderId',
    path: ['field'],
  })
  .refine((p) => p.event !== 'webhook' || p.equals !== undefined, {
    message:
      'say which value to wait for, e.g. {{ trigger.body.orderId }} (a reference that found nothing leaves it empty)',
    path: ['equals'],
  });

type Params = z.output<typeof params>;

/**
 * Parks the branch until an outside event: a message sent earlier is delivered, read or fails, or another
 * system posts a matching JSON body to `/hooks/<path>` (e.g. `payment.completed` for this order). An
 * event that already happened (read within milliseconds, paid before the run got here) goes on at once.
 * The wait is a stored row with a key the server delivers in the same transaction as the change, so it
 * survives restarts; it gives up after the timeout.
 */
export const waitForEvent = defineNode({
  type: 'flow.waitForEvent',
  category: 'flow',
  // Not `pausesRun`: an event that already happened lets it go on at once, so a loop through it alone
  // could spin on the same event; validation asks for a delay in such a loop.
  labels: labels(
    [
      'Wait for an event',
      'Waits until a sent message is delivered, read or fails, or another system calls a webhook.',
    ],
    [
      'Esperar un evento',
      'Espera a que un mensaje enviado se entregue, se lea o falle, o a que otro sistema llame a un webhook.',
    ],
  ),
  params,
  // A message that fails never gets delivered or read: waits for those leave through `failed` at once.
  outputs: (p) =>
    p.event === 'message.delivered' || p.event === 'message.read'
      ? ['event', 'failed', 'timeout']
      : ['event', 'timeout'],
  outputsByParam: 'event',
  execute: async (ctx) => {
    const p = ctx.params;
    if (ctx.resume?.reason === 'time')
      return emit('timeout', { ...(ctx.resume.data as object), timeoutSeconds: p.timeoutSeconds });
    if (p.event === 'webhook') return webhookWait(ctx);
    const want = p.event.slice('message.'.length) as MessageEvent;
    if (ctx.resume) return statusOutcome(p.event, ctx.resume.payload as unknown as MessageStatusView);
    const whatsapp = ctx.services.whatsapp;
    if (!whatsapp) throw new NodeError('WhatsApp is not available in this runtime', { retryable: false });
    const id = messageIdOf(p.message ?? ctx.input);
    if (!id) {
      throw new NodeError(
        'no message to wait for: set "message" to a send node’s messageId, e.g. {{ nodes.confirm.messageId }}, or place this node right after the send node',
        { retryable: false },
      );
    }
    const now = whatsapp.messageStatus ? await whatsapp.messageStatus({ messageId: id }) : undefined;
    if (now === null) throw new NodeError(`no message with id "${id}" was sent`, { retryable: false });
    if (now && eventsSatisfiedBy(now.status).includes(want)) return statusOutcome(p.event, now);
    const messageId = now?.messageId ?? id;
    return wait({
      key: statusKey(messageId, want),
      until: new Date(ctx.now().getTime() + p.timeoutSeconds * 1000),
      data: { event: p.event, messageId },
    });
  },
});

async function webhookWait(ctx: NodeContext<Params>) {
  const { path, field, equals, timeoutSeconds } = ctx.params as Params & {
    path: string;
    field: string;
    equals: string;
  };
  if (ctx.resume) return emit('event', { event: 'webhook', ...(ctx.resume.payload as object) });
  const earlier = await ctx.services.hooks?.find({ path, field, equals, runId: ctx.run.id });
  if (earlier) return emit('event', { event: 'webhook', ...(earlier as object) });
  return wait({
    key: hookKey(path, field, equals),
    until: new Date(ctx.now().getTime() + timeoutSeconds * 1000),
    data: { event: 'webhook', path, field, equals },
  });
}

/** `event` with the status (and for a failure Meta's code and title), or `failed` for a message that never arrives. */
function statusOutcome(event: string, view: MessageStatusView) {
  const out: Json = { event, messageId: view.messageId, status: view.status, error: view.error };
  const failed = FAILED_STATUSES.includes(view.status);
  return emit(failed && event !== 'message.failed' ? 'failed' : 'event', out);
}

function messageIdOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (value && typeof value === 'object' && 'messageId' in value) {
    const id = (value as { messageId: unknown }).messageId;
    return typeof id === 'string' && id.length > 0 ? id : undefined;
  }
  return undefined;
}
