import type { Json } from './json.js';

/** A node ready to run with one input value. */
export interface Activation {
  nodeId: string;
  input: Json;
  attempt: number;
  /** Retry backoff: not before this time (ISO). */
  notBefore?: string;
  /** Set when a parked node is being called again. */
  resume?: { reason: 'time' | 'key'; payload: Json; data: Json };
}

/** A branch parked on a node until a time or a key. */
export interface Parked {
  token: string;
  nodeId: string;
  input: Json;
  wakeAt: string | null;
  wakeKey: string | null;
  data: Json;
}

/**
 * Everything needed to continue a run, written after every step. Plain JSON, replaced (never mutated)
 * by each step, so a snapshot read back after a crash is exactly what the last completed step left.
 */
export interface RunState {
  v: 1;
  trigger: Json;
  vars: Record<string, Json>;
  ready: Activation[];
  parked: Parked[];
  /** Inputs buffered for join nodes: nodeId → sourceNodeId → value. */
  joins: Record<string, Record<string, Json>>;
  /** Completed executions per node, for idempotency keys of later visits in a loop. */
  visits: Record<string, number>;
  /** Last output per node, readable by later nodes as `{{ nodes.<id> }}`. */
  outputs: Record<string, Json>;
  seq: number;
  /** Errors of branches that failed while the flow's policy let the run continue. */
  branchErrors: Array<{ nodeId: string; message: string }>;
  /**
   * A clock override for testing (the editor's simulator): the run's nodes and expressions see
   * `now` shifted by this many milliseconds. Wake-up times are stored in real time, so a one-hour delay
   * still ends one real hour later. Absent (or 0) for every ordinary run.
   */
  clockOffsetMs?: number;
}

export function initialState(triggerNodeId: string, payload: Json): RunState {
  return {
    v: 1,
    trigger: payload,
    vars: {},
    ready: [{ nodeId: triggerNodeId, input: payload, attempt: 1 }],
    parked: [],
    joins: {},
    visits: {},
    outputs: {},
    seq: 0,
    branchErrors: [],
  };
}

/** The earliest time anything in this state can continue, or null if only a keyed wake can. */
export function nextWakeAt(state: RunState): string | null {
  const times = [
    ...state.ready.map((a) => a.notBefore).filter((t): t is string => !!t),
    ...state.parked.map((p) => p.wakeAt).filter((t): t is string => !!t),
  ];
  if (times.length === 0) return null;
  return times.sort()[0] ?? null;
}
