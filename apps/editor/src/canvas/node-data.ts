import type { FlowNode, NodeCatalog, NodeCatalogEntry } from '@switchboard/flow-schema';
import { outputPorts } from '@switchboard/flow-schema';
import { type Node, Position } from '@xyflow/react';
import type { NodeRunState } from '../store/editor';

export interface SbNodeData extends Record<string, unknown> {
  node: FlowNode;
  entry: NodeCatalogEntry | undefined;
  inputs: readonly string[];
  outputs: readonly string[];
  /** Problem messages on this node, errors first; empty when it is sound. */
  problems: readonly string[];
  hasError: boolean;
  run: NodeRunState | undefined;
}

export type SbNode = Node<SbNodeData, 'sb'>;

export function portsOf(node: FlowNode, catalog: NodeCatalog | null, entry: NodeCatalogEntry | undefined) {
  const info = catalog?.get(node.type);
  return {
    inputs: entry?.inputs ?? ['in'],
    outputs: info ? outputPorts(node, info) : (entry?.outputs ?? []),
  };
}

/** Problem paths look like `$.nodes[3].params.text`: the index says which node a problem is about. */
export function problemsByNode(
  nodes: readonly FlowNode[],
  problems: ReadonlyArray<{ path: string; message: string; severity?: string }>,
): Map<string, { messages: string[]; hasError: boolean }> {
  const out = new Map<string, { messages: string[]; hasError: boolean }>();
  for (const p of problems) {
    const m = /^\$\.nodes\[(\d+)\]/.exec(p.path);
    const node = m ? nodes[Number(m[1])] : undefined;
    if (!node) continue;
    const entry = out.get(node.id) ?? { messages: [], hasError: false };
    const isError = p.severity !== 'warning';
    if (isError) entry.messages.unshift(p.message);
    else entry.messages.push(p.message);
    entry.hasError ||= isError;
    out.set(node.id, entry);
  }
  return out;
}

/**
 * Where a node's handles will be before React Flow has measured it, from the node's CSS (styles.css:
 * `.sb-node`, `.sb-node-head`, `.sb-port`). React Flow renders every node it has not measured, even far
 * outside the view; with these estimates it renders only the nodes in view, so opening a big flow draws
 * a screenful instead of everything. A node in view is then measured, and the real sizes replace these.
 */
export const NODE_WIDTH = 220;
const HEAD = 49;
const PORTS_PAD = 7;
const PORT_ROW = 19;
const HANDLE = 9;

export function estimatedGeometry(inputs: readonly string[], outputs: readonly string[]) {
  const single = outputs.length === 1 && outputs[0] === 'out';
  const height = single ? HEAD : HEAD + PORTS_PAD + PORT_ROW * outputs.length;
  const handles = [
    ...inputs.map((id, i) => ({
      id,
      type: 'target' as const,
      position: Position.Left,
      x: -HANDLE / 2,
      y: (height * (i + 1)) / (inputs.length + 1) - HANDLE / 2,
      width: HANDLE,
      height: HANDLE,
    })),
    ...outputs.map((id, i) => ({
      id,
      type: 'source' as const,
      position: Position.Right,
      x: NODE_WIDTH - HANDLE / 2,
      y: (single ? height / 2 : HEAD + PORTS_PAD - 3 + PORT_ROW * i + PORT_ROW / 2) - HANDLE / 2,
      width: HANDLE,
      height: HANDLE,
    })),
  ];
  return { initialWidth: NODE_WIDTH, initialHeight: height, handles };
}
