import type { Flow } from '@switchboard/flow-schema';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../src/clock.js';
import { createEngine } from '../src/engine.js';
import type { ExpressionEvaluator } from '../src/expressions.js';
import type { Json } from '../src/json.js';
import { defineNode, emit } from '../src/node-api.js';
import { NodeRegistry } from '../src/registry.js';
import { MemoryFlowSource, MemoryRunStore } from '../src/testing/index.js';
import { buildFlow } from './helpers.js';
import { testNodes } from './test-nodes.js';

/** Evaluates a raw `expression` param through ctx.evaluate, as condition.expression does. */
const check = defineNode({
  type: 'test.check',
  category: 'condition',
  labels: {
    en: { title: 'Check', description: 'Check (test)' },
    es: { title: 'Check', description: 'Check (prueba)' },
  },
  params: z.object({ expression: z.string() }),
  rawParams: ['expression'],
  outputs: ['true', 'false'],
  execute: async (ctx) => emit((await ctx.evaluate(ctx.params.expression)) ? 'true' : 'false', ctx.input),
});

/** A stand-in for the isolate pool: plain JavaScript over a copy of the scope, counting sessions. */
function fakeEvaluator() {
  const sessions: Array<Record<string, Json>> = [];
  const evaluator: ExpressionEvaluator = {
    begin(scope) {
      const copy = JSON.parse(JSON.stringify(scope)) as Record<string, Json>;
      sessions.push(copy);
      return {
        evaluate: (source) =>
          new Function(...Object.keys(copy), `return (${source});`)(...Object.values(copy)),
      };
    },
  };
  return { evaluator, sessions };
}

async function run(
  flow: Flow,
  options: { expressions?: ExpressionEvaluator; contactOf?: () => Json | undefined } = {},
) {
  const store = new MemoryRunStore();
  const engine = createEngine({
    registry: new NodeRegistry([...testNodes, check]),
    store,
    flows: new MemoryFlowSource().add(flow),
    clock: new ManualClock('2026-03-29T08:00:00.000Z'),
    ...options,
  });
  const runId = await engine.startRun({ flow, flowVersion: 1, payload: { name: 'Ana', total: 150 } });
  const status = await engine.runUntilSettled(runId);
  return { status, steps: await store.getSteps(runId), run: await store.getRun(runId) };
}

describe('engine: expressions in params', () => {
  it('evaluates expressions over trigger, steps, now and tz, keeping the type of a whole-string one', async () => {
    const { evaluator, sessions } = fakeEvaluator();
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'a', type: 'test.record', params: { value: { total: '{{ trigger.total * 1.21 }}' } } },
        {
          id: 'b',
          type: 'test.record',
          params: {
            value: '{{ trigger.name.toUpperCase() }}: {{ steps.a.total }} ({{ nodes.a.total > 100 }})',
          },
        },
        { id: 'c', type: 'test.record', params: { value: '{{ [now, tz] }}' } },
        { id: 'd', type: 'test.record', params: { value: 'only {{ trigger.name }}' } },
      ],
      ['t->a', 'a->b', 'b->c', 'c->d'],
      { timezone: 'Europe/Madrid' },
    );
    const { status, steps } = await run(flow, { expressions: evaluator });
    expect(status).toBe('succeeded');
    expect(steps.map((s) => s.output)).toEqual([
      { name: 'Ana', total: 150 },
      { total: 181.5 },
      'ANA: 181.5 (true)',
      ['2026-03-29T08:00:00.000Z', 'Europe/Madrid'],
      'only Ana',
    ]);
    // One session per step that needed one; the path-only step never began one.
    expect(sessions).toHaveLength(3);
  });

  it('fails a bad expression with E002, not retried, naming the node, the param and the message', async () => {
    const { evaluator } = fakeEvaluator();
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'greet', type: 'test.record', params: { value: { text: 'Hola {{ vars.x.y.z + 1 }}' } } },
      ],
      ['t->greet'],
      { defaultRetry: { maxTries: 3, backoffMs: 0 } },
    );
    const { status, steps, run: r } = await run(flow, { expressions: evaluator });
    expect(status).toBe('failed');
    expect(steps.filter((s) => s.nodeId === 'greet')).toHaveLength(1);
    expect(steps.at(-1)?.error).toEqual({
      code: 'E002',
      retryable: false,
      message:
        'node "greet", param "value.text": expression {{ vars.x.y.z + 1 }} failed: ' +
        "Cannot read properties of undefined (reading 'y')",
    });
    expect(r?.error?.message).toContain('param "value.text"');
  });

  it('without an evaluator, an expression fails clearly and paths still work', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'a', type: 'test.record', params: { value: '{{ trigger.name }}' } },
        { id: 'b', type: 'test.record', params: { value: '{{ trigger.total > 100 }}' } },
      ],
      ['t->a', 'a->b'],
    );
    const { steps } = await run(flow);
    expect(steps[1]?.output).toBe('Ana');
    expect(steps[2]?.error?.message).toMatch(/param "value": .* no expression sandbox/);
  });

  it('looks the contact up only for steps whose params mention it', async () => {
    const { evaluator } = fakeEvaluator();
    let lookups = 0;
    const contactOf = () => {
      lookups++;
      return { name: 'José', tags: ['vip'] };
    };
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'a', type: 'test.record', params: { value: 'contact us: {{ trigger.name }}' } },
        { id: 'b', type: 'test.record', params: { value: "{{ contact?.name ?? 'amigo' }}" } },
        { id: 'vip', type: 'test.check', params: { expression: "contact.tags.includes('vip')" } },
        { id: 'c', type: 'test.record', params: { value: '{{ contact.tags }}' } },
      ],
      ['t->a', 'a->b', 'b->vip', 'vip.true->c'],
    );
    const { status, steps } = await run(flow, { expressions: evaluator, contactOf });
    expect(status).toBe('succeeded');
    expect(steps.map((s) => s.output)).toEqual([
      { name: 'Ana', total: 150 },
      'contact us: Ana',
      'José',
      'José',
      ['vip'],
    ]);
    expect(lookups).toBe(3);
  });

  it('fails a raw expression param through ctx.evaluate with the same named E002', async () => {
    const { evaluator } = fakeEvaluator();
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'vip', type: 'test.check', params: { expression: 'vars.total >' } },
      ],
      ['t->vip'],
    );
    const { steps } = await run(flow, { expressions: evaluator });
    expect(steps.at(-1)?.error).toMatchObject({
      code: 'E002',
      retryable: false,
      message: expect.stringMatching(/^node "vip", param "expression": expression `vars.total >` failed: /),
    });
  });
});
