import type { FlowIndex } from './flow-index.js';
import type { Json } from './json.js';
import type { NodeRegistry } from './registry.js';
import type { Activation, RunState } from './state.js';

/** Sends each port's value along its edges: to the ready queue, or into a join node's buffer. */
export function route(
  state: RunState,
  from: string,
  outputs: Record<string, Json>,
  index: FlowIndex,
  registry: NodeRegistry,
): RunState {
  const ready = [...state.ready];
  const joins = { ...state.joins };
  for (const [port, value] of Object.entries(outputs)) {
    for (const edge of index.edgesFrom(from, port)) {
      const target = index.node(edge.target);
      if (target && registry.get(target.type)?.join) {
        joins[edge.target] = { ...joins[edge.target], [from]: value };
      } else {
        ready.push({ nodeId: edge.target, input: value, attempt: 1 });
      }
    }
  }
  return { ...state, ready, joins };
}

/**
 * Picks what runs next: a join whose every possible input has arrived (nothing pending can still
 * reach it), else the first ready activation that is due. Returns the state without it.
 */
export function takeNext(
  state: RunState,
  index: FlowIndex,
  now: Date,
): { activation: Activation; state: RunState } | undefined {
  const pending = [...state.ready.map((a) => a.nodeId), ...state.parked.map((p) => p.nodeId)];
  for (const [joinId, inputs] of Object.entries(state.joins)) {
    const upstream = [...pending, ...Object.keys(state.joins).filter((j) => j !== joinId)];
    if (upstream.some((n) => n !== joinId && index.reaches(n, joinId))) continue;
    const { [joinId]: _taken, ...joins } = state.joins;
    return { activation: { nodeId: joinId, input: inputs, attempt: 1 }, state: { ...state, joins } };
  }
  const at = now.toISOString();
  const i = state.ready.findIndex((a) => !a.notBefore || a.notBefore <= at);
  if (i < 0) return undefined;
  const ready = [...state.ready];
  const [activation] = ready.splice(i, 1);
  return { activation: activation!, state: { ...state, ready } };
}

/**
 * Moves parked branches that are due, or were woken by key, back to the front of the ready queue.
 * `due` lists tokens whose stored wait row says they are due even if the snapshot's time has not come
 * (the wait was skipped).
 */
export function wakeParked(
  state: RunState,
  now: Date,
  fired: ReadonlyArray<{ token: string; payload: Json }>,
  due: ReadonlyArray<string> = [],
): { state: RunState; removed: string[] } {
  const at = now.toISOString();
  const byToken = new Map(fired.map((f) => [f.token, f.payload]));
  const woken: Activation[] = [];
  const parked = state.parked.filter((p) => {
    const key = byToken.has(p.token);
    const timeUp = p.wakeAt !== null && (p.wakeAt <= at || due.includes(p.token));
    if (!key && !timeUp) return true;
    woken.push({
      nodeId: p.nodeId,
      input: p.input,
      attempt: 1,
      resume: { reason: key ? 'key' : 'time', payload: key ? byToken.get(p.token)! : null, data: p.data },
    });
    return false;
  });
  const removed = state.parked.filter((p) => !parked.includes(p)).map((p) => p.token);
  return { state: { ...state, parked, ready: [...woken, ...state.ready] }, removed };
}
