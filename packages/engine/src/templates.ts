import type { Json } from './json.js';

const WHOLE = /^\s*\{\{\s*([^{}]+?)\s*\}\}\s*$/;
const ANY = /\{\{\s*([^{}]+?)\s*\}\}/g;
const SEGMENT = /^([A-Za-z_$][\w$-]*)|^\[(\d+)\]|^\["([^"]*)"\]|^\.([A-Za-z_$][\w$-]*)/;

/**
 * Resolves `{{ path }}` references in params against the run's scope
 * (`trigger`, `input`, `vars`, `nodes.<id>`, `run`). A string that is exactly one reference keeps the
 * value's type (`"{{ vars.count }}"` → 3); references inside longer text are interpolated. Only dotted
 * paths are read here: no code runs. Full expressions are the sandbox's job.
 */
export function resolveTemplates(
  value: unknown,
  scope: Record<string, unknown>,
  skipKeys?: readonly string[],
): unknown {
  if (typeof value === 'string') return resolveString(value, scope);
  if (Array.isArray(value)) return value.map((v) => resolveTemplates(v, scope));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = skipKeys?.includes(k) ? v : resolveTemplates(v, scope);
    return out;
  }
  return value;
}

function resolveString(text: string, scope: Record<string, unknown>): unknown {
  if (!text.includes('{{')) return text;
  const whole = WHOLE.exec(text);
  if (whole) return readPath(scope, whole[1]!);
  return text.replace(ANY, (_, path: string) => stringify(readPath(scope, path)));
}

/** Reads `a.b[0]["c d"]` from an object; undefined when any part is missing or the path is malformed. */
export function readPath(root: unknown, path: string): unknown {
  let rest = path.trim();
  let current: unknown = root;
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) return undefined;
    const key = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    if (current === null || typeof current !== 'object') return undefined;
    current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
    rest = rest.slice(m[0].length);
  }
  return current;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value as Json);
  return String(value);
}
