import { adjacency, type Flow, type FlowEdge, type FlowNode, reachableFrom } from '@switchboard/flow-schema';

/** Lookups over one flow version, built once and cached (versions never change). */
export interface FlowIndex {
  flow: Flow;
  node(id: string): FlowNode | undefined;
  /** Edges leaving `nodeId` through `port`. */
  edgesFrom(nodeId: string, port: string): readonly FlowEdge[];
  /** True when `to` can be reached from `from` by following edges (at least one). */
  reaches(from: string, to: string): boolean;
}

const cache = new WeakMap<Flow, FlowIndex>();

export function indexFlow(flow: Flow): FlowIndex {
  const cached = cache.get(flow);
  if (cached) return cached;
  const nodes = new Map(flow.nodes.map((n) => [n.id, n]));
  const out = new Map<string, FlowEdge[]>();
  for (const e of flow.edges) {
    const key = `${e.source}\u0000${e.sourcePort}`;
    out.set(key, [...(out.get(key) ?? []), e]);
  }
  const adj = adjacency(nodes.keys(), flow.edges);
  const reach = new Map<string, Set<string>>();
  const reachSet = (from: string) => {
    let set = reach.get(from);
    if (!set) {
      set = reachableFrom(adj.get(from) ?? [], adj);
      reach.set(from, set);
    }
    return set;
  };
  const index: FlowIndex = {
    flow,
    node: (id) => nodes.get(id),
    edgesFrom: (nodeId, port) => out.get(`${nodeId}\u0000${port}`) ?? [],
    reaches: (from, to) => reachSet(from).has(to),
  };
  cache.set(flow, index);
  return index;
}
