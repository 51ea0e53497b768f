import type { FlowNode, StepError } from '@switchboard/flow-schema';
import { outputPorts } from '@switchboard/flow-schema';
import { z } from 'zod';
import type { Clock } from './clock.js';
import { EngineError, NodeError } from './errors.js';
import { type ExpressionEvaluator, expressionFailure } from './expressions.js';
import { type Json, toJson } from './json.js';
import type { Logger } from './logger.js';
import type { NodeContext, NodeDefinition, NodeServices } from './node-api.js';
import { withTimeout } from './policy.js';
import type { Activation, RunState } from './state.js';
import { type ContactLookup, stepScope } from './step-scope.js';
import { resolveTemplates, TemplateError } from './templates.js';

export type StepOutcome =
  | { kind: 'emitted'; outputs: Record<string, Json>; vars: Record<string, Json> }
  | { kind: 'parked'; until: string | null; key: string | null; data: Json; vars: Record<string, Json> }
  | { kind: 'ended'; status: 'succeeded' | 'failed'; message: string | null; vars: Record<string, Json> }
  | { kind: 'failed'; error: StepError };

export interface StepArgs {
  def: NodeDefinition;
  node: FlowNode;
  activation: Activation;
  state: RunState;
  run: NodeContext<unknown>['run'];
  timezone: string;
  idempotencyKey: string;
  signal: AbortSignal;
  services: NodeServices;
  clock: Clock;
  logger: Logger;
  expressions: ExpressionEvaluator | undefined;
  contactOf: ContactLookup | undefined;
  /** From the node's retry policy (or the flow's default). */
  maxTries: number;
}

/** Runs one node once: resolves and checks its params, calls it under its timeout, checks its ports. */
export async function executeStep(args: StepArgs): Promise<StepOutcome> {
  const { def, node, activation, state } = args;
  const params = withDefaults(def.params, node.params);
  let step: Awaited<ReturnType<typeof stepScope>>;
  let resolved: unknown;
  try {
    step = await stepScope({
      node,
      params,
      rawParams: def.spec.rawParams,
      state,
      activation,
      run: args.run,
      timezone: args.timezone,
      now: args.clock.now(),
      expressions: args.expressions,
      contactOf: args.contactOf,
    });
    resolved = resolveTemplates(params, step.scope, {
      ...(def.spec.rawParams ? { skipKeys: def.spec.rawParams } : {}),
      ...(step.evaluate ? { evaluate: step.evaluate } : {}),
    });
  } catch (error) {
    if (!(error instanceof TemplateError)) return { kind: 'failed', error: describeError(error) };
    // A bad expression is the flow's mistake, not a passing fault: retrying cannot fix it.
    const message = expressionFailure({
      nodeId: node.id,
      param: error.param,
      source: error.source,
      message: error.message,
    });
    return { kind: 'failed', error: { message, code: 'E002', retryable: false } };
  }
  const parsed = def.params.safeParse(resolved);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
    return {
      kind: 'failed',
      error: { message: `invalid params: ${detail}`, code: 'E002', retryable: false },
    };
  }
  const vars = { ...state.vars };
  try {
    const result = await withTimeout(
      (signal) => {
        const ctx: NodeContext<unknown> = {
          params: parsed.data,
          input: activation.input,
          trigger: state.trigger,
          vars,
          setVar: (name, value) => {
            vars[name] = toJson(value);
          },
          run: args.run,
          timezone: args.timezone,
          node: { id: node.id, type: node.type, ...(node.label ? { label: node.label } : {}) },
          attempt: activation.attempt,
          maxTries: args.maxTries,
          idempotencyKey: args.idempotencyKey,
          signal,
          now: () => args.clock.now(),
          evaluate: step.evaluateParam,
          ...(activation.resume ? { resume: activation.resume } : {}),
          log: args.logger,
          services: args.services,
        };
        return def.execute(ctx);
      },
      node.timeoutMs,
      args.signal,
      () => new EngineError('E003', `no result after ${node.timeoutMs} ms`),
    );
    if (result === undefined) {
      const first = def.outputsFor(node.params)[0];
      return { kind: 'emitted', outputs: first ? { [first]: activation.input } : {}, vars };
    }
    if ('wait' in result) {
      const until = result.wait.until ? result.wait.until.toISOString() : null;
      const key = result.wait.key ?? null;
      if (!until && !key) throw new NodeError('a wait needs a time, a key or both', { retryable: false });
      return { kind: 'parked', until, key, data: toJson(result.wait.data ?? null), vars };
    }
    if ('end' in result) {
      return { kind: 'ended', status: result.end.status, message: result.end.message ?? null, vars };
    }
    const allowed = outputPorts(node, def);
    const bad = Object.keys(result.outputs).filter((p) => !allowed.includes(p));
    if (bad.length > 0) throw new EngineError('E007', `${bad.join(', ')} (has ${allowed.join(', ')})`);
    return { kind: 'emitted', outputs: toJson(result.outputs) as Record<string, Json>, vars };
  } catch (error) {
    return { kind: 'failed', error: describeError(error) };
  }
}

/**
 * Fills absent top-level params with their schema defaults *before* references are resolved, so a
 * default such as `to: '{{ trigger.waId }}'` is resolved like a written one. (Resolving after parsing
 * would also re-read values that came from customers' messages, which must never be evaluated.)
 */
function withDefaults(schema: z.ZodType, params: Record<string, unknown>): Record<string, unknown> {
  const shape = (schema as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) return params;
  const filled = { ...params };
  for (const [key, field] of Object.entries(shape)) {
    if (filled[key] === undefined && field instanceof z.ZodDefault) filled[key] = field._zod.def.defaultValue;
  }
  return filled;
}

export function describeError(error: unknown): StepError {
  if (error instanceof NodeError)
    return { message: error.message, code: error.code, retryable: error.retryable };
  if (error instanceof EngineError) {
    return { message: error.message, code: error.code, retryable: error.code === 'E003' };
  }
  if (error instanceof Error) return { message: error.message, retryable: true };
  return { message: String(error), retryable: true };
}
