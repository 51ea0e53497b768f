import { beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../src/events.js';
import { buildFlow, setup } from './helpers.js';
import { calls } from './test-nodes.js';

beforeEach(() => {
  calls.length = 0;
});

describe('engine: walking a flow', () => {
  it('runs trigger → actions in order and records every step with input, output and timing', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'a', type: 'test.record', params: { value: { greeting: 'Hola {{ trigger.name }}' } } },
        { id: 'b', type: 'test.record' },
      ],
      ['t->a', 'a->b'],
    );
    const { start } = setup(flow);
    const { status, steps } = await start({ name: 'Ana' });
    expect(status).toBe('succeeded');
    expect(steps.map((s) => [s.nodeId, s.status, s.ports])).toEqual([
      ['t', 'succeeded', ['out']],
      ['a', 'succeeded', ['out']],
      ['b', 'succeeded', ['out']],
    ]);
    expect(steps[2]?.input).toEqual({ greeting: 'Hola Ana' });
    expect(steps.every((s) => s.durationMs !== null && s.finishedAt !== null)).toBe(true);
  });

  it('follows only the output port a condition chose', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'if', type: 'test.branch', params: { when: '{{ trigger.vip }}' } },
        { id: 'yes', type: 'test.record' },
        { id: 'no', type: 'test.record' },
      ],
      ['t->if', 'if.true->yes', 'if.false->no'],
    );
    const { start } = setup(flow);
    await start({ vip: true });
    await start({ vip: false });
    expect(calls.map((c) => c.nodeId)).toEqual(['yes', 'no']);
  });

  it('fans out to every edge of a port and joins the branches that can still arrive', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'a', type: 'test.record', params: { value: 'A' } },
        { id: 'b', type: 'test.record', params: { value: 'B' } },
        { id: 'b2', type: 'test.record' },
        { id: 'if', type: 'test.branch', params: { when: false } },
        { id: 'never', type: 'test.record', params: { value: 'N' } },
        { id: 'j', type: 'test.join' },
        { id: 'end', type: 'test.record' },
      ],
      ['t->a', 't->b', 'b->b2', 't->if', 'if.true->never', 'a->j', 'b2->j', 'never->j', 'j->end'],
    );
    const { start } = setup(flow);
    const { status, steps } = await start();
    expect(status).toBe('succeeded');
    expect(steps.filter((s) => s.nodeId === 'j')).toHaveLength(1);
    expect(steps.find((s) => s.nodeId === 'end')?.input).toEqual({ a: 'A', b2: 'B' });
    expect(calls.map((c) => c.nodeId)).not.toContain('never');
  });

  it('gives side effects a stable idempotency key per run and node, distinct on later loop visits', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'rec', type: 'test.record' },
        { id: 'count', type: 'test.counter', params: { name: 'n', limit: 3 } },
        { id: 'pause', type: 'test.delay', params: { ms: 1000 } },
      ],
      ['t->rec', 'rec->count', 'count.again->pause', 'pause->rec'],
    );
    const { engine, clock, start } = setup(flow);
    const { runId, status } = await start();
    expect(status).toBe('waiting');
    for (let i = 0; i < 2; i++) {
      clock.advance(1000);
      await engine.runUntilSettled(runId);
    }
    expect(calls.map((c) => c.key)).toEqual([`${runId}:rec`, `${runId}:rec:2`, `${runId}:rec:3`]);
  });

  it('emits node and run events in order', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'a', type: 'test.record' },
      ],
      ['t->a'],
    );
    const { engine, start } = setup(flow);
    const seen: string[] = [];
    engine.on((e: EngineEvent) => seen.push('nodeId' in e ? `${e.type}:${e.nodeId}` : e.type));
    await start();
    // The trigger's step is stored with the run (it only passes its payload on): no worker runs it.
    expect(seen).toEqual(['run.created', 'node.started:a', 'node.finished:a', 'run.finished']);
  });
});

describe('engine: errors, retries and timeouts', () => {
  it('retries with exponential backoff as a durable wait, reusing the idempotency key', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        {
          id: 'f',
          type: 'test.flaky',
          params: { failTimes: 2 },
          retry: { maxTries: 3, backoffMs: 1000, jitter: 0 },
        },
      ],
      ['t->f'],
    );
    const { engine, clock, start, store } = setup(flow);
    const first = await start();
    expect(first.status).toBe('waiting');
    expect(first.run?.wakeAt).toBe('2026-03-01T09:00:01.000Z');
    clock.advance(999);
    expect(await engine.tick()).toBe(0);
    clock.advance(1);
    expect(await engine.runUntilSettled(first.runId)).toBe('waiting');
    expect((await store.getRun(first.runId))?.wakeAt).toBe('2026-03-01T09:00:03.000Z'); // 2 s: doubled
    clock.advance(2000);
    expect(await engine.runUntilSettled(first.runId)).toBe('succeeded');
    expect(calls.map((c) => [c.attempt, c.key])).toEqual([
      [1, `${first.runId}:f`],
      [2, `${first.runId}:f`],
      [3, `${first.runId}:f`],
    ]);
    const steps = await store.getSteps(first.runId);
    expect(steps.filter((s) => s.nodeId === 'f').map((s) => s.status)).toEqual([
      'failed',
      'failed',
      'succeeded',
    ]);
  });

  it('does not retry errors marked not retryable, and fails the run naming the node', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'f', type: 'test.flaky', params: { failTimes: 5, retryable: false }, retry: { maxTries: 3 } },
        { id: 'after', type: 'test.record' },
      ],
      ['t->f', 'f->after'],
    );
    const { start } = setup(flow);
    const { status, run } = await start();
    expect(status).toBe('failed');
    expect(run?.error?.message).toBe('node "f" failed: failure 1');
    expect(calls.map((c) => c.nodeId)).toEqual(['f']);
  });

  it('sends the error out of the error port when the node asks for it', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'f', type: 'test.flaky', params: { failTimes: 1 }, onError: 'errorPort' },
        { id: 'ok', type: 'test.record' },
        { id: 'handler', type: 'test.record' },
      ],
      ['t->f', 'f->ok', 'f.error->handler'],
    );
    const { start } = setup(flow);
    const { status, steps } = await start({ x: 1 });
    expect(status).toBe('succeeded');
    expect(steps.find((s) => s.nodeId === 'handler')?.input).toEqual({
      error: { message: 'failure 1', code: 'flaky', retryable: true },
      input: { x: 1 },
    });
    expect(calls.map((c) => c.nodeId)).toEqual(['f', 'handler']);
  });

  it('continues with the input when the node is set to continue on failure', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'f', type: 'test.flaky', params: { failTimes: 1 }, onError: 'continue' },
        { id: 'ok', type: 'test.record' },
      ],
      ['t->f', 'f->ok'],
    );
    const { start } = setup(flow);
    const { status, steps } = await start({ x: 2 });
    expect(status).toBe('succeeded');
    expect(steps.find((s) => s.nodeId === 'ok')?.input).toEqual({ x: 2 });
  });

  it('lets other branches finish under the continueRun policy, then reports the failure', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'f', type: 'test.flaky', params: { failTimes: 1 } },
        { id: 'other', type: 'test.record' },
      ],
      ['t->f', 't->other'],
      { errorPolicy: 'continueRun' },
    );
    const { start } = setup(flow);
    const { status, run } = await start();
    expect(status).toBe('failed');
    expect(run?.error?.message).toContain('node "f" failed');
    expect(calls.map((c) => c.nodeId)).toContain('other');
  });

  it('times a slow node out and aborts its signal', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 's', type: 'test.slow', params: { ms: 5_000 }, timeoutMs: 30 },
      ],
      ['t->s'],
    );
    const { start } = setup(flow);
    const { status, steps } = await start();
    expect(status).toBe('failed');
    expect(steps.find((s) => s.nodeId === 's')?.error?.code).toBe('E003');
  });

  it('fails the step with a readable message when resolved params are invalid', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 's', type: 'test.slow', params: { ms: '{{ trigger.wait }}' } },
      ],
      ['t->s'],
    );
    const { start } = setup(flow);
    const { status, steps } = await start({ wait: 'soon' });
    expect(status).toBe('failed');
    expect(steps[1]?.error).toMatchObject({ code: 'E002', retryable: false });
    expect(steps[1]?.error?.message).toMatch(/^invalid params: ms: /);
  });
});

describe('engine: waiting', () => {
  it('parks on a delay as a stored wake-up time and continues once it is due', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'd', type: 'test.delay', params: { ms: 60_000 } },
        { id: 'after', type: 'test.record' },
      ],
      ['t->d', 'd->after'],
    );
    const { engine, clock, start, store } = setup(flow);
    const { runId, status, run } = await start();
    expect(status).toBe('waiting');
    expect(run?.wakeAt).toBe('2026-03-01T09:01:00.000Z');
    clock.advance(59_999);
    expect(await engine.tick()).toBe(0);
    clock.advance(1);
    expect(await engine.runUntilSettled(runId)).toBe('succeeded');
    expect(calls.map((c) => c.nodeId)).toEqual(['after']);
    expect((await store.getSteps(runId)).map((s) => `${s.nodeId}:${s.status}`)).toEqual([
      't:succeeded',
      'd:waiting',
      'd:succeeded',
      'after:succeeded',
    ]);
  });

  it('resumes a run parked on a key when the key is delivered, or times out', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'w', type: 'test.waitKey', params: { key: 'reply:{{ trigger.from }}', timeoutMs: 3_600_000 } },
        { id: 'got', type: 'test.record' },
        { id: 'late', type: 'test.record' },
      ],
      ['t->w', 'w.replied->got', 'w.timeout->late'],
    );
    const { engine, clock, start } = setup(flow);
    const a = await start({ from: '34600000001' });
    const b = await start({ from: '34600000002' });
    expect([a.status, b.status]).toEqual(['waiting', 'waiting']);
    expect(await engine.deliver('reply:34600000001', { text: 'sí' })).toEqual([a.runId]);
    expect(await engine.runUntilSettled(a.runId)).toBe('succeeded');
    clock.advance(3_600_000);
    expect(await engine.runUntilSettled(b.runId)).toBe('succeeded');
    expect(calls.map((c) => [c.nodeId, c.input])).toEqual([
      ['got', { text: 'sí' }],
      ['late', { asked: 'reply:34600000002' }],
    ]);
  });

  it('skips a wait on request: a delay continues and a reply timeout takes its timeout path, now', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'd', type: 'test.delay', params: { ms: 30 * 86_400_000 } },
        { id: 'w', type: 'test.waitKey', params: { key: 'reply:x', timeoutMs: 3_600_000 } },
        { id: 'got', type: 'test.record' },
        { id: 'late', type: 'test.record' },
      ],
      ['t->d', 'd->w', 'w.replied->got', 'w.timeout->late'],
    );
    const { engine, clock, start, store } = setup(flow);
    const { runId, status } = await start();
    expect(status).toBe('waiting');
    expect(await engine.wakeNow(runId)).toBe(1);
    expect(await engine.runUntilSettled(runId)).toBe('waiting'); // now parked on the reply
    expect(await engine.wakeNow(runId)).toBe(1);
    expect(await engine.runUntilSettled(runId)).toBe('succeeded');
    expect(clock.now().toISOString()).toBe('2026-03-01T09:00:00.000Z'); // no time passed
    expect(calls.map((c) => [c.nodeId, c.input])).toEqual([['late', { asked: 'reply:x' }]]);
    expect(await engine.wakeNow(runId)).toBe(0); // finished: nothing to skip
    expect((await store.getSteps(runId)).map((s) => `${s.nodeId}:${s.status}`)).toEqual([
      't:succeeded',
      'd:waiting',
      'd:succeeded',
      'w:waiting',
      'w:succeeded',
      'late:succeeded',
    ]);
  });

  it('waits for a branch parked on a delay before firing a join', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'd', type: 'test.delay', params: { ms: 1000 } },
        { id: 'fast', type: 'test.record', params: { value: 'fast' } },
        { id: 'j', type: 'test.join' },
        { id: 'end', type: 'test.record' },
      ],
      ['t->d', 't->fast', 'd->j', 'fast->j', 'j->end'],
    );
    const { engine, clock, start } = setup(flow);
    const { runId, status } = await start({ v: 1 });
    expect(status).toBe('waiting');
    expect(calls.map((c) => c.nodeId)).toEqual(['fast']);
    clock.advance(1000);
    expect(await engine.runUntilSettled(runId)).toBe('succeeded');
    expect(calls.at(-1)).toMatchObject({ nodeId: 'end', input: { d: { v: 1 }, fast: 'fast' } });
  });

  it('cancels a waiting run so it never wakes', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'd', type: 'test.delay', params: { ms: 1000 } },
        { id: 'after', type: 'test.record' },
      ],
      ['t->d', 'd->after'],
    );
    const { engine, clock, start, store } = setup(flow);
    const { runId } = await start();
    expect(await engine.cancel(runId)).toBe(true);
    clock.advance(5000);
    expect(await engine.tick()).toBe(0);
    expect((await store.getRun(runId))?.status).toBe('cancelled');
    expect(calls).toEqual([]);
  });
});

describe('engine: when a step may start', () => {
  it('starts a side-effect node only once its begin is durable; a pure node does not wait for it', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'pure', type: 'test.flaky', params: { failTimes: 0 } },
        { id: 'effect', type: 'test.record' },
      ],
      ['t->pure', 'pure->effect'],
    );
    const { engine, store } = setup(flow);
    // A store whose begin writes become durable only when the test says so.
    const pending: Array<{ nodeId: string; release: () => void }> = [];
    const begin = store.beginStep.bind(store);
    store.beginStep = async (lease, step) => {
      await new Promise<void>((release) => pending.push({ nodeId: step.nodeId, release }));
      return begin(lease, step);
    };
    const runId = await engine.startRun({ flow, flowVersion: 1, payload: {} });
    const settled = engine.runUntilSettled(runId);
    const begun = async (nodeId: string) => {
      for (let i = 0; i < 200 && !pending.some((p) => p.nodeId === nodeId); i++)
        await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setTimeout(r, 20)); // time for the node to run, if it may
      return pending.find((p) => p.nodeId === nodeId)!;
    };
    const pure = await begun('pure');
    expect(calls.map((c) => c.nodeId)).toEqual(['pure']); // ran before its begin was durable
    pure.release();
    const effect = await begun('effect');
    expect(calls.map((c) => c.nodeId)).toEqual(['pure']); // the side effect waits for its begin
    effect.release();
    expect(await settled).toBe('succeeded');
    expect(calls.map((c) => c.nodeId)).toEqual(['pure', 'effect']);
    expect((await store.getSteps(runId)).map((s) => [s.nodeId, s.status])).toEqual([
      ['t', 'succeeded'],
      ['pure', 'succeeded'],
      ['effect', 'succeeded'],
    ]);
  });
});

describe('engine: the trigger step', () => {
  it('is stored with the run, already succeeded, so workers start at the first real node', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'a', type: 'test.record' },
      ],
      ['t->a'],
    );
    const { engine, store } = setup(flow);
    const runId = await engine.startRun({ flow, flowVersion: 1, payload: { text: 'hola' } });
    expect((await store.getRun(runId))?.status).toBe('queued');
    expect((await store.getSteps(runId)).map((s) => [s.seq, s.nodeId, s.status, s.ports, s.output])).toEqual([
      [1, 't', 'succeeded', ['out'], { text: 'hola' }],
    ]);
    expect(await engine.runUntilSettled(runId)).toBe('succeeded');
    expect((await store.getSteps(runId)).map((s) => [s.seq, s.nodeId])).toEqual([
      [1, 't'],
      [2, 'a'],
    ]);
    expect(calls.map((c) => [c.nodeId, c.input])).toEqual([['a', { text: 'hola' }]]);
  });

  it('lets a run whose trigger leads nowhere finish at once', async () => {
    const flow = buildFlow([{ id: 't', type: 'test.start' }], []);
    const { engine } = setup(flow);
    const runId = await engine.startRun({ flow, flowVersion: 1, payload: {} });
    expect(await engine.runUntilSettled(runId)).toBe('succeeded');
  });
});

describe('engine: clock override (the simulator’s “what if it were…”)', () => {
  it('shows nodes and expressions a shifted now, but stores wake-ups in real time', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'a', type: 'test.record', params: { value: '{{ now }}' } },
        { id: 'd', type: 'test.delay', params: { ms: 60_000 } },
        { id: 'b', type: 'test.record', params: { value: '{{ now }}' } },
      ],
      ['t->a', 'a->d', 'd->b'],
    );
    const { engine, clock, store } = setup(flow); // real time: 2026-03-01T09:00:00Z
    const offset = Date.parse('2026-03-07T22:30:00.000Z') - clock.now().getTime();
    const runId = await engine.startRun({ flow, flowVersion: 1, payload: {}, clockOffsetMs: offset });
    expect(await engine.runUntilSettled(runId)).toBe('waiting');
    // The one-minute delay ends one real minute later, not at the shifted time.
    expect((await store.getRun(runId))?.wakeAt).toBe('2026-03-01T09:01:00.000Z');
    clock.advance(60_000);
    expect(await engine.runUntilSettled(runId)).toBe('succeeded');
    const steps = await store.getSteps(runId);
    const out = (id: string) => steps.find((s) => s.nodeId === id && s.status === 'succeeded')?.output;
    expect(out('a')).toBe('2026-03-07T22:30:00.000Z');
    expect(out('b')).toBe('2026-03-07T22:31:00.000Z');
    // Step records keep real time.
    expect(steps.find((s) => s.nodeId === 'b')?.startedAt).toBe('2026-03-01T09:01:00.000Z');
  });

  it('leaves runs without an override on real time', async () => {
    const flow = buildFlow(
      [
        { id: 't', type: 'test.start' },
        { id: 'a', type: 'test.record', params: { value: '{{ now }}' } },
      ],
      ['t->a'],
    );
    const { start } = setup(flow);
    const { steps } = await start();
    expect(steps.find((s) => s.nodeId === 'a')?.output).toBe('2026-03-01T09:00:00.000Z');
  });
});
