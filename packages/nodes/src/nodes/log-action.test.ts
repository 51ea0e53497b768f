import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/harness.js';

describe('action.log', () => {
  it('logs the resolved message with run, node and idempotency key, and passes its input on', async () => {
    const run = await runFlow(
      [
        {
          id: 'log',
          type: 'action.log',
          params: { message: 'Pedido {{ trigger.order }}', level: 'warn', data: '{{ trigger }}' },
        },
      ],
      ['start->log'],
      { order: 'A-17' },
    );
    const line = run.logger.lines.find((l) => l.msg === 'flow log: Pedido A-17');
    expect(line?.level).toBe('warn');
    expect(line?.obj).toMatchObject({
      runId: run.runId,
      nodeId: 'log',
      idempotencyKey: `${run.runId}:log`,
      flowLog: { data: { order: 'A-17' } },
    });
    expect(run.steps.at(-1)?.output).toEqual({ order: 'A-17' });
  });
});
