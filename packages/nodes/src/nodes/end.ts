import { defineNode, endRun } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';

/**
 * Ends the whole run here, as succeeded or failed, even if other branches are still running or waiting
 * (e.g. the customer cancelled: stop the reminders that are pending). Those branches are dropped and their
 * waits removed. A failed end puts `message` in the run's error, so the executions list says why.
 */
export const endNode = defineNode({
  type: 'flow.end',
  category: 'flow',
  labels: labels(
    ['End', 'Ends the whole run now, as succeeded or failed; other branches stop.'],
    ['Fin', 'Termina toda la ejecución ahora, con éxito o con error; las demás ramas se detienen.'],
  ),
  params: z.strictObject({
    status: z.enum(['succeeded', 'failed']).default('succeeded').describe('How the run ends'),
    message: z
      .string()
      .max(1000, 'at most 1000 characters')
      .optional()
      .describe('Why it ended; for a failed run, its error'),
  }),
  outputs: [],
  execute: (ctx) => endRun(ctx.params.status, ctx.params.message),
});
