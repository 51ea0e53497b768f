import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expressionProblems, expressionSyntaxError } from '../src/expression-syntax.js';
import { defineNode, emit } from '../src/node-api.js';
import { NodeRegistry } from '../src/registry.js';

const labels = { en: { title: 'T', description: 'd' }, es: { title: 'T', description: 'd' } };
const say = defineNode({
  type: 'test.say',
  category: 'data',
  labels,
  params: z.object({ text: z.string(), code: z.string().optional(), when: z.string().optional() }),
  rawParams: ['code', 'when'],
  expressionParams: ['when'],
  execute: (ctx) => emit('out', ctx.input),
});
const registry = new NodeRegistry([say]);

describe('expression syntax', () => {
  it('parses without running anything', () => {
    expect(expressionSyntaxError('vars.total * 1.21')).toBeNull();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the expression itself holds a template literal
    expect(expressionSyntaxError('`Hola ${contact.name}`')).toBeNull();
    expect(expressionSyntaxError('globalThis.__ran = true')).toBeNull();
    expect((globalThis as { __ran?: boolean }).__ran).toBeUndefined();
    expect(expressionSyntaxError('vars.total *')).toMatch(/Unexpected/);
  });

  it('names the param of each expression that does not parse; paths and code are left alone', () => {
    const problems = expressionProblems(
      [
        { type: 'test.say', params: { text: 'Total: {{ vars.total * }} — {{ vars.ok }}' } },
        {
          type: 'test.say',
          params: { text: '{{ nodes.send-1.messageId }}', code: 'return {{', when: '{{ vars.a && }}' },
        },
        { type: 'test.say', params: { text: ['fine {{ vars.x ?? "y" }}', 'bad {{ ) }}'] } },
      ],
      registry,
    );
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['$.nodes[0].params.text', 'invalid_expression'],
      ['$.nodes[1].params.when', 'invalid_expression'],
      ['$.nodes[2].params.text[1]', 'invalid_expression'],
    ]);
    expect(problems[0]!.message).toMatch(/^the expression \{\{ vars\.total \* \}\} does not parse: /);
  });
});
