import type { Problem } from '@switchboard/flow-schema';
import { SCOPE_ROOTS } from './expressions.js';
import type { NodeRegistry } from './registry.js';
import { findTemplates } from './templates.js';

const PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$-]*|\[\d+\]|\["[^"]*"\])*$/;

/** The parse error of a JavaScript expression, or null. Parsing only: nothing is run. */
export function expressionSyntaxError(source: string): string | null {
  try {
    // The Function constructor parses its body without running it; the body is never called.
    new Function(`"use strict";\nreturn (\n${source}\n);`);
    return null;
  } catch (error) {
    return error instanceof SyntaxError ? error.message : null;
  }
}

/**
 * Expressions in a flow's params that do not parse, each with the JSON path of its param: a typo is
 * reported when the flow is saved, not when a customer's message first reaches the node. Paths
 * (`{{ vars.name }}`) need no parsing; raw params are code, except those a node declares as expressions.
 */
export function expressionProblems(
  nodes: ReadonlyArray<{ type: string; params?: Record<string, unknown> }>,
  registry: NodeRegistry,
): Problem[] {
  const problems: Problem[] = [];
  const check = (path: string, source: string) => {
    const message = expressionSyntaxError(source);
    if (message)
      problems.push({
        path,
        code: 'invalid_expression',
        severity: 'error',
        message: `the expression {{ ${source} }} does not parse: ${message}`,
      });
  };
  const walk = (path: string, value: unknown) => {
    if (typeof value === 'string') {
      for (const t of findTemplates(value)) {
        const root = /^[A-Za-z_$][\w$]*/.exec(t.source)?.[0] ?? '';
        if (!(PATH.test(t.source) && SCOPE_ROOTS.has(root))) check(path, t.source);
      }
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(`${path}[${i}]`, v);
    } else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(`${path}.${k}`, v);
  };
  nodes.forEach((node, i) => {
    const spec = registry.get(node.type)?.spec;
    for (const [key, value] of Object.entries(node.params ?? {})) {
      const path = `$.nodes[${i}].params.${key}`;
      if (spec?.expressionParams?.includes(key) && typeof value === 'string') {
        const wrapped = findTemplates(value);
        check(path, wrapped.length === 1 && value.trim().startsWith('{{') ? wrapped[0]!.source : value);
      } else if (!spec?.rawParams?.includes(key)) walk(path, value);
    }
  });
  return problems;
}
