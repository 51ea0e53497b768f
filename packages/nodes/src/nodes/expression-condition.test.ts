import type { ExpressionEvaluator, Json } from '@switchboard/engine';
import { describe, expect, it } from 'vitest';
import { registry, runFlow } from '../../test/harness.js';

// The node's contract with the host's evaluator; the isolated-vm pool itself is tested in
// packages/sandbox and, wired into the server, in apps/server/test/expressions.test.ts.
const evaluator: ExpressionEvaluator = {
  begin(scope) {
    return {
      evaluate: (source) =>
        new Function(...Object.keys(scope), `return (${source});`)(...Object.values(scope)),
    };
  },
};

const branch = async (expression: string, payload: Json = {}, contact?: Json) => {
  const run = await runFlow(
    [{ id: 'check', type: 'condition.expression', params: { expression } }],
    ['start->check'],
    payload,
    { expressions: evaluator, ...(contact ? { contactOf: () => contact } : {}) },
  );
  return { port: run.portsOf('check')[0], run };
};

describe('condition.expression', () => {
  it('continues through "true" when the expression is truthy and "false" otherwise', async () => {
    const vip = { waId: '34600000001', name: 'Ana', tags: ['vip'] };
    expect(
      (await branch("trigger.total > 100 && contact.tags.includes('vip')", { total: 150 }, vip)).port,
    ).toBe('true');
    expect(
      (await branch("trigger.total > 100 && contact.tags.includes('vip')", { total: 50 }, vip)).port,
    ).toBe('false');
    expect((await branch('trigger.items.length', { items: [] })).port).toBe('false');
    // Written with {{ }} like other params, it means the same.
    expect((await branch("{{ trigger.lang === 'es' }}", { lang: 'es' })).port).toBe('true');
  });

  it('passes its input on and sees now and the flow time zone', async () => {
    const { port, run } = await branch("now === '2026-05-04T08:00:00.000Z' && tz === 'UTC'", { n: 1 });
    expect(port).toBe('true');
    expect(run.steps.at(-1)?.output).toEqual({ n: 1 });
  });

  it('fails the step without retrying when the expression is bad, naming the node and the message', async () => {
    const { run } = await branch('trigger.order.total > 100', {});
    expect(run.status).toBe('failed');
    expect(run.steps.at(-1)?.error).toEqual({
      code: 'E002',
      retryable: false,
      message:
        'node "check", param "expression": expression `trigger.order.total > 100` failed: ' +
        "Cannot read properties of undefined (reading 'total')",
    });
  });

  it('fails clearly in a runtime with no expression sandbox', async () => {
    const run = await runFlow(
      [{ id: 'check', type: 'condition.expression', params: { expression: 'true' } }],
      ['start->check'],
    );
    expect(run.steps.at(-1)?.error?.message).toMatch(/no expression sandbox/);
  });

  it('rejects an empty expression at validation time', () => {
    const parsed = registry.get('condition.expression')!.params.safeParse({ expression: '  ' });
    expect(parsed.error?.issues[0]?.message).toMatch(/write an expression/);
  });
});
