import type { RunStore } from '@switchboard/engine';
import { expect, it } from 'vitest';
import type { CallRepository, RunCallRow } from '../../src/call-repo.js';
import type { AsyncOf } from '../../src/ports.js';
import { parkedRun, queuedRun, succeededRun, T0 } from './flows-area-fixtures.js';

export interface CallFixture {
  calls: AsyncOf<CallRepository>;
  /** Runs in the same database (the chain and the outcomes read them). */
  store: RunStore;
}

export const callRow = (
  childRunId: string,
  parentRunId: string,
  over: Partial<RunCallRow> = {},
): RunCallRow => ({
  childRunId,
  parentRunId,
  parentNodeId: 'call',
  idempotencyKey: `${parentRunId}:call`,
  depth: 1,
  createdAt: T0.toISOString(),
  ...over,
});

export function callRepoContract(make: () => Promise<CallFixture>): void {
  it('records calls once per idempotency key and reads them back by key and by child', async () => {
    const { calls, store } = await make();
    await parkedRun(store, 'top', []);
    await queuedRun(store, 'child');
    await calls.insert(callRow('child', 'top'));
    expect(await calls.byIdempotencyKey('top:call')).toEqual(callRow('child', 'top'));
    expect(await calls.get('child')).toEqual(callRow('child', 'top'));
    expect(await calls.get('top')).toBeUndefined();
    expect(await calls.byIdempotencyKey('nope')).toBeUndefined();
    await expect(calls.insert(callRow('other', 'top'))).rejects.toThrow(
      'UNIQUE constraint failed: run_calls.idempotency_key',
    );
    await expect(calls.insert(callRow('child', 'top', { idempotencyKey: 'again' }))).rejects.toThrow(
      'UNIQUE constraint failed: run_calls.child_run_id',
    );
    expect(await calls.get('other')).toBeUndefined();
  });

  it('walks the chain of callers, outermost first, at most `limit` long', async () => {
    const { calls, store } = await make();
    await queuedRun(store, 'a', { flowId: 'fa' });
    await queuedRun(store, 'b', { flowId: 'fb' });
    await queuedRun(store, 'c', { flowId: 'fc' });
    await calls.insert(callRow('b', 'a'));
    await calls.insert(callRow('c', 'b', { depth: 2 }));
    expect(await calls.flowChain('c', 10)).toEqual(['fa', 'fb', 'fc']);
    expect(await calls.flowChain('c', 2)).toEqual(['fb', 'fc']);
    expect(await calls.flowChain('c', 0)).toEqual([]);
    expect(await calls.flowChain('a', 10)).toEqual(['fa']);
    expect(await calls.flowChain('missing', 10)).toEqual([]);
    // A caller whose run row is gone ends the chain there.
    await queuedRun(store, 'd', { flowId: 'fd' });
    await calls.insert(callRow('d', 'ghost', { idempotencyKey: 'ghost:call' }));
    expect(await calls.flowChain('d', 10)).toEqual(['fd']);
  });

  it('tells a run’s outcome: status, variables, last completed output and error', async () => {
    const { calls, store } = await make();
    await parkedRun(store, 'waiting', [], { flowId: 'fw' });
    expect(await calls.outcome('waiting')).toEqual({
      runId: 'waiting',
      flowId: 'fw',
      status: 'waiting',
      vars: {},
      output: null,
      error: null,
    });
    await succeededRun(store, 'done', [{ first: true }, { total: 3 }], { order: 'A1' }, { flowId: 'fd' });
    expect(await calls.outcome('done')).toEqual({
      runId: 'done',
      flowId: 'fd',
      status: 'succeeded',
      vars: { order: 'A1' },
      output: { total: 3 },
      error: null,
    });
    await queuedRun(store, 'cancelled');
    await store.cancelRun({ runId: 'cancelled', now: T0 });
    expect(await calls.outcome('cancelled')).toMatchObject({ status: 'cancelled', output: null });
    expect(await calls.outcome('nope')).toBeUndefined();
  });
}
