import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/harness.js';

describe('flow.merge', () => {
  it('continues once with the branches that arrived, not waiting for the branch not taken', async () => {
    const run = await runFlow(
      [
        { id: 'a', type: 'data.setVariable', params: { assignments: [{ name: 'a', value: 1 }] } },
        { id: 'if', type: 'condition.if', params: { left: true, operator: 'isTrue' } },
        { id: 'no', type: 'action.log', params: { message: 'not taken' } },
        { id: 'm', type: 'flow.merge' },
        { id: 'end', type: 'action.log', params: { message: 'merged' } },
      ],
      ['start->a', 'start->if', 'if.false->no', 'a->m', 'if.true->m', 'no->m', 'm->end'],
      { hi: 1 },
    );
    expect(run.status).toBe('succeeded');
    expect(run.path.filter((id) => id === 'end')).toHaveLength(1);
    expect(run.steps.find((s) => s.nodeId === 'm')?.input).toEqual({ a: { hi: 1 }, if: { hi: 1 } });
  });
});
