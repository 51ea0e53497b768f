import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';

// Authors often wrap the expression in {{ }} as they do in other params; both forms mean the same.
const WRAPPED = /^\s*\{\{((?:(?!\{\{|\}\})[\s\S])*)\}\}\s*$/;

/**
 * Evaluates a JavaScript expression over the run (trigger, input, vars, steps, contact, now and the time
 * helpers) in the host's expression sandbox: truthy → `true`, falsy → `false`. A bad expression fails
 * the step (E002) naming the node and the message.
 */
export const expressionCondition = defineNode({
  type: 'condition.expression',
  category: 'condition',
  labels: labels(
    [
      'Expression',
      'Continues through "true" when a JavaScript expression holds, e.g. vars.total > 100 && contact.tags.includes(\'vip\').',
    ],
    [
      'Expresión',
      'Continúa por "verdadero" si una expresión JavaScript se cumple, p. ej. date().hour < 14 && vars.pais === \'ES\'.',
    ],
  ),
  params: z.strictObject({
    expression: z
      .string()
      .trim()
      .min(1, 'write an expression, e.g. vars.total > 100')
      .max(10_000)
      .describe("JavaScript expression, e.g. vars.total > 100 && contact.tags.includes('vip')"),
  }),
  // The expression is code: it is evaluated once, here, not resolved as a template first.
  rawParams: ['expression'],
  expressionParams: ['expression'],
  outputs: ['true', 'false'],
  execute: async (ctx) => {
    const source = WRAPPED.exec(ctx.params.expression)?.[1] ?? ctx.params.expression;
    const value = await ctx.evaluate(source, 'expression');
    return emit(value ? 'true' : 'false', ctx.input);
  },
});
