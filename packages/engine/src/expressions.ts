import type { Json } from './json.js';

/**
 * Evaluates JavaScript expressions (`{{ vars.total * 1.21 }}`) for the engine. The host injects one
 * (the server: an isolated-vm pool from `@switchboard/sandbox`); the engine never runs code itself.
 * Plain paths (`{{ vars.name }}`) never reach it.
 */
export interface ExpressionEvaluator {
  /**
   * Starts one step's evaluations. `scope` holds `trigger`, `input`, `vars`, `steps` (last output per
   * node id), `run`, `contact`, `now` (ISO) and `tz` (the flow's IANA zone); it is copied in once.
   */
  begin(scope: Record<string, Json>): ExpressionSession;
}

export interface ExpressionSession {
  /** The expression's value as JSON data (undefined when it has none); throws an Error with a message. */
  evaluate(source: string): unknown;
}

/** The scope names of `{{ }}` references and expressions (`nodes` is the older name of `steps`). */
export const SCOPE_ROOTS: ReadonlySet<string> = new Set([
  'trigger',
  'input',
  'vars',
  'steps',
  'nodes',
  'run',
  'contact',
  'now',
  'tz',
]);

const CONTACT = /\bcontact\b/;

/** True when an expression or path reads `contact`, so the host's contact lookup is worth doing. */
export const mentionsContact = (source: string) => CONTACT.test(source);

/** How an expression appears in error messages: templates as written, raw ones (node params) quoted. */
export function expressionFailure(args: {
  nodeId: string;
  param: string;
  source: string;
  raw?: boolean;
  message: string;
}): string {
  const short = args.source.length > 120 ? `${args.source.slice(0, 117)}...` : args.source;
  const shown = args.raw ? `\`${short}\`` : `{{ ${short} }}`;
  return `node "${args.nodeId}", param "${args.param}": expression ${shown} failed: ${args.message}`;
}
