// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
type Loose = any;

import { afterAll, describe, expect, it } from 'vitest';
import { crashLab, type ServerProcess, waitFor } from './process-helpers.js';

// Real processes, real SIGKILLs: the durability promises of the embedded mode.

const lab = crashLab();
const boot = lab.boot;
afterAll(() => lab.cleanUp());

const flow = {
  schemaVersion: 1,
  id: 'crash-me',
  name: 'Crash me',
  nodes: [
    { id: 'start', type: 'trigger.manual', position: { x: 0, y: 0 }, params: {} },
    {
      id: 'first',
      type: 'action.log',
      position: { x: 1, y: 0 },
      params: { message: 'side effect of first {{ trigger.n }}' },
    },
    { id: 'pause', type: 'flow.delay', position: { x: 2, y: 0 }, params: { amount: 1, unit: 'seconds' } },
    {
      id: 'second',
      type: 'action.log',
      position: { x: 3, y: 0 },
      params: { message: 'side effect of second {{ trigger.n }}' },
    },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'first' },
    { id: 'e2', source: 'first', target: 'pause' },
    { id: 'e3', source: 'pause', target: 'second' },
  ],
};

/** Waits for the run to succeed on `server`; returns it with its steps. */
const finished = (server: ServerProcess, runId: string) =>
  waitFor(async () => {
    const r = (await (await server.api(`/api/executions/${runId}`)).json()) as Loose;
    return r.status === 'succeeded' ? r : undefined;
  });

/** How many times a log node's side effect happened, across every process's output. */
const count = (outputs: string[], text: string) =>
  outputs
    .join('\n')
    .split('\n')
    .filter((l) => l.includes(`"msg":"flow log: ${text}"`)).length;

describe('crash and restart (SIGKILL)', () => {
  it('a run killed between two steps resumes after restart; the completed step ran exactly once', async () => {
    const dataDir = lab.dataDir();
    // This process SIGKILLs itself the moment the "first" step is committed: between two steps.
    const a = await boot(dataDir, { SWITCHBOARD_FAULT: 'kill-after-step:first' });
    expect((await a.api('/api/flows', { method: 'POST', body: JSON.stringify(flow) })).status).toBe(201);
    const { runId } = (await (
      await a.api('/api/flows/crash-me/runs', { method: 'POST', body: JSON.stringify({ payload: { n: 1 } }) })
    ).json()) as Loose;
    expect(await a.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const b = await boot(dataDir);
    const run = await finished(b, runId);
    const outputs = [a.output(), b.output()];
    expect(count(outputs, 'side effect of first 1')).toBe(1);
    expect(count(outputs, 'side effect of second 1')).toBe(1);
    expect(run.steps.filter((s: { nodeId: string }) => s.nodeId === 'first')).toHaveLength(1);
    expect(run.steps.map((s: { nodeId: string; status: string }) => `${s.nodeId}:${s.status}`)).toEqual([
      'start:succeeded',
      'first:succeeded',
      'pause:waiting',
      'pause:succeeded',
      'second:succeeded',
    ]);
    b.proc.kill('SIGTERM');
    expect((await b.exited).code).toBe(0);
  });

  it('a run parked on a delay when the server is SIGKILLed wakes on time after restart', async () => {
    const dataDir = lab.dataDir();
    const a = await boot(dataDir);
    await a.api('/api/flows', { method: 'POST', body: JSON.stringify(flow) });
    const { runId } = (await (
      await a.api('/api/flows/crash-me/runs', { method: 'POST', body: JSON.stringify({ payload: { n: 2 } }) })
    ).json()) as Loose;
    await waitFor(async () =>
      ((await (await a.api(`/api/executions/${runId}`)).json()) as Loose).status === 'waiting'
        ? true
        : undefined,
    );
    a.proc.kill('SIGKILL'); // killed from outside while the run waits
    expect((await a.exited).signal).toBe('SIGKILL');

    const b = await boot(dataDir);
    const run = await finished(b, runId);
    const outputs = [a.output(), b.output()];
    expect(count(outputs, 'side effect of first 2')).toBe(1);
    expect(count(outputs, 'side effect of second 2')).toBe(1);
    const paused = run.steps.find(
      (s: { nodeId: string; status: string }) => s.nodeId === 'pause' && s.status === 'waiting',
    );
    const resumed = run.steps.find(
      (s: { nodeId: string; status: string }) => s.nodeId === 'pause' && s.status === 'succeeded',
    );
    expect(
      new Date(resumed.startedAt).getTime() - new Date(paused.startedAt).getTime(),
    ).toBeGreaterThanOrEqual(1000);
    b.proc.kill('SIGKILL');
  });

  it('a step cut off mid-way is marked interrupted and runs again; the steps before it do not', async () => {
    const dataDir = lab.dataDir();
    const a = await boot(dataDir, { SWITCHBOARD_FAULT: 'kill-during-step:second' });
    await a.api('/api/flows', { method: 'POST', body: JSON.stringify(flow) });
    const { runId } = (await (
      await a.api('/api/flows/crash-me/runs', { method: 'POST', body: JSON.stringify({ payload: { n: 3 } }) })
    ).json()) as Loose;
    expect((await a.exited).signal).toBe('SIGKILL');

    const b = await boot(dataDir);
    const run = await finished(b, runId);
    expect(count([a.output(), b.output()], 'side effect of first 3')).toBe(1);
    const second = run.steps.filter((s: { nodeId: string }) => s.nodeId === 'second');
    expect(
      second.map((s: { status: string; error: { code: string } | null }) => [
        s.status,
        s.error?.code ?? null,
      ]),
    ).toEqual([
      ['failed', 'E008'],
      ['succeeded', null],
    ]);
    b.proc.kill('SIGKILL');
  });

  it('refuses to start a second server on the same data dir', async () => {
    const dataDir = lab.dataDir();
    const a = await boot(dataDir);
    await expect(boot(dataDir)).rejects.toThrow(/another Switchboard \(pid \d+\) is using/);
    a.proc.kill('SIGKILL');
  });
});
