import { SCOPE_ROOTS } from './expressions.js';
import type { Json } from './json.js';

const SEGMENT = /^([A-Za-z_$][\w$-]*)|^\[(\d+)\]|^\["([^"]*)"\]|^\.([A-Za-z_$][\w$-]*)/;

export interface TemplateOptions {
  /** Top-level params passed through untouched (code, raw expressions). */
  skipKeys?: readonly string[];
  /**
   * Evaluates what is not a plain path (`vars.total * 1.21`); throws on failure. Without it such text
   * fails the param, and paths over unknown names read as undefined (as before expressions existed).
   */
  evaluate?: (source: string) => unknown;
}

/** A `{{ }}` that could not be resolved: names the param (dotted path) and the expression. */
export class TemplateError extends Error {
  constructor(
    readonly param: string,
    readonly source: string,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/**
 * Resolves `{{ … }}` in params against the run's scope (`trigger`, `input`, `vars`, `steps.<id>` (alias
 * `nodes`), `run`, `contact`, `now`, `tz`). Inner text that is a plain path is read here, with no code
 * run; anything else goes to `options.evaluate`. A string that is exactly one `{{ }}` keeps the value's
 * type (`"{{ vars.count }}"` → 3); inside longer text values are interpolated. Results are never
 * resolved again, so `{{` in a customer's message stays text.
 *
 * @example
 * resolveTemplates({ text: 'Hola {{ vars.name }}' }, { vars: { name: 'Ana' } }); // { text: 'Hola Ana' }
 */
export function resolveTemplates(
  value: unknown,
  scope: Record<string, unknown>,
  options: TemplateOptions = {},
): unknown {
  return walk(value, scope, options, []);
}

function walk(
  value: unknown,
  scope: Record<string, unknown>,
  options: TemplateOptions,
  at: string[],
): unknown {
  if (typeof value === 'string') return resolveString(value, scope, options, at);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, scope, options, [...at, String(i)]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = at.length === 0 && options.skipKeys?.includes(k) ? v : walk(v, scope, options, [...at, k]);
    return out;
  }
  return value;
}

function resolveString(
  text: string,
  scope: Record<string, unknown>,
  options: TemplateOptions,
  at: string[],
): unknown {
  if (!text.includes('{{')) return text;
  const found = findTemplates(text);
  if (found.length === 0) return text;
  const resolve = (source: string) => {
    const segments = parsePath(source);
    if (segments && SCOPE_ROOTS.has(segments[0]!)) return readSegments(scope, segments);
    if (!options.evaluate) {
      if (segments) return readSegments(scope, segments);
      throw new TemplateError(
        at.join('.'),
        source,
        'only paths such as {{ vars.name }} can be read here: this runtime has no expression sandbox',
      );
    }
    try {
      return options.evaluate(source);
    } catch (error) {
      throw new TemplateError(at.join('.'), source, error instanceof Error ? error.message : String(error));
    }
  };
  const first = found[0]!;
  if (found.length === 1 && text.slice(0, first.start).trim() === '' && text.slice(first.end).trim() === '')
    return resolve(first.source);
  let out = '';
  let last = 0;
  for (const t of found) {
    out += text.slice(last, t.start) + stringify(resolve(t.source));
    last = t.end;
  }
  return out + text.slice(last);
}

/** The `{{ … }}` in a text (start and end offsets, trimmed inner source); unclosed or empty ones stay text. */
export function findTemplates(text: string): Array<{ start: number; end: number; source: string }> {
  const found: Array<{ start: number; end: number; source: string }> = [];
  let from = text.indexOf('{{');
  while (from !== -1) {
    const close = closeOf(text, from + 2);
    const source = close === -1 ? '' : text.slice(from + 2, close).trim();
    if (source) {
      found.push({ start: from, end: close + 2, source });
      from = text.indexOf('{{', close + 2);
    } else from = text.indexOf('{{', from + 2);
  }
  return found;
}

/**
 * Where the `}}` closing an expression is: skips quoted strings, template literals (with their `${}`)
 * and nested braces, so `{{ \`Hola ${contact.name}\` }}` and `{{ ({ a: 1 }).a }}` work. -1 if unclosed.
 */
function closeOf(text: string, from: number): number {
  const stack: string[] = [];
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (stack.at(-1) === '`') {
      if (c === '\\') i++;
      else if (c === '`') stack.pop();
      else if (c === '$' && text[i + 1] === '{') {
        stack.push('${');
        i++;
      }
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '`' || c === '{') stack.push(c);
    else if (c === '}') {
      if (stack.length === 0) return text[i + 1] === '}' ? i : -1;
      stack.pop();
    }
  }
  return -1;
}

/** `a.b[0]["c d"]` as its keys, or null when the text is not such a path. */
function parsePath(path: string): string[] | null {
  let rest = path.trim();
  const keys: string[] = [];
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) return null;
    keys.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
    rest = rest.slice(m[0].length);
  }
  return keys.length > 0 ? keys : null;
}

function readSegments(root: unknown, keys: readonly string[]): unknown {
  let current: unknown = root;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

/** Reads `a.b[0]["c d"]` from an object; undefined when any part is missing or the path is malformed. */
export function readPath(root: unknown, path: string): unknown {
  const keys = parsePath(path);
  return keys ? readSegments(root, keys) : undefined;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value as Json);
  return String(value);
}
