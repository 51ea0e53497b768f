import { afterAll, describe, expect, it } from 'vitest';
import { crashLab, waitFor } from './process-helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
type Loose = any;

const lab = crashLab();
const boot = lab.boot;
afterAll(() => lab.cleanUp());

const node = (id: string, type: string, params: object = {}) => ({
  id,
  type,
  params,
  position: { x: 0, y: 0 },
});
const child = {
  schemaVersion: 1,
  id: 'sub',
  name: 'Sub',
  nodes: [
    node('start', 'trigger.manual'),
    node('last', 'action.log', { message: 'child for {{ trigger.n }}' }),
  ],
  edges: [{ id: 'e1', source: 'start', target: 'last' }],
};
const parent = {
  schemaVersion: 1,
  id: 'main',
  name: 'Main',
  nodes: [
    node('start', 'trigger.manual'),
    node('call', 'flow.callFlow', { flowId: 'sub', version: 'latest', input: { n: '{{ trigger.n }}' } }),
    node('ok', 'action.log', { message: 'parent done' }),
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'call' },
    { id: 'e2', source: 'call', sourcePort: 'done', target: 'ok' },
  ],
};

describe('call flow across a crash (SIGKILL)', () => {
  it('a child that ended just before the process died still wakes its parent after restart', async () => {
    const dataDir = lab.dataDir();
    // Dies the moment the child's last step (and so the child run) is committed, before anyone is told.
    const a = await boot(dataDir, { SWITCHBOARD_FAULT: 'kill-after-step:last' });
    for (const doc of [child, parent])
      expect((await a.api('/api/flows', { method: 'POST', body: JSON.stringify(doc) })).status).toBe(201);
    const { runId } = (await (
      await a.api('/api/flows/main/runs', { method: 'POST', body: JSON.stringify({ payload: { n: 7 } }) })
    ).json()) as Loose;
    expect(await a.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const b = await boot(dataDir);
    const run = await waitFor(async () => {
      const r = (await (await b.api(`/api/executions/${runId}`)).json()) as Loose;
      return r.status === 'succeeded' ? r : undefined;
    });
    const call = run.steps.filter((s: Loose) => s.nodeId === 'call');
    expect(call.map((s: Loose) => s.status)).toEqual(['waiting', 'succeeded']);
    expect(call[1].ports).toEqual(['done']);
    const childRun = (await (await b.api(`/api/executions/${call[1].output.runId}`)).json()) as Loose;
    expect(childRun.status).toBe('succeeded');
    expect(childRun.steps.filter((s: Loose) => s.nodeId === 'last')).toHaveLength(1); // ran once
    const subRuns = (await (await b.api('/api/executions?flowId=sub')).json()) as Loose;
    expect(subRuns.items).toHaveLength(1);
  });
});
