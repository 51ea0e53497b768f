import { z } from 'zod';
import { PortName } from './ids.js';

export const NodeCategory = z.enum(['trigger', 'condition', 'messaging', 'routing', 'crm', 'flow', 'data']);
export type NodeCategory = z.infer<typeof NodeCategory>;

export const Locale = z.enum(['en', 'es']);
export type Locale = z.infer<typeof Locale>;

export const NodeLabel = z.strictObject({ title: z.string().min(1), description: z.string().min(1) });
/** Every node type is labelled in English and Spanish. */
export const NodeLabels = z.strictObject({ en: NodeLabel, es: NodeLabel });
export type NodeLabels = z.infer<typeof NodeLabels>;

/**
 * What validation needs to know about a node type. The engine's `defineNode` descriptors satisfy it,
 * so flow-schema never depends on the engine.
 */
export interface NodeTypeInfo {
  readonly type: string;
  readonly category: NodeCategory;
  /** A trigger starts runs and takes no input. */
  readonly trigger: boolean;
  /** A node that parks the run (delay, wait for reply); cycles through such a node are allowed. */
  readonly pausesRun: boolean;
  readonly params: z.ZodType;
  readonly inputs: readonly string[];
  /** Output port names for the given params (a switch has one port per case). */
  outputsFor(params: unknown): readonly string[];
}

export interface NodeCatalog {
  get(type: string): NodeTypeInfo | undefined;
  types(): readonly string[];
}

/** Builds a catalog from a list of node types, refusing duplicate type ids. */
export function catalogOf(types: readonly NodeTypeInfo[]): NodeCatalog {
  const byType = new Map<string, NodeTypeInfo>();
  for (const t of types) {
    if (byType.has(t.type)) throw new Error(`node type "${t.type}" is registered twice`);
    byType.set(t.type, t);
  }
  return { get: (type) => byType.get(type), types: () => [...byType.keys()] };
}

/** The JSON form of a node type served by `GET /api/node-types` (the editor builds its forms from it). */
export const NodeCatalogEntry = z.object({
  type: z.string(),
  category: NodeCategory,
  labels: NodeLabels,
  trigger: z.boolean(),
  pausesRun: z.boolean(),
  sideEffect: z.boolean(),
  inputs: z.array(PortName),
  /** Output ports for the default params. */
  outputs: z.array(PortName),
  /** Set when outputs depend on params: the param holding the list, and the field naming each port. */
  dynamicOutputs: z
    .object({
      param: z.string(),
      field: z.string(),
      extra: z.array(PortName),
      /** Ports listed before the param's items (e.g. `replied` ahead of the buttons). */
      lead: z.array(PortName).optional(),
    })
    .optional(),
  /** Set when outputs depend on one choice param (e.g. `mode`): the ports for each of its values. */
  outputsByParam: z
    .object({ param: z.string(), default: z.string(), cases: z.record(z.string(), z.array(PortName)) })
    .optional(),
  /** JSON Schema of the params, generated from the node's zod schema. */
  paramsSchema: z.record(z.string(), z.unknown()),
});
export type NodeCatalogEntry = z.infer<typeof NodeCatalogEntry>;
