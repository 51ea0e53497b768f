import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/harness.js';

describe('data.setVariable', () => {
  it('stores typed values that later nodes read as {{ vars.name }}', async () => {
    const run = await runFlow(
      [
        {
          id: 'set',
          type: 'data.setVariable',
          params: {
            assignments: [
              { name: 'tier', value: '{{ trigger.tier }}' },
              { name: 'n', value: 2 },
            ],
          },
        },
        {
          id: 'check',
          type: 'condition.if',
          params: { left: '{{ vars.n }}', operator: 'greaterThan', right: 1 },
        },
        { id: 'log', type: 'action.log', params: { message: 'tier={{ vars.tier }}' } },
      ],
      ['start->set', 'set->check', 'check.true->log'],
      { tier: 'VIP' },
    );
    expect(run.path).toEqual(['start', 'set', 'check', 'log']);
    expect(run.logger.lines.find((l) => l.msg?.startsWith('flow log'))?.msg).toBe('flow log: tier=VIP');
  });

  it('refuses variable names that templates could not read', async () => {
    await expect(
      runFlow(
        [{ id: 'set', type: 'data.setVariable', params: { assignments: [{ name: '1st', value: 1 }] } }],
        ['start->set'],
      ),
    ).rejects.toThrow(/assignments\[0\]\.name/);
  });
});
