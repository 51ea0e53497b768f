import { FLOW_SCHEMA_VERSION } from './flow.js';
import type { ProblemCode } from './problems.js';

/**
 * Upgrades older flow documents step by step to the current `schemaVersion`.
 *
 * Version 0 is the preview format (before `schemaVersion` existed): `version: 0`, nodes with `x`/`y`
 * and `config`, and `connections` of `{ from, output, to }`. Each step is a pure function from one
 * version to the next, so a document of any older version reaches the current one.
 */
export type MigrationResult =
  | { ok: true; document: unknown; from: number; to: number }
  | { ok: false; path: string; code: ProblemCode; message: string };

type Step = (doc: Record<string, unknown>) => Record<string, unknown>;

const STEPS: Record<number, Step> = {
  0: fromPreview,
};

export function migrateFlow(input: unknown): MigrationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, path: '$', code: 'invalid_document', message: 'a flow must be a JSON object' };
  }
  let doc = input as Record<string, unknown>;
  const version = detectVersion(doc);
  if (version === undefined) {
    return {
      ok: false,
      path: '$.schemaVersion',
      code: 'unsupported_version',
      message: `must be a whole number (this Switchboard writes version ${FLOW_SCHEMA_VERSION})`,
    };
  }
  if (version > FLOW_SCHEMA_VERSION) {
    return {
      ok: false,
      path: '$.schemaVersion',
      code: 'unsupported_version',
      message: `version ${version} was written by a newer Switchboard; this one reads up to version ${FLOW_SCHEMA_VERSION}`,
    };
  }
  for (let v = version; v < FLOW_SCHEMA_VERSION; v++) {
    const step = STEPS[v];
    if (!step) {
      return {
        ok: false,
        path: '$.schemaVersion',
        code: 'unsupported_version',
        message: `version ${v} cannot be upgraded`,
      };
    }
    doc = step(doc);
  }
  return { ok: true, document: doc, from: version, to: FLOW_SCHEMA_VERSION };
}

function detectVersion(doc: Record<string, unknown>): number | undefined {
  if ('schemaVersion' in doc)
    return Number.isInteger(doc.schemaVersion) ? (doc.schemaVersion as number) : undefined;
  if (doc.version === 0 || 'connections' in doc) return 0;
  return FLOW_SCHEMA_VERSION; // absent: let schema validation report the missing field
}

function fromPreview(doc: Record<string, unknown>): Record<string, unknown> {
  const { version: _version, connections, nodes, timezone, ...rest } = doc;
  const upgradedNodes = Array.isArray(nodes)
    ? nodes.map((n) => {
        if (n === null || typeof n !== 'object') return n;
        const { x, y, config, ...node } = n as Record<string, unknown>;
        return { ...node, position: { x: x ?? 0, y: y ?? 0 }, params: config ?? {} };
      })
    : nodes;
  const edges = Array.isArray(connections)
    ? connections.map((c, i) => {
        if (c === null || typeof c !== 'object') return c;
        const { from, output, to } = c as Record<string, unknown>;
        return { id: `e${i + 1}`, source: from, sourcePort: output ?? 'out', target: to, targetPort: 'in' };
      })
    : [];
  return {
    schemaVersion: 1,
    ...rest,
    nodes: upgradedNodes,
    edges,
    settings: { timezone: typeof timezone === 'string' ? timezone : 'UTC', errorPolicy: 'failRun' },
  };
}
