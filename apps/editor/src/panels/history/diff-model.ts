import { diffFlows, type Flow, type FlowEdge, type FlowNode } from '@switchboard/flow-schema';

/** One changed field: `path` is relative to the node's params when `param` is true (`buttons[1].title`). */
export interface FieldRow {
  path: string;
  param: boolean;
  /** Absent: the field was not set on that side. */
  before?: unknown;
  after?: unknown;
}

export interface NodeGroup {
  id: string;
  kind: 'added' | 'removed' | 'changed';
  /** The node's own label, else the catalog's title of its type. */
  title: string;
  /** The catalog title of its type, when the title above is a custom label (else null). */
  typeTitle: string | null;
  /** For a changed node, what changed; for an added or removed one, its params on the side it exists. */
  fields: FieldRow[];
}

export interface EdgeRow {
  id: string;
  kind: 'added' | 'removed';
  /** `Ask for a date (reply) → Confirm booking`. */
  text: string;
}

export interface MovedRow {
  id: string;
  title: string;
}

/** A diff arranged for reading: what the flow-level fields, each node and the wiring changed; moves apart. */
export interface DiffModel {
  flowFields: FieldRow[];
  nodes: NodeGroup[];
  edges: EdgeRow[];
  moved: MovedRow[];
  /** Changes worth reading (moves not counted: they change nothing a contact sees). */
  count: number;
}

export interface Naming {
  /** The node type's title in the user's language (the type id when the catalog does not know it). */
  typeTitle(type: string): string;
  /** A port's name in the user's language. */
  portLabel(port: string): string;
}

/** Ports every edge has by default: naming them adds noise, not meaning. */
const DEFAULT_SOURCE_PORT = 'out';
const DEFAULT_TARGET_PORT = 'in';

/**
 * `diffFlows(before, after)` regrouped for the history panel: one group per node with its readable
 * title, edges named by the nodes they join, and position-only changes set apart.
 */
export function buildDiffModel(before: Flow, after: Flow, naming: Naming): DiffModel {
  const beforeNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const afterNodes = new Map(after.nodes.map((n) => [n.id, n]));
  const nodeOf = (id: string) => afterNodes.get(id) ?? beforeNodes.get(id);
  const nameOf = (id: string) => {
    const node = nodeOf(id);
    return node ? nodeName(node, naming) : id;
  };

  const model: DiffModel = { flowFields: [], nodes: [], edges: [], moved: [], count: 0 };
  for (const change of diffFlows(before, after)) {
    if (change.subject === 'flow') {
      model.flowFields.push(...(change.fields ?? []).map((f) => ({ ...f, param: false })));
    } else if (change.subject === 'edge') {
      if (change.kind !== 'added' && change.kind !== 'removed') continue;
      // The id belongs to the side the edge exists on; ids may be reused for other edges on the other side.
      const edge = (change.kind === 'added' ? after : before).edges.find((e) => e.id === change.id);
      if (edge) model.edges.push({ id: change.id, kind: change.kind, text: edgeText(edge, nameOf, naming) });
    } else if (change.kind === 'moved') {
      model.moved.push({ id: change.id, title: nameOf(change.id) });
    } else {
      const node = change.kind === 'removed' ? beforeNodes.get(change.id) : afterNodes.get(change.id);
      if (!node) continue;
      model.nodes.push({
        id: change.id,
        kind: change.kind,
        title: nodeName(node, naming),
        typeTitle: node.label?.trim() ? naming.typeTitle(node.type) : null,
        fields:
          change.kind === 'changed'
            ? (change.fields ?? []).map(nodeField)
            : paramsAsFields(node, change.kind),
      });
    }
  }
  model.count = (model.flowFields.length > 0 ? 1 : 0) + model.nodes.length + model.edges.length;
  return model;
}

/** An added or removed node's settings, so the reader sees what the new message says (or the old one said). */
function paramsAsFields(node: FlowNode, kind: 'added' | 'removed'): FieldRow[] {
  return Object.entries(node.params).map(([path, value]) =>
    kind === 'added' ? { path, param: true, after: value } : { path, param: true, before: value },
  );
}

function nodeName(node: FlowNode, naming: Naming): string {
  return node.label?.trim() ? node.label.trim() : naming.typeTitle(node.type);
}

function nodeField(field: { path: string; before?: unknown; after?: unknown }): FieldRow {
  const param =
    field.path === 'params' || field.path.startsWith('params.') || field.path.startsWith('params[');
  const path = param ? field.path.replace(/^params\.?/, '') : field.path;
  return { ...field, path: path || 'params', param };
}

/** `A (port) → B`, leaving out the default ports. */
export function edgeText(edge: FlowEdge, nameOf: (id: string) => string, naming: Naming): string {
  const source =
    edge.sourcePort === DEFAULT_SOURCE_PORT
      ? nameOf(edge.source)
      : `${nameOf(edge.source)} (${naming.portLabel(edge.sourcePort)})`;
  const target =
    edge.targetPort === DEFAULT_TARGET_PORT
      ? nameOf(edge.target)
      : `${nameOf(edge.target)} (${naming.portLabel(edge.targetPort)})`;
  return `${source} → ${target}`;
}
