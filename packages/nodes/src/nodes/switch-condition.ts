import { defineNode, emit } from '@switchboard/engine';
import { PortName } from '@switchboard/flow-schema';
import { z } from 'zod';
import { looselyEqual } from '../compare.js';
import { labels } from '../labels.js';

const params = z.strictObject({
  value: z.unknown().describe('Value to route on, e.g. {{ trigger.button.id }}'),
  cases: z
    .array(
      z.object({
        port: PortName.describe('Output name'),
        /** Any of these values sends the run out of this case's output. */
        values: z.array(z.unknown()).min(1, 'needs at least one value'),
      }),
    )
    .max(50)
    .default([])
    .refine((cases) => new Set(cases.map((c) => c.port)).size === cases.length, 'output names must be unique')
    .refine(
      (cases) => !cases.some((c) => c.port === 'default'),
      '"default" is reserved for values no case matches',
    ),
  ignoreCase: z.boolean().default(true).describe('Ignore upper/lower case and accents'),
});

/** Sends the run out of the first case whose values include the input value, else `default`. */
export const switchCondition = defineNode({
  type: 'condition.switch',
  category: 'condition',
  labels: labels(
    ['Switch', 'Routes to the output whose values match, or to "default".'],
    ['Selector', 'Envía a la salida cuyos valores coinciden, o a "default".'],
  ),
  params,
  outputs: (p) => [...p.cases.map((c) => c.port), 'default'],
  dynamicOutputs: { param: 'cases', field: 'port', extra: ['default'] },
  execute: (ctx) => {
    const { value, cases, ignoreCase } = ctx.params;
    const match = cases.find((c) => c.values.some((v) => looselyEqual(value, v, ignoreCase)));
    return emit(match?.port ?? 'default', ctx.input);
  },
});
