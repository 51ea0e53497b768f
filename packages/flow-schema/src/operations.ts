import type { z } from 'zod';
import type { NodeCatalog } from './catalog.js';
import { edgeIssues, edgeKey, loopWithoutWaitMessage } from './edge-rules.js';
import {
  type Flow,
  FlowEdge,
  FlowNode,
  Flow as FlowSchema,
  FlowSettings,
  type OnError,
  Position,
  type RetryPolicy,
} from './flow.js';
import { freshEdgeId, freshNodeId } from './fresh-ids.js';
import { adjacency, findCycles } from './graph.js';
import { Identifier, PortName } from './ids.js';

/** One edit of a flow, as the editor (or an API client) asks for it. */
export type FlowOperation =
  | {
      op: 'addNode';
      node: {
        id?: string;
        type: string;
        position: Position;
        params?: Record<string, unknown>;
        label?: string;
      };
      connectFrom?: { nodeId: string; port: string };
    }
  | { op: 'removeNodes'; ids: string[] } // also removes their edges
  | { op: 'moveNodes'; moves: { id: string; position: Position }[] }
  | {
      op: 'updateNode';
      id: string;
      patch: {
        params?: Record<string, unknown>;
        label?: string | null;
        notes?: string | null;
        retry?: RetryPolicy | null;
        timeoutMs?: number | null;
        onError?: OnError | null;
      };
    } // null = remove the field; params replaced wholesale
  | {
      op: 'connect';
      edge: { id?: string; source: string; sourcePort?: string; target: string; targetPort?: string };
    }
  | { op: 'disconnect'; ids: string[] }
  | { op: 'updateFlow'; patch: { name?: string; description?: string; settings?: Partial<FlowSettings> } }
  | { op: 'pasteNodes'; nodes: FlowNode[]; edges: FlowEdge[]; offset: Position } // fresh ids for every pasted node; keeps only edges among pasted nodes; returns created ids
  | { op: 'replace'; flow: Flow };

export type OperationResult =
  | { ok: true; flow: Flow; created: string[] }
  | { ok: false; code: string; message: string };

/** Why an edge may not be drawn. */
export interface ConnectionProblem {
  code:
    | 'unknown_node'
    | 'unknown_port'
    | 'edge_into_trigger'
    | 'duplicate_edge'
    | 'self_loop'
    | 'cycle_without_wait';
  message: string;
}

/** The edge being drawn; ports default to `out` and `in` as in a flow document. */
export interface ConnectionAttempt {
  source: string;
  sourcePort?: string;
  target: string;
  targetPort?: string;
}

type Refusal = Extract<OperationResult, { ok: false }>;

/**
 * Applies one edit to a flow and returns the new flow, or a refusal saying what was wrong. Pure: the
 * input is never changed, and nodes, edges and settings the edit does not touch keep their object
 * identity (memoized editor components skip them; undo can keep the previous flow as it is).
 *
 * Refused: edits naming nodes or edges that do not exist, ids already in use, values the flow schema
 * does not allow (a node label over 200 characters, an unknown time zone), and — when `catalog` is
 * given — node types it does not know, a second trigger, and connections `connectionProblem` refuses.
 * Params are not checked here: `validateFlow` reports what is wrong with them, so a half-filled form
 * can still be stored. `created` lists the ids of new nodes, then of new edges.
 *
 * @example
 * const r = applyOperation(flow, { op: 'addNode', node: { type: 'whatsapp.sendText', position: { x: 300, y: 0 } },
 *   connectFrom: { nodeId: 'start', port: 'out' } }, catalog);
 * if (r.ok) setFlow(r.flow); else toast(r.message);
 */
export function applyOperation(flow: Flow, op: FlowOperation, catalog?: NodeCatalog): OperationResult {
  switch (op.op) {
    case 'addNode':
      return addNode(flow, op, catalog);
    case 'removeNodes':
      return removeNodes(flow, op.ids);
    case 'moveNodes':
      return moveNodes(flow, op.moves);
    case 'updateNode':
      return updateNode(flow, op.id, op.patch);
    case 'connect':
      return connect(flow, op.edge, catalog);
    case 'disconnect':
      return disconnect(flow, op.ids);
    case 'updateFlow':
      return updateFlow(flow, op.patch);
    case 'pasteNodes':
      return pasteNodes(flow, op, catalog);
    case 'replace': {
      const parsed = FlowSchema.safeParse(op.flow);
      if (!parsed.success) return invalid('the flow', parsed.error);
      return { ok: true, flow: op.flow, created: [] };
    }
    default:
      return refuse('unknown_operation', `unknown operation "${(op as { op?: unknown }).op}"`);
  }
}

/**
 * What is wrong with drawing `edge` in `flow`, or null when it may be drawn — for live feedback while
 * a connection is dragged. The same rules as `validateFlow`, in the same words: both ends must exist,
 * nothing goes into a trigger, the source port must be one of the source node's outputs for its current
 * params (plus `error` when its `onError` is `errorPort`), the target port one of the target's inputs;
 * and the edge must not repeat an existing one or close a loop with no wait or delay node in it (a node
 * that pauses the run may connect to itself). Without a catalog, types, ports and loops are not checked.
 */
export function connectionProblem(
  flow: Flow,
  edge: ConnectionAttempt,
  catalog?: NodeCatalog,
): ConnectionProblem | null {
  const wanted = {
    source: edge.source,
    sourcePort: edge.sourcePort ?? 'out',
    target: edge.target,
    targetPort: edge.targetPort ?? 'in',
  };
  const end = (id: string) => {
    const node = flow.nodes.find((n) => n.id === id);
    return node ? { node, info: catalog?.get(node.type) } : undefined;
  };
  const source = end(wanted.source);
  const target = end(wanted.target);
  const issues = edgeIssues(wanted, source, target);
  const issue = issues[0];
  if (issue) {
    const code = issue.code === 'dangling_edge' ? 'unknown_node' : issue.code;
    return { code, message: issue.message };
  }
  if (wanted.source === wanted.target && !source?.info?.pausesRun) {
    return {
      code: 'self_loop',
      message: `node "${wanted.source}" cannot connect to itself: it would run forever; only a node that waits (a delay, a wait for a reply) may loop back to itself`,
    };
  }
  const key = edgeKey(wanted);
  const same = flow.edges.find((e) => edgeKey(e) === key);
  if (same) {
    return {
      code: 'duplicate_edge',
      message: `"${wanted.source}.${wanted.sourcePort}" is already connected to "${wanted.target}.${wanted.targetPort}" (edge "${same.id}")`,
    };
  }
  if (catalog) {
    const loop = loopWithoutWait(flow, wanted, catalog);
    if (loop) return { code: 'cycle_without_wait', message: loopWithoutWaitMessage(loop) };
  }
  return null;
}

/** The loop without a pausing node that adding `edge` would close, as `validateFlow` would report it. */
function loopWithoutWait(
  flow: Flow,
  edge: { source: string; target: string },
  catalog: NodeCatalog,
): string[] | undefined {
  const byId = new Map(flow.nodes.map((n) => [n.id, { node: n, info: catalog.get(n.type) }]));
  // validateFlow looks for loops among the edges it accepts, so only those count here too.
  const usable = flow.edges.filter((e) => edgeIssues(e, byId.get(e.source), byId.get(e.target)).length === 0);
  const adj = adjacency(byId.keys(), [...usable, edge]);
  for (const cycle of findCycles(adj)) {
    if (!cycle.includes(edge.source) || !cycle.includes(edge.target)) continue;
    if (cycle.some((id) => byId.get(id)?.info?.pausesRun)) return undefined;
    // Start the loop at the new edge's target so it reads in the order the edge adds.
    const at = cycle.indexOf(edge.target);
    return [...cycle.slice(at), ...cycle.slice(0, at)];
  }
  return undefined;
}

function addNode(
  flow: Flow,
  op: Extract<FlowOperation, { op: 'addNode' }>,
  catalog: NodeCatalog | undefined,
): OperationResult {
  const spec = op.node;
  const taken = takenIds(flow);
  if (spec.id !== undefined) {
    const id = Identifier.safeParse(spec.id);
    if (!id.success) return invalid(`node id "${spec.id}"`, id.error);
    if (flow.nodes.some((n) => n.id === spec.id)) {
      return refuse('duplicate_id', `node id "${spec.id}" is already used by another node`);
    }
  }
  const shape = FlowNode.safeParse({
    id: spec.id ?? 'new',
    type: spec.type,
    position: spec.position,
    params: spec.params ?? {},
    ...(spec.label !== undefined ? { label: spec.label } : {}),
  });
  if (!shape.success) return invalid('the new node', shape.error);
  const info = catalog?.get(spec.type);
  if (catalog && !info) return refuse('unknown_node_type', `unknown node type "${spec.type}"`);
  if (info?.trigger) {
    const existing = existingTrigger(flow, catalog!);
    if (existing) return secondTrigger(existing);
  }
  const id = spec.id ?? freshNodeId(spec.type, taken);
  taken.add(id);
  const node: FlowNode = {
    id,
    type: spec.type,
    position: { x: spec.position.x, y: spec.position.y },
    params: spec.params ?? {},
    ...(spec.label !== undefined ? { label: spec.label } : {}),
  };
  const withNode: Flow = { ...flow, nodes: [...flow.nodes, node] };
  if (!op.connectFrom) return { ok: true, flow: withNode, created: [id] };

  const attempt = {
    source: op.connectFrom.nodeId,
    sourcePort: op.connectFrom.port,
    target: id,
    targetPort: info?.inputs[0] ?? 'in',
  };
  const problem = connectionProblem(withNode, attempt, catalog);
  if (problem) return refuse(problem.code, problem.message);
  const port = PortName.safeParse(attempt.sourcePort);
  if (!port.success) return invalid(`port "${attempt.sourcePort}"`, port.error);
  const edge: FlowEdge = { id: freshEdgeId(taken), ...attempt };
  return { ok: true, flow: { ...withNode, edges: [...flow.edges, edge] }, created: [id, edge.id] };
}

function removeNodes(flow: Flow, ids: readonly string[]): OperationResult {
  const gone = new Set(ids);
  const missing = missingIds(flow.nodes, gone);
  if (missing.length > 0) return unknownNodes(missing);
  return {
    ok: true,
    flow: {
      ...flow,
      nodes: flow.nodes.filter((n) => !gone.has(n.id)),
      edges: flow.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
    },
    created: [],
  };
}

function moveNodes(flow: Flow, moves: ReadonlyArray<{ id: string; position: Position }>): OperationResult {
  const to = new Map<string, Position>();
  for (const move of moves) {
    const position = Position.safeParse(move.position);
    if (!position.success) return invalid(`the position of node "${move.id}"`, position.error);
    to.set(move.id, position.data);
  }
  const missing = missingIds(flow.nodes, new Set(to.keys()));
  if (missing.length > 0) return unknownNodes(missing);
  const nodes = flow.nodes.map((n) => {
    const p = to.get(n.id);
    return p && (p.x !== n.position.x || p.y !== n.position.y) ? { ...n, position: p } : n;
  });
  return { ok: true, flow: { ...flow, nodes }, created: [] };
}

const NODE_FIELDS = ['label', 'notes', 'retry', 'timeoutMs', 'onError'] as const;

function updateNode(
  flow: Flow,
  id: string,
  patch: Extract<FlowOperation, { op: 'updateNode' }>['patch'],
): OperationResult {
  const index = flow.nodes.findIndex((n) => n.id === id);
  if (index < 0) return unknownNodes([id]);
  const next: Record<string, unknown> = { ...flow.nodes[index] };
  if (patch.params !== undefined) {
    const params = FlowNode.shape.params.safeParse(patch.params);
    if (!params.success) return invalid(`params of node "${id}"`, params.error);
    next.params = patch.params;
  }
  for (const field of NODE_FIELDS) {
    const value = patch[field];
    if (value === undefined) continue;
    if (value === null) {
      delete next[field];
      continue;
    }
    const parsed = FlowNode.shape[field].safeParse(value);
    if (!parsed.success) return invalid(`${field} of node "${id}"`, parsed.error);
    next[field] = parsed.data;
  }
  const nodes = flow.nodes.slice();
  nodes[index] = next as FlowNode;
  return { ok: true, flow: { ...flow, nodes }, created: [] };
}

function connect(
  flow: Flow,
  spec: Extract<FlowOperation, { op: 'connect' }>['edge'],
  catalog: NodeCatalog | undefined,
): OperationResult {
  const taken = takenIds(flow);
  if (spec.id !== undefined && flow.edges.some((e) => e.id === spec.id)) {
    return refuse('duplicate_id', `edge id "${spec.id}" is already used by another edge`);
  }
  const edge: FlowEdge = {
    id: spec.id ?? freshEdgeId(taken),
    source: spec.source,
    sourcePort: spec.sourcePort ?? 'out',
    target: spec.target,
    targetPort: spec.targetPort ?? 'in',
  };
  const problem = connectionProblem(flow, edge, catalog);
  if (problem) return refuse(problem.code, problem.message);
  const shape = FlowEdge.safeParse(edge);
  if (!shape.success) return invalid('the edge', shape.error);
  return { ok: true, flow: { ...flow, edges: [...flow.edges, edge] }, created: [edge.id] };
}

function disconnect(flow: Flow, ids: readonly string[]): OperationResult {
  const gone = new Set(ids);
  const missing = missingIds(flow.edges, gone);
  if (missing.length > 0) {
    return refuse('unknown_edge', `no edge with id ${missing.map((m) => `"${m}"`).join(', ')} in this flow`);
  }
  return { ok: true, flow: { ...flow, edges: flow.edges.filter((e) => !gone.has(e.id)) }, created: [] };
}

function updateFlow(
  flow: Flow,
  patch: Extract<FlowOperation, { op: 'updateFlow' }>['patch'],
): OperationResult {
  const next: Flow = { ...flow };
  if (patch.name !== undefined) {
    const name = FlowSchema.shape.name.safeParse(patch.name);
    if (!name.success) return invalid('the flow name', name.error);
    next.name = patch.name;
  }
  if (patch.description !== undefined) {
    const description = FlowSchema.shape.description.safeParse(patch.description);
    if (!description.success) return invalid('the flow description', description.error);
    next.description = patch.description;
  }
  if (patch.settings !== undefined) {
    // A key set to undefined (e.g. `defaultRetry: undefined`) removes that setting.
    const merged: Record<string, unknown> = { ...flow.settings, ...patch.settings };
    for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
    const settings = FlowSettings.safeParse(merged);
    if (!settings.success) return invalid('settings', settings.error, true);
    next.settings = settings.data;
  }
  return { ok: true, flow: next, created: [] };
}

function pasteNodes(
  flow: Flow,
  op: Extract<FlowOperation, { op: 'pasteNodes' }>,
  catalog: NodeCatalog | undefined,
): OperationResult {
  const offset = Position.safeParse(op.offset);
  if (!offset.success) return invalid('the paste offset', offset.error);
  const pasted: FlowNode[] = [];
  for (const [i, raw] of op.nodes.entries()) {
    const node = FlowNode.safeParse(raw);
    if (!node.success) return invalid(`pasted node ${i + 1}`, node.error);
    if (pasted.some((n) => n.id === node.data.id)) {
      return refuse('duplicate_id', `two pasted nodes share the id "${node.data.id}"`);
    }
    pasted.push(node.data);
  }
  if (catalog) {
    const unknown = pasted.find((n) => !catalog.get(n.type));
    if (unknown)
      return refuse('unknown_node_type', `unknown node type "${unknown.type}" (pasted node "${unknown.id}")`);
    const triggers = pasted.filter((n) => catalog.get(n.type)?.trigger);
    const existing = existingTrigger(flow, catalog);
    if (existing && triggers.length > 0) return secondTrigger(existing);
    if (triggers.length > 1) {
      return refuse(
        'second_trigger',
        `a flow has exactly one trigger; the pasted nodes hold ${triggers.length} ("${triggers.map((t) => t.id).join('", "')}")`,
      );
    }
  }
  const taken = takenIds(flow);
  const renamed = new Map<string, string>();
  const nodes = pasted.map((n) => {
    const id = freshNodeId(n.type, taken);
    taken.add(id);
    renamed.set(n.id, id);
    return { ...n, id, position: { x: n.position.x + offset.data.x, y: n.position.y + offset.data.y } };
  });
  const edges: FlowEdge[] = [];
  for (const [i, raw] of op.edges.entries()) {
    const parsed = FlowEdge.safeParse(raw);
    if (!parsed.success) return invalid(`pasted edge ${i + 1}`, parsed.error);
    const source = renamed.get(parsed.data.source);
    const target = renamed.get(parsed.data.target);
    if (source === undefined || target === undefined) continue;
    const id = freshEdgeId(taken);
    taken.add(id);
    edges.push({ ...parsed.data, id, source, target });
  }
  return {
    ok: true,
    flow: { ...flow, nodes: [...flow.nodes, ...nodes], edges: [...flow.edges, ...edges] },
    created: [...nodes.map((n) => n.id), ...edges.map((e) => e.id)],
  };
}

function takenIds(flow: Flow): Set<string> {
  return new Set([...flow.nodes.map((n) => n.id), ...flow.edges.map((e) => e.id)]);
}

function existingTrigger(flow: Flow, catalog: NodeCatalog): FlowNode | undefined {
  return flow.nodes.find((n) => catalog.get(n.type)?.trigger);
}

function secondTrigger(existing: FlowNode): Refusal {
  return refuse(
    'second_trigger',
    `a flow has exactly one trigger and this one already has "${existing.id}" (${existing.type}); remove it first`,
  );
}

function missingIds(items: ReadonlyArray<{ id: string }>, wanted: ReadonlySet<string>): string[] {
  const present = new Set(items.map((i) => i.id));
  return [...wanted].filter((id) => !present.has(id));
}

function unknownNodes(ids: readonly string[]): Refusal {
  return refuse('unknown_node', `no node with id ${ids.map((m) => `"${m}"`).join(', ')} in this flow`);
}

function refuse(code: string, message: string): Refusal {
  return { ok: false, code, message };
}

/**
 * A refusal naming the value and, when zod gives one, the field inside it: `settings.timezone: …` when
 * `what` is itself a field, `pasted node 2 (position.x): …` otherwise.
 */
function invalid(what: string, error: z.ZodError, whatIsField = false): Refusal {
  const issue = error.issues[0]!;
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 && !whatIsField ? '' : '.'}${String(p)}`))
    .join('');
  const where = path === '' ? what : whatIsField ? `${what}${path}` : `${what} (${path})`;
  const message =
    issue.code === 'unrecognized_keys' ? `unknown property "${issue.keys.join('", "')}"` : issue.message;
  return refuse('invalid_value', `${where}: ${message}`);
}
