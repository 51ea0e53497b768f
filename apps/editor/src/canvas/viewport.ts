import type { Flow } from '@switchboard/flow-schema';
import { NODE_WIDTH } from './node-data';

/** How many nodes the first view tries to show: a big flow opens on its start, readable, not as dust. */
const FIRST_VIEW_NODES = 40;
const ESTIMATED_HEIGHT = 80;
const PADDING = 40;
export const MIN_FIRST_ZOOM = 0.4;
export const MAX_FIRST_ZOOM = 1;

/**
 * The viewport a flow opens with, from node positions alone (nothing needs to be drawn or measured
 * first): the whole flow when it fits at a readable zoom, else its start — the triggers and the nodes
 * nearest them, breadth first — aligned to the left.
 */
export function firstViewport(
  flow: Pick<Flow, 'nodes' | 'edges'>,
  width: number,
  height: number,
): { x: number; y: number; zoom: number } {
  if (flow.nodes.length === 0 || width <= 0 || height <= 0) return { x: 0, y: 0, zoom: MAX_FIRST_ZOOM };
  const shown = flow.nodes.length <= FIRST_VIEW_NODES ? flow.nodes : startOf(flow);
  const minX = Math.min(...shown.map((n) => n.position.x));
  const minY = Math.min(...shown.map((n) => n.position.y));
  const maxX = Math.max(...shown.map((n) => n.position.x + NODE_WIDTH));
  const maxY = Math.max(...shown.map((n) => n.position.y + ESTIMATED_HEIGHT));
  const fit = Math.min((width - 2 * PADDING) / (maxX - minX), (height - 2 * PADDING) / (maxY - minY));
  const zoom = Math.max(MIN_FIRST_ZOOM, Math.min(MAX_FIRST_ZOOM, fit));
  const fitsWide = (maxX - minX) * zoom <= width - 2 * PADDING;
  const fitsHigh = (maxY - minY) * zoom <= height - 2 * PADDING;
  return {
    x: fitsWide ? (width - (maxX + minX) * zoom) / 2 : PADDING - minX * zoom,
    y: fitsHigh ? (height - (maxY + minY) * zoom) / 2 : PADDING - minY * zoom,
    zoom,
  };
}

/** The nodes without inputs (triggers, strays) and then the nearest ones after them, up to the limit. */
function startOf(flow: Pick<Flow, 'nodes' | 'edges'>) {
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const targets = new Set(flow.edges.map((e) => e.target));
  const next = new Map<string, string[]>();
  for (const e of flow.edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const queue = flow.nodes.filter((n) => !targets.has(n.id)).map((n) => n.id);
  if (queue.length === 0 && flow.nodes[0]) queue.push(flow.nodes[0].id);
  const seen = new Set<string>(queue);
  for (let i = 0; i < queue.length && seen.size < FIRST_VIEW_NODES; i++) {
    for (const id of next.get(queue[i]!) ?? []) {
      if (seen.size >= FIRST_VIEW_NODES) break;
      if (!seen.has(id)) {
        seen.add(id);
        queue.push(id);
      }
    }
  }
  return [...seen].map((id) => byId.get(id)!).filter(Boolean);
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The viewport that shows every box, centred, zoom clamped to [minZoom, maxZoom]. React Flow's own
 * fitView skips nodes it has not measured yet, and with only the visible nodes rendered that is every
 * node off screen: "zoom to fit" would fit what is already in view. This works from positions and
 * sizes (measured, or estimated for nodes never drawn), so it sees the whole flow.
 */
export function fitBoxes(
  boxes: readonly Box[],
  width: number,
  height: number,
  { padding = PADDING, minZoom = 0.02, maxZoom = MAX_FIRST_ZOOM } = {},
): { x: number; y: number; zoom: number } | undefined {
  if (boxes.length === 0 || width <= 0 || height <= 0) return undefined;
  const minX = Math.min(...boxes.map((b) => b.x));
  const minY = Math.min(...boxes.map((b) => b.y));
  const maxX = Math.max(...boxes.map((b) => b.x + b.width));
  const maxY = Math.max(...boxes.map((b) => b.y + b.height));
  const fit = Math.min(
    (width - 2 * padding) / Math.max(1, maxX - minX),
    (height - 2 * padding) / Math.max(1, maxY - minY),
  );
  const zoom = Math.max(minZoom, Math.min(maxZoom, fit));
  return { x: (width - (maxX + minX) * zoom) / 2, y: (height - (maxY + minY) * zoom) / 2, zoom };
}
