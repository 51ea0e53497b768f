import { defineNode, emit, toJson } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';

/** Writes a message (and optional data) to the server log and the execution's step output. */
export const logAction = defineNode({
  type: 'action.log',
  category: 'data',
  sideEffect: true,
  labels: labels(
    ['Log', 'Writes a message to the log and to the execution, for debugging.'],
    ['Registro', 'Escribe un mensaje en el registro y en la ejecución, para depurar.'],
  ),
  params: z.strictObject({
    message: z.string().min(1, 'write a message').max(10_000),
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    data: z.unknown().optional().describe('Extra values to log, e.g. {{ trigger }}'),
  }),
  execute: (ctx) => {
    const { message, level, data } = ctx.params;
    const entry = { message, ...(data === undefined ? {} : { data: toJson(data) }) };
    ctx.log[level]({ flowLog: entry, idempotencyKey: ctx.idempotencyKey }, `flow log: ${message}`);
    return emit('out', ctx.input);
  },
});
