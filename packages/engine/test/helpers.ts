import { Flow, type FlowInput } from '@switchboard/flow-schema';
import { ManualClock } from '../src/clock.js';
import { createEngine } from '../src/engine.js';
import { NodeRegistry } from '../src/registry.js';
import { MemoryFlowSource, MemoryRunStore } from '../src/testing/index.js';
import { testNodes } from './test-nodes.js';

type NodeIn = { id: string; type: string; params?: Record<string, unknown> } & Partial<
  FlowInput['nodes'][number]
>;

/** Builds a flow from terse nodes and `a->b` / `a.port->b` edges. */
export function buildFlow(nodes: NodeIn[], edges: string[], settings: FlowInput['settings'] = {}): Flow {
  return Flow.parse({
    schemaVersion: 1,
    id: 'f1',
    name: 'test flow',
    nodes: nodes.map((n, i) => ({ position: { x: i * 200, y: 0 }, params: {}, ...n })),
    edges: edges.map((e, i) => {
      const [from, to] = e.split('->') as [string, string];
      const [source, sourcePort = 'out'] = from.split('.') as [string, string?];
      return { id: `e${i}`, source, sourcePort, target: to };
    }),
    settings,
  });
}

export function setup(flow: Flow) {
  const store = new MemoryRunStore();
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  let n = 0;
  const engine = createEngine({
    registry: new NodeRegistry(testNodes),
    store,
    flows: new MemoryFlowSource().add(flow),
    clock,
    newId: () => `id${++n}`,
    random: () => 0.5,
  });
  const start = async (payload: unknown = { text: 'hola' }) => {
    const runId = await engine.startRun({ flow, flowVersion: 1, payload: payload as never });
    const status = await engine.runUntilSettled(runId);
    return { runId, status, steps: await store.getSteps(runId), run: await store.getRun(runId) };
  };
  return { engine, store, clock, start };
}
