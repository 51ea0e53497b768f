import type { Flow, StepRecord } from '@switchboard/flow-schema';
import { indexFlow } from './flow-index.js';
import type { Json } from './json.js';
import type { NodeRegistry } from './registry.js';
import { route } from './routing.js';
import { initialState, type RunState } from './state.js';

/**
 * A trigger only passes its payload on (`out`), so its step is decided when the run is created: the
 * run is stored with the trigger step already succeeded and the nodes after it ready. A worker then
 * starts at the first real node, and a run costs one step's writes less.
 */
export function firedTrigger(args: {
  flow: Flow;
  registry: NodeRegistry;
  triggerNodeId: string;
  runId: string;
  stepId: string;
  payload: Json;
  at: string;
}): { state: RunState; step: StepRecord } {
  const index = indexFlow(args.flow); // cached per flow version
  const node = index.node(args.triggerNodeId);
  const routed = route(
    { ...initialState(args.triggerNodeId, args.payload), ready: [], seq: 1 },
    args.triggerNodeId,
    { out: args.payload },
    index,
    args.registry,
  );
  return {
    state: {
      ...routed,
      visits: { [args.triggerNodeId]: 1 },
      outputs: { [args.triggerNodeId]: args.payload },
    },
    step: {
      id: args.stepId,
      runId: args.runId,
      seq: 1,
      nodeId: args.triggerNodeId,
      nodeType: node?.type ?? 'unknown',
      attempt: 1,
      status: 'succeeded',
      ports: ['out'],
      input: args.payload,
      output: args.payload,
      error: null,
      startedAt: args.at,
      finishedAt: args.at,
      durationMs: 0,
    },
  };
}
