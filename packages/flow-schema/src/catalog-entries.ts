import { z } from 'zod';
import { catalogOf, type NodeCatalog, type NodeCatalogEntry, type NodeTypeInfo } from './catalog.js';

/**
 * A catalog built from the JSON served by `GET /api/node-types`, so the browser runs the very same
 * `validateFlow` and `connectionProblem` as the server. Params are checked with a zod schema rebuilt
 * from each entry's JSON Schema (`z.fromJSONSchema`); outputs come from `dynamicOutputs` (read from the
 * params, as the engine does) or else are the entry's fixed `outputs`.
 *
 * What JSON Schema cannot carry is not checked here, and the server still checks it when the flow is
 * saved: a node's own wording of a message (the browser says zod's "Too big: expected string to have
 * <=20 characters" where the server says "WhatsApp shows at most 20 characters"), refinements (rules
 * across fields, cron syntax, time zones), and outputs that depend on params without `dynamicOutputs`.
 * A params schema the converter cannot read accepts any params object rather than breaking the editor.
 *
 * @example
 * const { items } = await (await fetch('/api/node-types')).json();
 * const catalog = catalogFromEntries(items);
 * const { problems } = validateFlow(flow, catalog);
 */
export function catalogFromEntries(entries: readonly NodeCatalogEntry[]): NodeCatalog {
  const registry = z.registry();
  return catalogOf(entries.map((entry) => typeInfo(entry, registry)));
}

function typeInfo(entry: NodeCatalogEntry, registry: z.core.$ZodRegistry): NodeTypeInfo {
  const dynamic = entry.dynamicOutputs;
  const fixed = [...entry.outputs];
  // Converted on first use: drawing a flow needs only the ports; the params schemas are needed when
  // the flow is first checked, which the editor does once the canvas is on screen.
  let params: z.ZodType | undefined;
  return {
    type: entry.type,
    category: entry.category,
    trigger: entry.trigger,
    pausesRun: entry.pausesRun,
    inputs: [...entry.inputs],
    get params() {
      params ??= paramsSchema(entry, registry);
      return params;
    },
    outputsFor: (params) => {
      const byParam = entry.outputsByParam;
      if (byParam) {
        const value = (params as Record<string, unknown> | null | undefined)?.[byParam.param];
        return byParam.cases[typeof value === 'string' ? value : byParam.default] ?? fixed;
      }
      if (!dynamic) return fixed;
      const items = (params as Record<string, unknown> | null | undefined)?.[dynamic.param];
      const ids = Array.isArray(items)
        ? items.map((item) => (item as Record<string, unknown> | null | undefined)?.[dynamic.field])
        : [];
      return [
        ...(dynamic.lead ?? []),
        ...ids.filter((id): id is string => typeof id === 'string'),
        ...dynamic.extra,
      ];
    },
  };
}

function paramsSchema(entry: NodeCatalogEntry, registry: z.core.$ZodRegistry): z.ZodType {
  try {
    return z.fromJSONSchema(entry.paramsSchema as z.core.JSONSchema.JSONSchema, { registry });
  } catch {
    return z.record(z.string(), z.unknown());
  }
}
