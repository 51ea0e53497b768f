import { validateFlow } from '@switchboard/flow-schema';
import { describe, expect, it } from 'vitest';
import { registry, runFlow } from '../../test/harness.js';

/** start fans out to a one-hour delay (then "late") and to the end node. */
const nodes = (params: object) => [
  { id: 'wait', type: 'flow.delay', params: { amount: 1, unit: 'hours' } },
  { id: 'late', type: 'action.log', params: { message: 'late' } },
  { id: 'stop', type: 'flow.end', params },
];
const edges = ['start->wait', 'wait->late', 'start->stop'];

describe('flow.end', () => {
  it('ends the whole run as succeeded, dropping a branch parked on a delay', async () => {
    const run = await runFlow(nodes({}), edges);
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((s) => `${s.nodeId}:${s.status}`)).toEqual([
      'start:succeeded',
      'wait:waiting',
      'stop:succeeded',
    ]);
    expect((await run.store.getRun(run.runId))?.wakeAt).toBeNull();
    run.clock.advance(2 * 3_600_000);
    expect(await run.engine.tick()).toBe(0); // the delay never wakes
    expect(run.logger.lines.some((l) => l.msg === 'flow log: late')).toBe(false);
  });

  it('ends the run as failed, with the message as the run error', async () => {
    const run = await runFlow(nodes({ status: 'failed', message: 'El cliente canceló la cita' }), edges);
    expect(run.status).toBe('failed');
    expect((await run.store.getRun(run.runId))?.error).toEqual({
      message: 'El cliente canceló la cita',
      code: 'ended',
      retryable: false,
    });
  });

  it('has no outputs: validation refuses an edge out of it, and unknown statuses', () => {
    const def = registry.get('flow.end')!;
    expect(def.outputsFor({})).toEqual([]);
    expect(def.params.safeParse({ status: 'cancelled' }).success).toBe(false);
    const doc = {
      schemaVersion: 1,
      id: 'f',
      name: 'f',
      nodes: [
        { id: 'start', type: 'trigger.manual', position: { x: 0, y: 0 }, params: {} },
        { id: 'stop', type: 'flow.end', position: { x: 1, y: 0 }, params: {} },
        { id: 'after', type: 'action.log', position: { x: 2, y: 0 }, params: { message: 'x' } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'stop' },
        { id: 'e2', source: 'stop', target: 'after' },
      ],
    };
    const problems = validateFlow(doc, registry).problems.filter((p) => p.severity === 'error');
    expect(problems.map((p) => [p.path, p.code])).toEqual([['$.edges[1].sourcePort', 'unknown_port']]);
  });
});
