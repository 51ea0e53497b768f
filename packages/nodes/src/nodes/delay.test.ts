import { describe, expect, it } from 'vitest';
import { registry, runFlow } from '../../test/harness.js';

describe('flow.delay', () => {
  it('parks the run until the stored wake-up time, then continues', async () => {
    const run = await runFlow(
      [
        { id: 'wait', type: 'flow.delay', params: { amount: 2, unit: 'hours' } },
        { id: 'after', type: 'action.log', params: { message: 'later' } },
      ],
      ['start->wait', 'wait->after'],
    );
    expect(run.status).toBe('waiting');
    expect((await run.store.getRun(run.runId))?.wakeAt).toBe('2026-05-04T10:00:00.000Z');
    run.clock.advance(2 * 3_600_000);
    expect(await run.engine.runUntilSettled(run.runId)).toBe('succeeded');
    expect((await run.store.getSteps(run.runId)).map((s) => `${s.nodeId}:${s.status}`)).toEqual([
      'start:succeeded',
      'wait:waiting',
      'wait:succeeded',
      'after:succeeded',
    ]);
  });

  it('refuses zero, negative and over-30-day delays', () => {
    const p = registry.get('flow.delay')!.params;
    expect(p.safeParse({ amount: 0 }).success).toBe(false);
    expect(p.safeParse({ amount: 31, unit: 'days' }).success).toBe(false);
    expect(p.safeParse({ amount: 30, unit: 'days' }).success).toBe(true);
  });
});
