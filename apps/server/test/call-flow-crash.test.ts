import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess, tempDir, waitFor } from './process-helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
type Loose = any;

const dirs: string[] = [];
const live: ServerProcess[] = [];
afterAll(() => {
  for (const s of live) s.proc.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

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

async function boot(dataDir: string, env: Record<string, string> = {}) {
  const server = await startServerProcess(dataDir, {
    SWITCHBOARD_SEED_EXAMPLES: 'false',
    SWITCHBOARD_API_KEY: 'test-key-0123456789abcdef',
    ...env,
  });
  live.push(server);
  return server;
}

describe('call flow across a crash (SIGKILL)', () => {
  it('a child that ended just before the process died still wakes its parent after restart', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
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
