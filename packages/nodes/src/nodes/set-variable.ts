import { defineNode, emit, toJson } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';

const VarName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use letters, digits and _ (not starting with a digit)');

/** Stores values in run variables, readable later as `{{ vars.name }}`; passes its input on unchanged. */
export const setVariable = defineNode({
  type: 'data.setVariable',
  category: 'data',
  labels: labels(
    ['Set variable', 'Stores values for later steps as {{ vars.name }}.'],
    ['Guardar variable', 'Guarda valores para pasos posteriores como {{ vars.nombre }}.'],
  ),
  params: z.strictObject({
    assignments: z.array(z.object({ name: VarName, value: z.unknown() })).min(1, 'set at least one variable'),
  }),
  execute: (ctx) => {
    for (const { name, value } of ctx.params.assignments) ctx.setVar(name, toJson(value));
    return emit('out', ctx.input);
  },
});
