import {
  type NodeCatalogEntry,
  type NodeCategory,
  type NodeLabels,
  NodeLabels as NodeLabelsSchema,
  type NodeTypeInfo,
} from '@switchboard/flow-schema';
import { z } from 'zod';
import type { Json } from './json.js';
import type { Logger } from './logger.js';

/**
 * Services the host injects into every node context (outbox, WhatsApp client, sandbox…).
 * Later packages add their members by declaration merging, so nodes stay typed without the
 * engine importing them.
 */
// biome-ignore lint/suspicious/noEmptyInterface: extended by declaration merging
export interface NodeServices {}

/** Why a parked node is being called again. */
export interface ResumeInfo {
  reason: 'time' | 'key';
  /** What the waker delivered (e.g. the reply message) for a keyed wake. */
  payload: Json;
  /** What the node stored when it parked. */
  data: Json;
}

export interface NodeContext<P> {
  params: P;
  /** The value that arrived on the input port (for a join: `{ [sourceNodeId]: value }`). */
  input: Json;
  trigger: Json;
  vars: Readonly<Record<string, Json>>;
  setVar(name: string, value: Json): void;
  run: { id: string; flowId: string; flowVersion: number; contactId: string | null };
  /** The flow's time zone (settings.timezone), for schedules, business hours and dates. */
  timezone: string;
  node: { id: string; type: string; label?: string };
  attempt: number;
  /**
   * Tries the node's retry policy allows (1 = no retries). A node that handles its own failures (HTTP:
   * an `error` output) throws a retryable error while `attempt < maxTries` and reports on the last try.
   */
  maxTries: number;
  /** `runId:nodeId` (plus `:n` for the n-th later visit in a loop): the same across retries and crash re-runs. */
  idempotencyKey: string;
  /** Aborted when the node's timeout passes or the run is cancelled. */
  signal: AbortSignal;
  now(): Date;
  /**
   * Evaluates a JavaScript expression the flow's author wrote in a raw param (never customer text) over
   * the step's scope (`trigger`, `input`, `vars`, `steps`, `run`, `contact`, `now`, `tz`), in the host's
   * expression sandbox. A failure throws a non-retryable `E002` naming the node and `param`.
   */
  evaluate(expression: string, param?: string): Promise<Json | undefined>;
  /** Set when a parked node is called again after its wait. */
  resume?: ResumeInfo;
  log: Logger;
  services: NodeServices;
}

export type NodeResult =
  | { outputs: Record<string, Json> }
  | { wait: { until?: Date | null; key?: string | null; data?: Json } }
  /** Ends the whole run now with this status; other branches are dropped (see `endRun`). */
  | { end: { status: 'succeeded' | 'failed'; message?: string } };

type Outputs<P> = readonly string[] | ((params: P) => readonly string[]);

export interface NodeSpec<S extends z.ZodType> {
  type: string;
  category: NodeCategory;
  labels: NodeLabels;
  params: S;
  /** Input ports; triggers have none. Default `['in']`. */
  inputs?: readonly string[];
  /** Output ports, or a function of the params for nodes like switch. Default `['out']`. */
  outputs?: Outputs<z.output<S>>;
  /** For the editor: which param lists the dynamic outputs. */
  dynamicOutputs?: NodeCatalogEntry['dynamicOutputs'];
  /**
   * For the editor: outputs depend only on this choice param (an enum, e.g. `mode`); the catalog then
   * lists the ports for each of its values, so the browser shows the right handles without the node code.
   */
  outputsByParam?: string;
  trigger?: boolean;
  /**
   * For triggers fired by outside events: the event types it listens to (e.g. `message.received`), and
   * whether one event (its normalized payload) should start a run of a flow with these params.
   */
  listensTo?: readonly string[];
  matches?: (params: z.output<S>, event: Json) => boolean;
  /** Parks the run (delay, wait for reply); loops through such nodes are allowed. */
  pausesRun?: boolean;
  /** Waits for every branch that can still reach it, then runs once with all inputs. */
  join?: boolean;
  /** Touches the outside world; gets an idempotency key and is never re-run once completed. */
  sideEffect?: boolean;
  /** Params whose strings are passed through without `{{ }}` resolution (e.g. code). */
  rawParams?: readonly string[];
  /** Raw params that hold one JavaScript expression (checked for syntax when a flow is saved). */
  expressionParams?: readonly string[];
  execute(ctx: NodeContext<z.output<S>>): NodeResult | undefined | Promise<NodeResult | undefined>;
}

export interface NodeDefinition<S extends z.ZodType = z.ZodType> extends NodeTypeInfo {
  readonly spec: NodeSpec<S>;
  readonly join: boolean;
  readonly sideEffect: boolean;
  readonly labels: NodeLabels;
  readonly listensTo: readonly string[];
  /** True when `event` should start a run of a flow whose trigger has these (raw) params. */
  matches(params: unknown, event: Json): boolean;
  execute(ctx: NodeContext<z.output<S>>): Promise<NodeResult | undefined>;
  /** The JSON form served to the editor. */
  toCatalogEntry(): NodeCatalogEntry;
}

const TYPE_ID = /^[a-z][a-z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;

/**
 * Declares a node type: one file per type holds this descriptor and its execute function.
 *
 * @example
 * export const logNode = defineNode({
 *   type: 'action.log', category: 'data',
 *   labels: { en: { title: 'Log', description: '…' }, es: { title: 'Registro', description: '…' } },
 *   params: z.object({ message: z.string() }),
 *   execute: (ctx) => { ctx.log.info({ message: ctx.params.message }); return emit('out', ctx.input); },
 * });
 */
export function defineNode<S extends z.ZodType>(spec: NodeSpec<S>): NodeDefinition<S> {
  if (!TYPE_ID.test(spec.type)) throw new Error(`node type id "${spec.type}" must look like "category.name"`);
  NodeLabelsSchema.parse(spec.labels);
  const trigger = spec.trigger ?? false;
  const inputs = spec.inputs ?? (trigger ? [] : ['in']);
  const outputs = spec.outputs ?? ['out'];
  const outputsFor = (params: unknown): readonly string[] => {
    if (typeof outputs !== 'function') return outputs;
    const parsed = spec.params.safeParse(params);
    if (parsed.success) return outputs(parsed.data);
    // Params with values only known at run time (a button title from `{{ vars.title }}` is too long
    // before it is resolved) do not parse yet: the port ids are still plain, so read them raw.
    if (spec.outputsByParam) {
      const value = (params as Record<string, unknown> | null)?.[spec.outputsByParam];
      const cases = outputsByParam(spec, spec.outputsByParam);
      return cases.cases[typeof value === 'string' ? value : cases.default] ?? [];
    }
    const dynamic = spec.dynamicOutputs;
    if (!dynamic) return [];
    const items = (params as Record<string, unknown> | null)?.[dynamic.param];
    const ids = Array.isArray(items)
      ? items.map((i) => (i as Record<string, unknown> | null)?.[dynamic.field])
      : [];
    return [
      ...(dynamic.lead ?? []),
      ...ids.filter((id): id is string => typeof id === 'string'),
      ...dynamic.extra,
    ];
  };
  return {
    spec,
    type: spec.type,
    category: spec.category,
    labels: spec.labels,
    trigger,
    pausesRun: spec.pausesRun ?? false,
    join: spec.join ?? false,
    sideEffect: spec.sideEffect ?? false,
    params: spec.params,
    inputs,
    outputsFor,
    listensTo: spec.listensTo ?? [],
    matches: (params, event) => {
      if (!spec.matches) return true;
      const parsed = spec.params.safeParse(params);
      return parsed.success && spec.matches(parsed.data, event);
    },
    execute: async (ctx) => spec.execute(ctx),
    toCatalogEntry: () => {
      const byParam = spec.outputsByParam ? outputsByParam(spec, spec.outputsByParam) : undefined;
      return {
        type: spec.type,
        category: spec.category,
        labels: spec.labels,
        trigger,
        pausesRun: spec.pausesRun ?? false,
        sideEffect: spec.sideEffect ?? false,
        inputs: [...inputs],
        outputs: byParam ? (byParam.cases[byParam.default] ?? []) : [...outputsFor({})],
        ...(spec.dynamicOutputs ? { dynamicOutputs: spec.dynamicOutputs } : {}),
        ...(byParam ? { outputsByParam: byParam } : {}),
        paramsSchema: z.toJSONSchema(spec.params, { io: 'input', unrepresentable: 'any' }) as Record<
          string,
          unknown
        >,
      };
    },
  };
}

/** The ports for each value of an enum param, from the node's own outputs function. */
function outputsByParam<S extends z.ZodType>(spec: NodeSpec<S>, param: string) {
  const outputs = spec.outputs;
  let field = (spec.params as unknown as { shape?: Record<string, z.ZodType> }).shape?.[param];
  let fallback: unknown;
  while (field && !(field instanceof z.ZodEnum)) {
    if (field instanceof z.ZodDefault) fallback ??= field.def.defaultValue;
    const inner = (field as unknown as { unwrap?: () => z.ZodType }).unwrap?.();
    field = inner;
  }
  if (!field || typeof outputs !== 'function')
    throw new Error(`node type "${spec.type}": outputsByParam "${param}" must name an enum param`);
  const values = field.options as string[];
  const cases = Object.fromEntries(
    values.map((v) => [v, [...outputs({ [param]: v } as z.output<S>)]]),
  ) as Record<string, string[]>;
  return { param, default: String(fallback ?? values[0]), cases };
}

/** Result helper: send `data` out of `port`. */
export function emit(port: string, data: Json): NodeResult {
  return { outputs: { [port]: data } };
}

/**
 * Result helper: end the whole run at once with `status`. Branches still ready or parked are dropped
 * (their waits removed); with `failed`, the run's error is `message`.
 */
export function endRun(status: 'succeeded' | 'failed', message?: string): NodeResult {
  return { end: { status, ...(message ? { message } : {}) } };
}

/** Result helper: park the run until a time and/or until a key is delivered. */
export function wait(spec: { until?: Date | null; key?: string | null; data?: Json }): NodeResult {
  return { wait: spec };
}
