import type { z } from 'zod';
import type { NodeCatalog, NodeTypeInfo } from './catalog.js';
import { edgeIssues, edgeKey, loopWithoutWaitMessage } from './edge-rules.js';
import { type Flow, FlowEdge, FlowNode, Flow as FlowSchema } from './flow.js';
import { adjacency, findCycles, reachableFrom } from './graph.js';
import { migrateFlow } from './migrate.js';
import { type Problem, type ProblemCode, toJsonPath } from './problems.js';
import { isInlineSecret } from './secrets.js';

export { outputPorts } from './edge-rules.js';

export interface ValidationResult {
  /** True when there are no errors (warnings allowed). */
  ok: boolean;
  /** Every problem found, errors and warnings, in document order. */
  problems: Problem[];
  /** The parsed, migrated flow with defaults filled in, when it is structurally sound. */
  flow?: Flow;
}

/**
 * Checks a flow document against the schema and the node catalog and returns *all* problems:
 * structure, duplicate ids, unknown types, params, edges and ports, triggers, cycles without a wait,
 * inline secrets, and (as warnings) unreachable nodes.
 *
 * @example
 * const { ok, problems } = validateFlow(JSON.parse(text), catalog);
 * if (!ok) for (const p of problems) console.log(`${p.path}: ${p.message}`);
 */
export function validateFlow(input: unknown, catalog: NodeCatalog): ValidationResult {
  const problems: Problem[] = [];
  const add = (path: string, code: ProblemCode, message: string, severity: Problem['severity'] = 'error') =>
    problems.push({ path, code, message, severity });

  const migrated = migrateFlow(input);
  if (!migrated.ok) {
    add(migrated.path, migrated.code, migrated.message);
    return { ok: false, problems };
  }
  const doc = migrated.document as Record<string, unknown>;

  // Parse element by element so one bad node does not hide problems elsewhere.
  const shell = FlowSchema.omit({ nodes: true, edges: true }).safeParse(
    Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'nodes' && k !== 'edges')),
  );
  if (!shell.success) addZodIssues(problems, shell.error, []);
  const rawNodes = arrayField(doc, 'nodes', add);
  const rawEdges = arrayField(doc, 'edges', add);

  const nodes: Array<{ node: FlowNode; index: number; info?: NodeTypeInfo }> = [];
  const nodeById = new Map<string, { node: FlowNode; index: number; info?: NodeTypeInfo }>();
  rawNodes.forEach((raw, index) => {
    const parsed = FlowNode.safeParse(raw);
    if (!parsed.success) {
      addZodIssues(problems, parsed.error, ['nodes', index]);
      return;
    }
    const node = parsed.data;
    const at = (...rest: PropertyKey[]) => toJsonPath(['nodes', index, ...rest]);
    if (nodeById.has(node.id)) {
      add(
        at('id'),
        'duplicate_id',
        `node id "${node.id}" is already used by $.nodes[${nodeById.get(node.id)!.index}]`,
      );
      return;
    }
    const info = catalog.get(node.type);
    if (!info) {
      const hint = closest(node.type, catalog.types());
      add(
        at('type'),
        'unknown_node_type',
        `unknown node type "${node.type}"${hint ? `; did you mean "${hint}"?` : ''}`,
      );
    } else {
      const params = info.params.safeParse(node.params);
      if (!params.success) {
        // A `{{ reference }}` only has a value at run time, where the engine checks it again.
        const issues = params.error.issues.filter((i) => !isTemplate(valueAt(node.params, i.path)));
        if (issues.length > 0)
          addZodIssues(problems, { issues } as z.ZodError, ['nodes', index, 'params'], 'invalid_params');
      }
    }
    findInlineSecrets(node.params, ['nodes', index, 'params'], add);
    const entry = { node, index, ...(info ? { info } : {}) };
    nodes.push(entry);
    nodeById.set(node.id, entry);
  });

  const edges: FlowEdge[] = [];
  const edgeIds = new Map<string, number>();
  const edgeKeys = new Map<string, number>();
  rawEdges.forEach((raw, index) => {
    const parsed = FlowEdge.safeParse(raw);
    if (!parsed.success) {
      addZodIssues(problems, parsed.error, ['edges', index]);
      return;
    }
    const edge = parsed.data;
    const at = (field: string) => toJsonPath(['edges', index, field]);
    if (edgeIds.has(edge.id)) {
      add(
        at('id'),
        'duplicate_id',
        `edge id "${edge.id}" is already used by $.edges[${edgeIds.get(edge.id)}]`,
      );
      return;
    }
    edgeIds.set(edge.id, index);
    const issues = edgeIssues(edge, nodeById.get(edge.source), nodeById.get(edge.target));
    for (const issue of issues) add(at(issue.field), issue.code, issue.message);
    const key = edgeKey(edge);
    if (edgeKeys.has(key)) {
      add(at('id'), 'duplicate_edge', `edge "${edge.id}" repeats $.edges[${edgeKeys.get(key)}]`, 'warning');
    } else edgeKeys.set(key, index);
    if (issues.length === 0) edges.push(edge);
  });

  const triggers = nodes.filter((n) => n.info?.trigger);
  if (triggers.length === 0) {
    const why = rawNodes.length === 0 ? 'the flow has no nodes' : 'the flow has no trigger node';
    add('$.nodes', 'no_trigger', `${why}, so nothing can start it; add a trigger`);
  }
  for (const extra of triggers.slice(1)) {
    add(
      toJsonPath(['nodes', extra.index, 'type']),
      'multiple_triggers',
      `a flow has exactly one trigger; "${extra.node.id}" is a second one (the first is "${triggers[0]!.node.id}")`,
    );
  }

  const adj = adjacency(
    nodes.map((n) => n.node.id),
    edges,
  );
  for (const cycle of findCycles(adj)) {
    if (cycle.some((id) => nodeById.get(id)?.info?.pausesRun)) continue;
    const first = nodeById.get(cycle[0]!)!;
    add(toJsonPath(['nodes', first.index]), 'cycle_without_wait', loopWithoutWaitMessage(cycle));
  }

  if (triggers.length > 0) {
    const reached = reachableFrom(
      triggers.map((t) => t.node.id),
      adj,
    );
    for (const n of nodes) {
      if (!reached.has(n.node.id)) {
        add(
          toJsonPath(['nodes', n.index]),
          'unreachable_node',
          `node "${n.node.id}" is not connected to the trigger and will never run`,
          'warning',
        );
      }
    }
  }

  problems.sort(byDocumentOrder);
  const ok = !problems.some((p) => p.severity === 'error');
  const flow = ok ? FlowSchema.parse(doc) : undefined;
  return { ok, problems, ...(flow ? { flow } : {}) };
}

function arrayField(
  doc: Record<string, unknown>,
  key: 'nodes' | 'edges',
  add: (path: string, code: ProblemCode, message: string) => void,
): unknown[] {
  const value = doc[key];
  if (Array.isArray(value)) return value;
  add(
    `$.${key}`,
    'invalid_value',
    value === undefined ? `is required (a list of ${key})` : `must be a list of ${key}`,
  );
  return [];
}

function addZodIssues(
  problems: Problem[],
  error: z.ZodError,
  prefix: PropertyKey[],
  code: ProblemCode = 'invalid_value',
) {
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          path: toJsonPath([...prefix, ...issue.path, key]),
          code: 'unknown_property',
          message: `unknown property "${key}"`,
          severity: 'error',
        });
      }
      continue;
    }
    problems.push({
      path: toJsonPath([...prefix, ...issue.path]),
      code,
      message: issue.message,
      severity: 'error',
    });
  }
}

function findInlineSecrets(
  value: unknown,
  path: PropertyKey[],
  add: (path: string, code: ProblemCode, message: string) => void,
) {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) findInlineSecrets(v, [...path, i], add);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (isInlineSecret(key, v)) {
      add(
        toJsonPath([...path, key]),
        'inline_secret',
        `"${key}" holds a secret written into the flow; store it as a credential and reference it by name`,
      );
    } else findInlineSecrets(v, [...path, key], add);
  }
}

function isTemplate(value: unknown): boolean {
  return typeof value === 'string' && value.includes('{{');
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Suggests the known type nearest to a misspelt one (edit distance ≤ 3). */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function byDocumentOrder(a: Problem, b: Problem): number {
  return a.path.localeCompare(b.path, 'en', { numeric: true });
}
