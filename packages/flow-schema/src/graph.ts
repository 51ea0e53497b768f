/** Pure graph helpers over node ids and directed edges. */
export interface GraphEdge {
  source: string;
  target: string;
}

export function adjacency(nodeIds: Iterable<string>, edges: readonly GraphEdge[]): Map<string, string[]> {
  const adj = new Map<string, string[]>();
  for (const id of nodeIds) adj.set(id, []);
  for (const e of edges) adj.get(e.source)?.push(e.target);
  return adj;
}

/** Every node reachable from `starts` (the starts included). */
export function reachableFrom(
  starts: Iterable<string>,
  adj: ReadonlyMap<string, readonly string[]>,
): Set<string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of adj.get(id) ?? []) if (!seen.has(next)) stack.push(next);
  }
  return seen;
}

/**
 * Strongly connected components that form cycles (more than one node, or a node with an edge to itself),
 * found with Tarjan's algorithm, iteratively so large flows cannot overflow the stack.
 */
export function findCycles(adj: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];

  for (const root of adj.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const succ = adj.get(frame.id) ?? [];
      if (frame.next < succ.length) {
        const w = succ[frame.next++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.id);
        const selfLoop = component.length === 1 && succ.includes(frame.id);
        if (component.length > 1 || selfLoop) cycles.push(component.reverse());
      }
    }
  }
  return cycles;
}

/**
 * Every node that can run before `nodeId` (its steps' outputs can be read in a `{{ }}` expression there),
 * nearest first; at the same distance, in the order of `flow.nodes`. The node itself is left out, even
 * inside a loop.
 */
export function upstreamNodeIds(
  flow: { nodes: ReadonlyArray<{ id: string }>; edges: readonly GraphEdge[] },
  nodeId: string,
): string[] {
  const order = new Map(flow.nodes.map((n, i) => [n.id, i]));
  const reverse = adjacency(
    order.keys(),
    flow.edges.map((e) => ({ source: e.target, target: e.source })),
  );
  const seen = new Set([nodeId]);
  const result: string[] = [];
  let frontier = [nodeId];
  while (frontier.length > 0) {
    const next = new Set<string>();
    for (const id of frontier) {
      for (const before of reverse.get(id) ?? []) {
        if (!seen.has(before) && order.has(before)) next.add(before);
      }
    }
    const level = [...next].sort((a, b) => order.get(a)! - order.get(b)!);
    for (const id of level) seen.add(id);
    result.push(...level);
    frontier = level;
  }
  return result;
}
