import { beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../src/events.js';
import type { RunStore } from '../src/store.js';
import { buildFlow, setup } from './helpers.js';
import { calls } from './test-nodes.js';

beforeEach(() => {
  calls.length = 0;
});

/** t fans out to: a → end, a delay (d → late) and a wait for a key (w → replied). */
const fanOut = (endParams: Record<string, unknown> = {}) =>
  buildFlow(
    [
      { id: 't', type: 'test.start' },
      { id: 'd', type: 'test.delay', params: { ms: 60_000 } },
      { id: 'w', type: 'test.waitKey', params: { key: 'reply:c-1' } },
      { id: 'a', type: 'test.record' },
      { id: 'stop', type: 'test.end', params: endParams },
      { id: 'late', type: 'test.record' },
      { id: 'replied', type: 'test.record' },
    ],
    ['t->d', 't->w', 't->a', 'a->stop', 'd->late', 'w.replied->replied'],
  );

/** Records every wait the run adds and removes, as the store sees them. */
function trackWaits(store: RunStore) {
  const added = new Set<string>();
  const removed = new Set<string>();
  const commit = store.commitStep.bind(store);
  store.commitStep = async (args) => {
    await commit(args);
    for (const w of args.run.addWaits) added.add(w.token);
    for (const t of args.run.removeWaits) removed.add(t);
  };
  return { added, removed };
}

describe('engine: a node that ends the run (flow.end)', () => {
  it('ends the whole run as succeeded, dropping parked branches and removing their waits', async () => {
    const { engine, store, clock, start } = setup(fanOut());
    const waits = trackWaits(store);
    const events: EngineEvent[] = [];
    engine.on((e) => events.push(e));
    const { runId, status, steps, run } = await start();
    expect(status).toBe('succeeded');
    expect(run?.error).toBeNull();
    expect(steps.map((s) => `${s.nodeId}:${s.status}`)).toEqual([
      't:succeeded',
      'd:waiting',
      'w:waiting',
      'a:succeeded',
      'stop:succeeded',
    ]);
    expect(steps.at(-1)).toMatchObject({ ports: [], output: { ended: 'succeeded' } });
    // Both parked branches had wait rows; the final commit removed every one of them.
    expect(waits.added.size).toBe(2);
    expect([...waits.removed].sort()).toEqual([...waits.added].sort());
    expect(await engine.deliver('reply:c-1', { text: 'hola' })).toEqual([]);
    clock.advance(120_000);
    expect(await engine.tick()).toBe(0);
    expect(calls.map((c) => c.nodeId)).toEqual(['a']); // neither "late" nor "replied" ever ran
    expect(events.filter((e) => e.type === 'run.finished')).toEqual([
      { type: 'run.finished', runId, flowId: 'f1', status: 'succeeded', error: null },
    ]);
  });

  it('ends the run as failed with the given message as the run error', async () => {
    const { start } = setup(fanOut({ status: 'failed', message: 'pedido no encontrado' }));
    const { status, run, steps } = await start();
    expect(status).toBe('failed');
    expect(run?.error).toEqual({ message: 'pedido no encontrado', code: 'ended', retryable: false });
    expect(steps.at(-1)).toMatchObject({
      nodeId: 'stop',
      status: 'succeeded',
      output: { ended: 'failed', message: 'pedido no encontrado' },
    });
  });

  it('says which node failed the run when no message is given', async () => {
    const { start } = setup(fanOut({ status: 'failed' }));
    expect((await start()).run?.error?.message).toBe('ended as failed by node "stop"');
  });

  it('ends a run that resumed from a wait, and drops a join still waiting for inputs', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'w', type: 'test.waitKey', params: { key: 'reply:c-2' } },
        { id: 'd', type: 'test.delay', params: { ms: 60_000 } },
        { id: 'j', type: 'test.join' },
        { id: 'stop', type: 'test.end' },
        { id: 'after', type: 'test.record' },
      ],
      ['t->w', 't->d', 'w.replied->stop', 'd->j', 'w.timeout->j', 'j->after'],
    );
    const { engine, store, clock, start } = setup(flow);
    const waits = trackWaits(store);
    const { runId, status } = await start();
    expect(status).toBe('waiting');
    expect(await engine.deliver('reply:c-2', { text: 'fin' })).toEqual([runId]);
    expect(await engine.runUntilSettled(runId)).toBe('succeeded');
    expect([...waits.removed].sort()).toEqual([...waits.added].sort());
    clock.advance(120_000);
    expect(await engine.tick()).toBe(0);
    expect(calls).toEqual([]);
  });

  it('overrides branch failures collected under continueRun when it ends the run as succeeded', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'f', type: 'test.flaky', params: { failTimes: 1 } },
        { id: 'a', type: 'test.record' },
        { id: 'stop', type: 'test.end' },
      ],
      ['t->f', 't->a', 'a->stop'],
      { errorPolicy: 'continueRun' },
    );
    const { status, run, steps } = await setup(flow).start();
    expect(steps.find((s) => s.nodeId === 'f')?.status).toBe('failed');
    expect(status).toBe('succeeded');
    expect(run?.error).toBeNull();
  });
});
