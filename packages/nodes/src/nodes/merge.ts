import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';

/**
 * Joins branches: waits until every branch that can still reach it has arrived (branches a condition
 * did not take are not waited for), then continues once with `{ [nodeId]: value }`.
 */
export const merge = defineNode({
  type: 'flow.merge',
  category: 'flow',
  join: true,
  labels: labels(
    ['Merge', 'Waits for the branches that can still arrive, then continues once.'],
    ['Unir', 'Espera a las ramas que aún pueden llegar y continúa una sola vez.'],
  ),
  params: z.strictObject({}),
  execute: (ctx) => emit('out', ctx.input),
});
