import dagre from '@dagrejs/dagre';
import type { Flow } from '@switchboard/flow-schema';

const DEFAULT_SIZE = { width: 220, height: 80 };

/** Left-to-right layered layout (dagre): triggers on the left, each branch on its own row. */
export function autoLayout(
  flow: Flow,
  sizeOf: (id: string) => { width: number; height: number } | undefined,
): { id: string; position: { x: number; y: number } }[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of flow.nodes) g.setNode(node.id, { ...(sizeOf(node.id) ?? DEFAULT_SIZE) });
  for (const edge of flow.edges) g.setEdge(edge.source, edge.target);
  dagre.layout(g);
  return flow.nodes.map((node) => {
    const n = g.node(node.id);
    const size = sizeOf(node.id) ?? DEFAULT_SIZE;
    return {
      id: node.id,
      position: { x: Math.round(n.x - size.width / 2), y: Math.round(n.y - size.height / 2) },
    };
  });
}
