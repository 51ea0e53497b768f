import type { FlowNode } from '@switchboard/flow-schema';
import { NodeError } from './errors.js';
import {
  type ExpressionEvaluator,
  type ExpressionSession,
  expressionFailure,
  mentionsContact,
} from './expressions.js';
import type { Json } from './json.js';
import type { NodeContext } from './node-api.js';
import type { Activation, RunState } from './state.js';
import { findTemplates } from './templates.js';

type RunInfo = NodeContext<unknown>['run'];

/**
 * The run's contact as expressions see it (`contact`), or undefined when the run has none. The server
 * reads its contacts table; the engine asks only for steps whose params mention `contact`.
 */
export type ContactLookup = (run: RunInfo, trigger: Json) => Json | undefined | Promise<Json | undefined>;

export interface StepScopeArgs {
  node: FlowNode;
  /** The node's params with defaults filled in, before resolution. */
  params: Record<string, unknown>;
  rawParams: readonly string[] | undefined;
  state: RunState;
  activation: Activation;
  run: RunInfo;
  timezone: string;
  now: Date;
  expressions: ExpressionEvaluator | undefined;
  contactOf: ContactLookup | undefined;
}

// Flows are cached, so their node objects are stable: whether a node's templates read `contact` is
// worked out once per node, not once per step.
const readsContact = new WeakMap<FlowNode, boolean>();

/**
 * One step's view of the run for `{{ }}` and `ctx.evaluate`: the scope, plus an evaluator session that
 * is started only if something needs more than a path (most steps never touch the isolate).
 */
export async function stepScope(args: StepScopeArgs) {
  const { state } = args;
  const scope: Record<string, Json> = {
    trigger: state.trigger,
    input: args.activation.input,
    vars: state.vars,
    steps: state.outputs,
    nodes: state.outputs,
    run: args.run,
    contact: null,
    now: args.now.toISOString(),
    tz: args.timezone,
  };
  let contactLoaded = false;
  let session: ExpressionSession | undefined;
  const loadContact = async () => {
    contactLoaded = true;
    scope.contact = (await args.contactOf?.(args.run, state.trigger)) ?? null;
    session = undefined;
  };
  let known = readsContact.get(args.node);
  if (known === undefined) {
    known = templatesMentionContact(args.params, args.rawParams);
    readsContact.set(args.node, known);
  }
  if (known) await loadContact();

  /** For templates (synchronous); throws the evaluator's error as is. */
  const evaluate = (source: string): unknown => {
    if (!args.expressions) throw new Error('this runtime has no expression sandbox');
    session ??= args.expressions.begin(scope);
    return session.evaluate(source);
  };

  /** For nodes whose params are raw expressions (`ctx.evaluate`): fails the step with a named E002. */
  const evaluateParam = async (source: string, param = 'expression'): Promise<Json | undefined> => {
    if (!contactLoaded && mentionsContact(source)) await loadContact();
    try {
      return evaluate(source) as Json | undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new NodeError(expressionFailure({ nodeId: args.node.id, param, source, raw: true, message }), {
        code: 'E002',
        retryable: false,
      });
    }
  };

  return { scope, evaluate: args.expressions ? evaluate : undefined, evaluateParam };
}

function templatesMentionContact(params: Record<string, unknown>, raw: readonly string[] = []): boolean {
  const visit = (value: unknown): boolean => {
    if (typeof value === 'string')
      return value.includes('{{') && findTemplates(value).some((t) => mentionsContact(t.source));
    if (Array.isArray(value)) return value.some(visit);
    if (value !== null && typeof value === 'object') return Object.values(value).some(visit);
    return false;
  };
  return Object.entries(params).some(([key, value]) => !raw.includes(key) && visit(value));
}
