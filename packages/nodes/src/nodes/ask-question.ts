import { defineNode, emit, wait } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import { channelFor, recipientParams, send } from '../send.js';
import { replyKey } from '../services.js';
import { messageText } from '../text-match.js';
import { validateAnswer } from '../validate-answer.js';

/**
 * Asks a question, checks the answer (number, email, date, one of some options, or any text), re-asks up
 * to a limit, and stores the answer in a variable. Outputs: `answered`, `invalid` (limit reached),
 * `timeout`, `error` (refused by policy).
 */
export const askQuestion = defineNode({
  type: 'whatsapp.askQuestion',
  category: 'messaging',
  sideEffect: true,
  pausesRun: true,
  labels: labels(
    ['Ask a question', 'Asks, checks the answer, re-asks if needed, and saves it in a variable.'],
    [
      'Hacer una pregunta',
      'Pregunta, comprueba la respuesta, vuelve a preguntar si hace falta y la guarda en una variable.',
    ],
  ),
  params: z
    .strictObject({
      ...recipientParams,
      question: z.string().min(1).max(4096),
      expect: z.enum(['text', 'number', 'email', 'date', 'oneOf']).default('text'),
      options: z.array(z.string().min(1)).default([]).describe('For "oneOf": the accepted answers'),
      variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use letters, digits and _'),
      retryPrompt: z
        .string()
        .min(1)
        .max(4096)
        .default('No lo he entendido, ¿puedes repetirlo? / Sorry, could you say that again?'),
      maxAttempts: z.coerce.number().int().min(1).max(5).default(3),
      timeoutSeconds: z.coerce
        .number()
        .int()
        .min(1)
        .max(30 * 86_400)
        .default(86_400),
    })
    .refine((p) => p.expect !== 'oneOf' || p.options.length > 0, {
      message: 'list the accepted answers',
      path: ['options'],
    }),
  outputs: ['answered', 'invalid', 'timeout', 'error'],
  execute: async (ctx) => {
    const p = ctx.params;
    const until = () => new Date(ctx.now().getTime() + p.timeoutSeconds * 1000);
    const key = replyKey(channelFor(ctx), p.to.replace(/^\+/, ''));
    if (ctx.resume?.reason === 'time') return emit('timeout', ctx.input);
    if (!ctx.resume) {
      const sent = await send(ctx, { type: 'text', text: p.question });
      return sent.ok ? wait({ key, until: until(), data: { attempt: 1 } }) : sent.result;
    }
    const reply = ctx.resume.payload as { message?: unknown };
    const value = validateAnswer(messageText(reply.message), p.expect, p.options);
    if (value !== null) {
      ctx.setVar(p.variable, value);
      return emit('answered', { value, reply: ctx.resume.payload });
    }
    const attempt = ((ctx.resume.data as { attempt?: number } | null)?.attempt ?? 1) + 1;
    if (attempt > p.maxAttempts) return emit('invalid', { reply: ctx.resume.payload });
    const sent = await send(ctx, { type: 'text', text: p.retryPrompt }, `:retry${attempt}`);
    return sent.ok ? wait({ key, until: until(), data: { attempt } }) : sent.result;
  },
});
