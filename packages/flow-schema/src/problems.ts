export type Severity = 'error' | 'warning';

/** One thing wrong with a document, located by a JSON path such as `$.nodes[2].params.text`. */
export interface Problem {
  path: string;
  message: string;
  code: ProblemCode;
  severity: Severity;
}

export type ProblemCode =
  | 'invalid_document'
  | 'unsupported_version'
  | 'invalid_value'
  | 'unknown_property'
  | 'duplicate_id'
  | 'unknown_node_type'
  | 'invalid_params'
  | 'dangling_edge'
  | 'unknown_port'
  | 'edge_into_trigger'
  | 'no_trigger'
  | 'multiple_triggers'
  | 'cycle_without_wait'
  | 'unreachable_node'
  | 'duplicate_edge'
  | 'inline_secret'
  | 'invalid_expression';

/** Renders a path array (from zod or our own walk) as `$.a[0].b`. */
export function toJsonPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}
