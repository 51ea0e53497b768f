import { defineNode, emit, NodeError } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';

/**
 * Runs JavaScript in a sandbox with no access to Node, files, the network or the host: `input` holds the
 * trigger, the input, the variables and earlier steps' outputs; what the code returns goes out. Time and
 * memory are capped; errors name the node and the message.
 */
export const codeNode = defineNode({
  type: 'data.code',
  category: 'data',
  labels: labels(
    ['Code', 'Runs JavaScript on the data (sandboxed; no network or files) and returns a result.'],
    ['Código', 'Ejecuta JavaScript sobre los datos (aislado; sin red ni archivos) y devuelve un resultado.'],
  ),
  params: z.strictObject({
    code: z
      .string()
      .min(1, 'write some code')
      .max(50_000)
      .describe('Body of an async function; `return` the result'),
    timeoutMs: z.coerce.number().int().min(10).max(30_000).default(1_000),
    memoryMb: z.coerce.number().int().min(8).max(256).default(32),
  }),
  // The code is JavaScript, not a template: {{ }} inside it must reach the sandbox untouched.
  rawParams: ['code'],
  execute: async (ctx) => {
    const sandbox = ctx.services.code;
    if (!sandbox)
      throw new NodeError('the code sandbox is not available in this runtime', { retryable: false });
    const input = { trigger: ctx.trigger, input: ctx.input, vars: ctx.vars };
    try {
      const result = await sandbox.run({
        code: ctx.params.code,
        input,
        timeoutMs: ctx.params.timeoutMs,
        memoryMb: ctx.params.memoryMb,
      });
      return emit('out', result);
    } catch (error) {
      // A script error will not fix itself on retry; the message names what went wrong.
      throw new NodeError(`code failed: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'code_error',
        retryable: false,
      });
    }
  },
});
