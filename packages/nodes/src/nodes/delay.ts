import { defineNode, emit, wait } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';

const UNIT_MS = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
const MAX_MS = 30 * UNIT_MS.days;

/**
 * Pauses the branch for a while. The wake-up time is stored with the run, so the delay survives
 * restarts; a loop through a delay is allowed.
 */
export const delay = defineNode({
  type: 'flow.delay',
  category: 'flow',
  pausesRun: true,
  labels: labels(
    ['Delay', 'Waits for a while before continuing; survives restarts.'],
    ['Esperar', 'Espera un tiempo antes de continuar; sobrevive a reinicios.'],
  ),
  params: z
    .strictObject({
      amount: z.coerce.number().positive('must be more than 0'),
      unit: z.enum(['seconds', 'minutes', 'hours', 'days']).default('minutes'),
    })
    .refine((p) => p.amount * UNIT_MS[p.unit] <= MAX_MS, {
      message: 'a delay can be at most 30 days',
      path: ['amount'],
    }),
  execute: (ctx) => {
    if (ctx.resume) return emit('out', ctx.input);
    const until = new Date(ctx.now().getTime() + ctx.params.amount * UNIT_MS[ctx.params.unit]);
    return wait({ until });
  },
});
