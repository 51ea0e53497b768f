import { z } from 'zod';
import { catalogOf, type NodeTypeInfo } from '../src/catalog.js';

const info = (type: string, over: Partial<NodeTypeInfo> = {}): NodeTypeInfo => ({
  type,
  category: 'data',
  trigger: false,
  pausesRun: false,
  params: z.object({}),
  inputs: ['in'],
  outputsFor: () => ['out'],
  ...over,
});

/** A small catalog shaped like the real one, without depending on the engine. */
export const catalog = catalogOf([
  info('trigger.manual', { trigger: true, inputs: [], category: 'trigger' }),
  info('condition.if', { outputsFor: () => ['true', 'false'], category: 'condition' }),
  info('condition.switch', {
    params: z.object({ cases: z.array(z.object({ port: z.string() })) }),
    outputsFor: (p) => [
      ...((p as { cases?: Array<{ port: string }> }).cases ?? []).map((c) => c.port),
      'default',
    ],
  }),
  info('action.send', {
    params: z.strictObject({ text: z.string().min(1, 'write the message'), to: z.string() }),
  }),
  info('flow.delay', { pausesRun: true, params: z.object({ amount: z.number().positive() }) }),
]);
