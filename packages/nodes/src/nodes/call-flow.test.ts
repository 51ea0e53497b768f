import { createEngine, type Json, ManualClock, type NodeServices } from '@switchboard/engine';
import { MemoryFlowSource, MemoryRunStore } from '@switchboard/engine/testing';
import { Flow, validateFlow } from '@switchboard/flow-schema';
import { describe, expect, it } from 'vitest';
import { registry } from '../../test/harness.js';
import type { FlowsService, RunOutcomeView } from '../services.js';
import { runFinishedKey } from '../wait-keys.js';

type Node = { id: string; type: string; params?: object };
const doc = (id: string, nodes: Node[], edges: string[]) => {
  const flow = {
    schemaVersion: 1,
    id,
    name: id,
    nodes: nodes.map((n, i) => ({ params: {}, position: { x: i * 100, y: 0 }, ...n })),
    edges: edges.map((e, i) => {
      const [from, to] = e.split('->') as [string, string];
      const [source, sourcePort = 'out'] = from.split('.') as [string, string?];
      return { id: `e${i}`, source, sourcePort, target: to };
    }),
  };
  const result = validateFlow(flow, registry);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return Flow.parse(flow);
};

/**
 * Several flows on one real engine and memory store, with a flows service like the server's: children
 * are runs of the same engine, their ends deliver `run:<id>:finished`, and calls nest at most 5 deep.
 */
function world(flows: Flow[], options: { inactive?: string[] } = {}) {
  const store = new MemoryRunStore();
  const clock = new ManualClock('2026-05-04T08:00:00.000Z');
  const source = new MemoryFlowSource();
  for (const f of flows) source.add(f);
  const byKey = new Map<string, string>();
  const parents = new Map<string, string>();
  const started: Array<{ flowId: string; input: Json; contactId: string | null }> = [];
  const outcome = async (runId: string): Promise<RunOutcomeView | null> => {
    const run = await store.getRun(runId);
    if (!run) return null;
    const last = (await store.getSteps(runId)).filter((s) => s.status === 'succeeded').at(-1);
    return {
      runId,
      flowId: run.flowId,
      status: run.status,
      vars: {},
      output: (last?.output ?? null) as Json,
      error: run.error,
    };
  };
  const service: FlowsService = {
    async start(args) {
      const flow = flows.find((f) => f.id === args.flowId);
      if (!flow) return { ok: false, reason: 'not_found', message: `no flow "${args.flowId}"` };
      if (options.inactive?.includes(flow.id) && args.version === 'active')
        return { ok: false, reason: 'inactive', message: `flow "${flow.id}" is not active` };
      const existing = byKey.get(args.idempotencyKey);
      if (existing) return { ok: true, runId: existing, flowId: flow.id, flowVersion: 1, created: false };
      let depth = 1;
      for (let p = parents.get(args.parentRunId); p; p = parents.get(p)) depth++;
      if (depth > 5) return { ok: false, reason: 'too_deep', message: 'call depth limit (5) reached' };
      started.push({ flowId: flow.id, input: args.input, contactId: args.contactId });
      const runId = await engine.startRun({
        flow,
        flowVersion: 1,
        payload: args.input,
        contactId: args.contactId,
      });
      byKey.set(args.idempotencyKey, runId);
      parents.set(runId, args.parentRunId);
      return { ok: true, runId, flowId: flow.id, flowVersion: 1, created: true };
    },
    outcome: async ({ runId }) => outcome(runId),
    cancel: async ({ runId }) => engine.cancel(runId),
  };
  const engine = createEngine({
    registry,
    store,
    clock,
    flows: source,
    services: { flows: service } as NodeServices,
  });
  engine.on((e) => {
    if (e.type === 'run.finished')
      void outcome(e.runId).then((o) => engine.deliver(runFinishedKey(e.runId), o as unknown as Json));
  });
  /** Ticks until nothing moves (children run on the same engine as their parents). */
  const settle = async () => {
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setTimeout(r, 1));
      if ((await engine.tick()) === 0 && (await engine.tick()) === 0) return;
    }
  };
  const start = async (flowId: string, payload: Json = null, contactId: string | null = null) => {
    const runId = await engine.startRun({
      flow: flows.find((f) => f.id === flowId)!,
      flowVersion: 1,
      payload,
      contactId,
    });
    await settle();
    return runId;
  };
  return { store, clock, engine, settle, start, started, byKey };
}

const caller = (params: object, ports = ['done', 'failed']) =>
  doc(
    'parent',
    [
      { id: 'start', type: 'trigger.manual' },
      { id: 'call', type: 'flow.callFlow', params: { flowId: 'child', ...params } },
      ...ports.map((p) => ({ id: `on-${p}`, type: 'action.log', params: { message: p } })),
    ],
    ['start->call', ...ports.map((p) => `call.${p}->on-${p}`)],
  );
const child = (nodes: Node[] = [], edges: string[] = []) =>
  doc(
    'child',
    [
      { id: 'start', type: 'trigger.manual' },
      {
        id: 'answer',
        type: 'action.log',
        params: { message: 'child for {{ trigger.waId }}: {{ trigger.orderId }}' },
      },
      ...nodes,
    ],
    ['start->answer', ...edges],
  );
const stepsOf = async (w: ReturnType<typeof world>, runId: string) =>
  (await w.store.getSteps(runId)).filter((s) => s.status !== 'running');

describe('flow.callFlow', () => {
  it('waits for the child (same contact, input as its trigger) and leaves through done with its output', async () => {
    const w = world([
      caller({ input: { orderId: '{{ trigger.orderId }}' } }),
      child([{ id: 'pause', type: 'flow.delay', params: { amount: 1, unit: 'hours' } }], ['answer->pause']),
    ]);
    const parent = await w.start('parent', { orderId: 'A-7' }, '34600000001');
    expect(w.started).toEqual([
      { flowId: 'child', input: { waId: '34600000001', orderId: 'A-7' }, contactId: '34600000001' },
    ]);
    expect((await w.store.getRun(parent))?.status).toBe('waiting');
    w.clock.advance(3_600_000);
    await w.settle();
    expect((await w.store.getRun(parent))?.status).toBe('succeeded');
    const call = (await stepsOf(w, parent)).filter((s) => s.nodeId === 'call');
    expect(call.map((s) => s.status)).toEqual(['waiting', 'succeeded']);
    expect(call[1]?.ports).toEqual(['done']);
    expect(call[1]?.output).toMatchObject({
      flowId: 'child',
      output: { waId: '34600000001', orderId: 'A-7' },
    });
  });

  it('leaves through failed with the child’s error', async () => {
    const w = world([
      caller({}),
      child([{ id: 'bad', type: 'flow.callFlow', params: { flowId: 'missing' } }], ['answer->bad']),
    ]);
    const parent = await w.start('parent');
    const call = (await stepsOf(w, parent)).filter((s) => s.nodeId === 'call').at(-1);
    expect(call?.ports).toEqual(['failed']);
    expect(call?.output).toMatchObject({
      status: 'failed',
      error: { message: 'node "bad" failed: no flow "missing"' },
    });
  });

  it('continues at once in start mode with the child’s run id, and a re-run step starts no second child', async () => {
    const w = world([caller({ mode: 'start' }, ['started']), child()]);
    const parent = await w.start('parent');
    const call = (await stepsOf(w, parent)).find((s) => s.nodeId === 'call');
    expect(call?.ports).toEqual(['started']);
    const childRunId = (call?.output as { runId: string } | undefined)?.runId ?? '';
    expect((await w.store.getRun(childRunId))?.status).toBe('succeeded');
    expect([...w.byKey.entries()]).toEqual([[`${parent}:call`, childRunId]]);
  });

  it('stops an A → B → A loop at the depth limit with a clear error', async () => {
    const loop = (id: string, next: string) =>
      doc(
        id,
        [
          { id: 'start', type: 'trigger.manual' },
          { id: 'call', type: 'flow.callFlow', params: { flowId: next, mode: 'start' } },
        ],
        ['start->call'],
      );
    const w = world([loop('a', 'b'), loop('b', 'a')]);
    await w.start('a');
    await w.settle();
    expect(w.started).toHaveLength(5);
    const runs = await Promise.all([...w.byKey.values()].map((id) => w.store.getRun(id)));
    const failed = runs.filter((r) => r?.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error?.message).toBe('node "call" failed: call depth limit (5) reached');
  });

  it('fails the step (not the failed port) for an unknown or inactive flow, and times out by cancelling the child', async () => {
    const unknown = world([caller({ flowId: 'nope' })]);
    const run = await unknown.start('parent');
    expect((await unknown.store.getRun(run))?.error).toMatchObject({
      message: 'node "call" failed: no flow "nope"',
      code: 'not_found',
    });
    const inactive = world([caller({}), child()], { inactive: ['child'] });
    expect((await inactive.store.getRun(await inactive.start('parent')))?.error?.code).toBe('inactive');

    const slow = world([
      caller({ timeoutSeconds: 60 }),
      child([{ id: 'pause', type: 'flow.delay', params: { amount: 1, unit: 'hours' } }], ['answer->pause']),
    ]);
    const parent = await slow.start('parent');
    slow.clock.advance(60_000);
    await slow.settle();
    const call = (await stepsOf(slow, parent)).filter((s) => s.nodeId === 'call').at(-1);
    expect(call?.ports).toEqual(['failed']);
    const childRunId = (call?.output as { runId: string } | undefined)?.runId ?? '';
    expect(call?.output).toMatchObject({ status: 'cancelled', error: { code: 'timeout' } });
    expect((await slow.store.getRun(childRunId))?.status).toBe('cancelled');
  });

  it('has done/failed outputs in wait mode and started in start mode; the flow id is checked only for its form', () => {
    const node = registry.get('flow.callFlow')!;
    expect(node.outputsFor({ flowId: 'x' })).toEqual(['done', 'failed']);
    expect(node.outputsFor({ flowId: 'x', mode: 'start' })).toEqual(['started']);
    expect(node.params.safeParse({ flowId: 'not a flow id!' }).success).toBe(false);
    expect(validateFlow(caller({ flowId: 'imported-later' }), registry).ok).toBe(true);
  });
});

describe('flow.callFlow in a loop', () => {
  it('needs a delay in the loop, since a call may go on at once', () => {
    const looped = (extra: Node[]) => ({
      schemaVersion: 1,
      id: 'loop',
      name: 'loop',
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'call', type: 'flow.callFlow', params: { flowId: 'child', mode: 'start' } },
        ...extra,
      ].map((n, i) => ({ params: {}, position: { x: i * 100, y: 0 }, ...n })),
      edges: [
        { id: 'e0', source: 'start', sourcePort: 'out', target: 'call' },
        { id: 'e1', source: 'call', sourcePort: 'started', target: extra[0]?.id ?? 'call' },
        ...(extra[0] ? [{ id: 'e2', source: extra[0].id, sourcePort: 'out', target: 'call' }] : []),
      ],
    });
    expect(validateFlow(looped([]), registry).problems.map((p) => p.code)).toContain('cycle_without_wait');
    expect(
      validateFlow(looped([{ id: 'pause', type: 'flow.delay', params: { amount: 1 } }]), registry).ok,
    ).toBe(true);
  });
});
