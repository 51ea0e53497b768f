import { z } from 'zod';
import { Identifier, PortName, TimeZone } from './ids.js';

export const FLOW_SCHEMA_VERSION = 1 as const;

export const Position = z.strictObject({ x: z.number(), y: z.number() });
export type Position = z.infer<typeof Position>;

/** Per-node retry policy: exponential backoff with jitter between tries. */
export const RetryPolicy = z.strictObject({
  maxTries: z.int().min(1).max(10).default(1),
  backoffMs: z.int().min(0).max(3_600_000).default(1_000),
  maxBackoffMs: z.int().min(0).max(86_400_000).default(60_000),
  /** Fraction of each wait that is randomised (0 = none, 1 = up to the full wait). */
  jitter: z.number().min(0).max(1).default(0.2),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

/**
 * What happens when a node still fails after its retries:
 * `fail` stops the run, `continue` passes the input on through the first output,
 * `errorPort` emits the error on the node's `error` output.
 */
export const OnError = z.enum(['fail', 'continue', 'errorPort']);
export type OnError = z.infer<typeof OnError>;

export const FlowNode = z.strictObject({
  id: Identifier,
  type: z.string().min(1, 'must name a node type'),
  position: Position,
  params: z.record(z.string(), z.unknown()).default({}),
  label: z.string().max(200).optional(),
  notes: z.string().max(10_000).optional(),
  retry: RetryPolicy.optional(),
  timeoutMs: z.int().min(1).max(86_400_000).optional(),
  onError: OnError.optional(),
});
export type FlowNode = z.infer<typeof FlowNode>;

/** An edge connects a named output port of one node to an input port of another. */
export const FlowEdge = z.strictObject({
  id: Identifier,
  source: Identifier,
  sourcePort: PortName.default('out'),
  target: Identifier,
  targetPort: PortName.default('in'),
});
export type FlowEdge = z.infer<typeof FlowEdge>;

export const FlowSettings = z.strictObject({
  /** Time zone used by schedules, business hours and date formatting in this flow. */
  timezone: TimeZone.default('UTC'),
  /** Flow-wide default for nodes that set no `onError` of their own. */
  errorPolicy: z.enum(['failRun', 'continueRun']).default('failRun'),
  /** Flow-wide default retry policy for nodes that set none. */
  defaultRetry: RetryPolicy.optional(),
});
export type FlowSettings = z.infer<typeof FlowSettings>;

export const Flow = z.strictObject({
  schemaVersion: z.literal(FLOW_SCHEMA_VERSION),
  id: Identifier,
  name: z.string().min(1, 'must not be empty').max(200),
  description: z.string().max(10_000).default(''),
  nodes: z.array(FlowNode),
  edges: z.array(FlowEdge),
  settings: FlowSettings.default({ timezone: 'UTC', errorPolicy: 'failRun' }),
});
export type Flow = z.infer<typeof Flow>;
/** The document as written by a person or tool, before defaults are filled in. */
export type FlowInput = z.input<typeof Flow>;
