import { describe, expect, it } from 'vitest';
import { registry, runFlow } from '../../test/harness.js';

const cases = [
  { port: 'sales', values: ['ventas', 'comprar', 'btn_sales'] },
  { port: 'support', values: ['soporte', 'ayuda'] },
];

describe('condition.switch', () => {
  it('routes to the first case with a matching value, else to default', async () => {
    const nodes = [
      { id: 'sw', type: 'condition.switch', params: { value: '{{ trigger.choice }}', cases } },
      { id: 'toSales', type: 'action.log', params: { message: 'sales' } },
      { id: 'toDefault', type: 'action.log', params: { message: 'default' } },
    ];
    const edges = ['start->sw', 'sw.sales->toSales', 'sw.default->toDefault'];
    expect((await runFlow(nodes, edges, { choice: 'Ventas' })).path).toEqual(['start', 'sw', 'toSales']);
    expect((await runFlow(nodes, edges, { choice: 'otra cosa' })).path).toEqual(['start', 'sw', 'toDefault']);
  });

  it('has one output per case plus default, and refuses duplicate or reserved names', () => {
    const sw = registry.get('condition.switch')!;
    expect(sw.outputsFor({ value: 'x', cases })).toEqual(['sales', 'support', 'default']);
    expect(sw.params.safeParse({ value: 'x', cases: [cases[0], cases[0]] }).success).toBe(false);
    expect(sw.params.safeParse({ value: 'x', cases: [{ port: 'default', values: ['a'] }] }).success).toBe(
      false,
    );
  });
});
