import { emit, type NodeContext, NodeError, type NodeResult } from '@switchboard/engine';
import { z } from 'zod';
import type { OutgoingMessage } from './services.js';

/** Params every sending node has: who to send to, through which number. */
export const recipientParams = {
  to: z
    .string()
    .regex(/^(\+?\d{6,20}|.*\{\{.*\}\}.*)$/, 'must be a WhatsApp number or a {{ reference }}')
    .default('{{ trigger.waId }}'),
  channel: z
    .string()
    .min(1)
    .optional()
    .describe('Business number (channel id); default: the number the customer wrote to, else "default"'),
};

/**
 * The business number a node acts through: its `channel` param, else the one the triggering WhatsApp
 * event came in on (replies leave from the number the customer wrote to), else `default`.
 */
export function channelFor(ctx: { params: { channel?: string | undefined }; trigger: unknown }): string {
  if (ctx.params.channel) return ctx.params.channel;
  const id = (ctx.trigger as { channelId?: unknown } | null)?.channelId;
  return typeof id === 'string' && id !== '' ? id : 'default';
}

/**
 * Sends through the outbox with the step's idempotency key (a re-run step finds its first message).
 * A policy or limit refusal leaves through the `error` port with its reason; other failures throw, so
 * the node's retry policy applies.
 */
export async function send(
  ctx: NodeContext<{ to: string; channel?: string | undefined }>,
  message: OutgoingMessage,
  /** For a node that sends more than once in one visit (re-asking): keeps each send's key distinct. */
  keySuffix = '',
): Promise<{ ok: true; messageId: string } | { ok: false; reason: string; result: NodeResult }> {
  const whatsapp = ctx.services.whatsapp;
  if (!whatsapp)
    throw new NodeError('WhatsApp sending is not available in this runtime', { retryable: false });
  const outcome = await whatsapp.send({
    to: ctx.params.to.replace(/^\+/, ''),
    channel: channelFor(ctx),
    message,
    idempotencyKey: `${ctx.idempotencyKey}${keySuffix}`,
    runId: ctx.run.id,
    nodeId: ctx.node.id,
  });
  if (!outcome.ok)
    return {
      ok: false,
      reason: outcome.reason,
      result: emit('error', { reason: outcome.reason, message: outcome.message }),
    };
  return { ok: true, messageId: outcome.messageId };
}
