import { edgeKey } from './edge-rules.js';
import type { Flow, FlowEdge, FlowNode } from './flow.js';
import { toJsonPath } from './problems.js';

/** One field that differs, by path (`name`, `settings.timezone`, `params.buttons[1].title`). */
export interface FieldChange {
  path: string;
  /** Absent when the field was added. */
  before?: unknown;
  /** Absent when the field was removed. */
  after?: unknown;
}

/** One line of a version-history view. */
export interface FlowChange {
  /** `moved` is a node whose position alone changed: the editor can show it quietly. */
  kind: 'added' | 'removed' | 'changed' | 'moved';
  subject: 'flow' | 'node' | 'edge';
  /** The flow, node or edge id. */
  id: string;
  /** The flow name, the node's label (else its type), or the edge as `a.out → b.in`. */
  title: string;
  /** For `changed` and `moved`: what differs. */
  fields?: FieldChange[];
}

const NODE_FIELDS = ['type', 'label', 'notes', 'params', 'retry', 'timeoutMs', 'onError'] as const;

/**
 * What changed between two versions of a flow, in a fixed order: the flow's own fields (name,
 * description, settings), nodes added, removed and changed (each changed field by path; params key by
 * key), edges added and removed, and last the nodes only moved. Nodes are matched by id; edges by what
 * they connect, so an edge redrawn between the same ports is no change.
 *
 * @example
 * for (const c of diffFlows(v3, v4)) console.log(c.kind, c.subject, c.title, c.fields?.map((f) => f.path));
 */
export function diffFlows(before: Flow, after: Flow): FlowChange[] {
  const changes: FlowChange[] = [];

  const flowFields: FieldChange[] = [];
  for (const key of ['id', 'name', 'description', 'settings'] as const) {
    diffValue(before[key], after[key], [key], flowFields);
  }
  if (flowFields.length > 0) {
    changes.push({ kind: 'changed', subject: 'flow', id: after.id, title: after.name, fields: flowFields });
  }

  const beforeNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const afterIds = new Set(after.nodes.map((n) => n.id));
  const changed: FlowChange[] = [];
  const moved: FlowChange[] = [];
  for (const node of after.nodes) {
    const old = beforeNodes.get(node.id);
    if (!old) {
      changes.push({ kind: 'added', subject: 'node', id: node.id, title: nodeTitle(node) });
      continue;
    }
    const fields: FieldChange[] = [];
    for (const key of NODE_FIELDS) diffValue(old[key], node[key], [key], fields);
    if (fields.length > 0) {
      changed.push({ kind: 'changed', subject: 'node', id: node.id, title: nodeTitle(node), fields });
    }
    if (old.position.x !== node.position.x || old.position.y !== node.position.y) {
      moved.push({
        kind: 'moved',
        subject: 'node',
        id: node.id,
        title: nodeTitle(node),
        fields: [{ path: 'position', before: old.position, after: node.position }],
      });
    }
  }
  for (const node of before.nodes) {
    if (!afterIds.has(node.id)) {
      changes.push({ kind: 'removed', subject: 'node', id: node.id, title: nodeTitle(node) });
    }
  }
  changes.push(...changed);

  for (const e of edgesOnlyIn(after.edges, before.edges))
    changes.push({ kind: 'added', subject: 'edge', id: e.id, title: edgeTitle(e) });
  for (const e of edgesOnlyIn(before.edges, after.edges))
    changes.push({ kind: 'removed', subject: 'edge', id: e.id, title: edgeTitle(e) });

  changes.push(...moved);
  return changes;
}

function nodeTitle(node: FlowNode): string {
  return node.label?.trim() ? node.label : node.type;
}

function edgeTitle(e: FlowEdge): string {
  return `${e.source}.${e.sourcePort} → ${e.target}.${e.targetPort}`;
}

/** Edges of `these` with no counterpart connecting the same ports in `others` (counting repeats). */
function edgesOnlyIn(these: readonly FlowEdge[], others: readonly FlowEdge[]): FlowEdge[] {
  const available = new Map<string, number>();
  for (const e of others) available.set(edgeKey(e), (available.get(edgeKey(e)) ?? 0) + 1);
  return these.filter((e) => {
    const left = available.get(edgeKey(e)) ?? 0;
    if (left > 0) available.set(edgeKey(e), left - 1);
    return left === 0;
  });
}

/** Appends the leaves where two JSON values differ: objects key by key, arrays index by index. */
function diffValue(before: unknown, after: unknown, path: PropertyKey[], out: FieldChange[]): void {
  if (sameJson(before, after)) return;
  if (isRecord(before) && isRecord(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    for (const k of keys) diffValue(before[k], after[k], [...path, k], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      diffValue(before[i], after[i], [...path, i], out);
    }
    return;
  }
  out.push({
    path: toJsonPath(path).slice(2),
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    const other = Object.keys(b).filter((k) => b[k] !== undefined);
    return keys.length === other.length && keys.every((k) => sameJson(a[k], b[k]));
  }
  return false;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
