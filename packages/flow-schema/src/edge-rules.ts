import type { NodeTypeInfo } from './catalog.js';
import type { FlowNode } from './flow.js';
import type { ProblemCode } from './problems.js';

/**
 * The rules one edge must follow, shared by `validateFlow` (whole documents) and `connectionProblem`
 * (the editor, while a connection is dragged), so both say the same thing in the same words.
 */

/** A node at one end of an edge, with its type when the catalog knows it. */
export interface EdgeEnd {
  node: Pick<FlowNode, 'id' | 'params' | 'onError'>;
  info?: NodeTypeInfo | undefined;
}

export interface EdgeIssue {
  /** The edge field the issue is about. */
  field: 'source' | 'target' | 'sourcePort' | 'targetPort';
  code: Extract<ProblemCode, 'dangling_edge' | 'unknown_port' | 'edge_into_trigger'>;
  message: string;
}

export interface EdgeEnds {
  id?: string | undefined;
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/** Output ports of a node instance: its type's outputs plus `error` when it routes errors to a port. */
export function outputPorts(node: Pick<FlowNode, 'params' | 'onError'>, info: NodeTypeInfo): string[] {
  const ports = [...info.outputsFor(node.params)];
  if (node.onError === 'errorPort' && !ports.includes('error')) ports.push('error');
  return ports;
}

/**
 * What is wrong with an edge between two (possibly missing) nodes: ends that do not exist, ports the
 * nodes do not have, an edge into a trigger. Empty when the edge is sound. Ends whose type the catalog
 * does not know are not checked further (the unknown type is reported on the node).
 */
export function edgeIssues(
  edge: EdgeEnds,
  source: EdgeEnd | undefined,
  target: EdgeEnd | undefined,
): EdgeIssue[] {
  const issues: EdgeIssue[] = [];
  const name = edge.id === undefined ? 'the edge' : `edge "${edge.id}"`;
  if (!source) {
    issues.push({
      field: 'source',
      code: 'dangling_edge',
      message: `${name} starts at node "${edge.source}", which does not exist`,
    });
  }
  if (!target) {
    issues.push({
      field: 'target',
      code: 'dangling_edge',
      message: `${name} ends at node "${edge.target}", which does not exist`,
    });
  }
  if (source?.info) {
    const ports = outputPorts(source.node, source.info);
    if (!ports.includes(edge.sourcePort)) {
      issues.push({
        field: 'sourcePort',
        code: 'unknown_port',
        message: `node "${source.node.id}" (${source.info.type}) has no output "${edge.sourcePort}"; its outputs are ${quotedList(ports)}`,
      });
    }
  }
  if (target?.info) {
    if (target.info.trigger) {
      issues.push({
        field: 'target',
        code: 'edge_into_trigger',
        message: `trigger node "${target.node.id}" cannot have incoming edges`,
      });
    } else if (!target.info.inputs.includes(edge.targetPort)) {
      issues.push({
        field: 'targetPort',
        code: 'unknown_port',
        message: `node "${target.node.id}" (${target.info.type}) has no input "${edge.targetPort}"; its inputs are ${quotedList(target.info.inputs)}`,
      });
    }
  }
  return issues;
}

/** Two edges with the same key connect the same ports and are duplicates. */
export function edgeKey(edge: Omit<EdgeEnds, 'id'>): string {
  return `${edge.source}\u0000${edge.sourcePort}\u0000${edge.target}\u0000${edge.targetPort}`;
}

/** Said of a loop (node ids in order) that has no node pausing the run. */
export function loopWithoutWaitMessage(cycle: readonly string[]): string {
  return `the loop ${[...cycle, cycle[0]].join(' → ')} has no wait or delay node, so it would run forever; add a delay or wait node to it`;
}

export function quotedList(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.map((p) => `"${p}"`).join(', ');
}
