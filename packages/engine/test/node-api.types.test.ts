import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineNode, emit, type NodeContext, type NodeResult } from '../src/node-api.js';

// Checked by `tsc` (npm test typechecks tests): params are inferred from the zod schema.
describe('defineNode types', () => {
  it('infers ctx.params from the params schema, with defaults applied', () => {
    defineNode({
      type: 'test.typed',
      category: 'data',
      labels: { en: { title: 'T', description: 'T' }, es: { title: 'T', description: 'T' } },
      params: z.object({
        text: z.string(),
        times: z.number().default(1),
        tags: z.array(z.string()).optional(),
      }),
      execute: (ctx) => {
        expectTypeOf(ctx.params).toEqualTypeOf<{
          text: string;
          times: number;
          tags?: string[] | undefined;
        }>();
        expectTypeOf(ctx).toExtend<
          NodeContext<{ text: string; times: number; tags?: string[] | undefined }>
        >();
        return emit('out', ctx.params.text.repeat(ctx.params.times));
      },
    });
  });

  it('lets outputs depend on typed params', () => {
    defineNode({
      type: 'test.ports',
      category: 'condition',
      labels: { en: { title: 'T', description: 'T' }, es: { title: 'T', description: 'T' } },
      params: z.object({ cases: z.array(z.object({ port: z.string() })) }),
      outputs: (p) => {
        expectTypeOf(p.cases).toEqualTypeOf<Array<{ port: string }>>();
        return p.cases.map((c) => c.port);
      },
      execute: (ctx): NodeResult => emit(ctx.params.cases[0]?.port ?? 'default', null),
    });
  });
});
