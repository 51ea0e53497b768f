import { describe, expect, it } from 'vitest';
import { startScheduler } from '../src/scheduler.js';
import { buildFlow, setup } from './helpers.js';

describe('scheduler', () => {
  it('keeps its slots busy: a slow run holds one slot while the others keep moving', async () => {
    const flow = buildFlow(
      [
        { id: 'start', type: 'test.start' },
        { id: 'work', type: 'test.slow', params: { ms: '{{ trigger.ms }}' } },
      ],
      ['start->work'],
    );
    const { engine, store } = setup(flow);
    const slow = await engine.startRun({ flow, flowVersion: 1, payload: { ms: 600 } });
    const fast: string[] = [];
    for (let i = 0; i < 6; i++)
      fast.push(await engine.startRun({ flow, flowVersion: 1, payload: { ms: 5 } }));
    const scheduler = startScheduler(engine, { concurrency: 2, pollMs: 60_000 });
    try {
      const deadline = Date.now() + 2_000;
      const statuses = async () => Promise.all(fast.map(async (id) => (await store.getRun(id))?.status));
      while ((await statuses()).some((s) => s !== 'succeeded') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(await statuses()).toEqual(fast.map(() => 'succeeded'));
      // Every fast run finished through the second slot while the slow one was still running.
      expect((await store.getRun(slow))?.status).toBe('running');
    } finally {
      await scheduler.stop();
    }
    expect((await store.getRun(slow))?.status).toBe('succeeded'); // stop waits for runs in hand
  });

  it('looks again when nudged, without waiting for the poll', async () => {
    const flow = buildFlow([{ id: 'start', type: 'test.start' }], []);
    const { engine, store } = setup(flow);
    const scheduler = startScheduler(engine, { concurrency: 4, pollMs: 60_000 });
    try {
      await new Promise((r) => setTimeout(r, 20)); // idle: asleep until the poll
      const runId = await engine.startRun({ flow, flowVersion: 1, payload: {} });
      scheduler.nudge();
      const deadline = Date.now() + 1_000;
      while ((await store.getRun(runId))?.status !== 'succeeded' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      expect((await store.getRun(runId))?.status).toBe('succeeded');
    } finally {
      await scheduler.stop();
    }
  });
});
