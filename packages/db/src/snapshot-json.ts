/**
 * JSON for run snapshots and step records, reusing the text of values already written. The engine
 * never mutates a snapshot: each step makes a new state that shares its unchanged parts (the trigger
 * payload, earlier nodes' outputs) with the last one, and a step's input is usually the previous
 * node's output. So a shared part is serialized once, not once per step it appears in.
 */
const written = new WeakMap<object, string>();

function cached(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  let text = written.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    written.set(value, text);
  }
  return text;
}

/** JSON.stringify, except that objects met before (by identity) two levels down reuse their text. */
export function snapshotJson(value: unknown): string | null {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return cached(value);
  let out = '{';
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function') continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${level2(v)}`;
  }
  return `${out}}`;
}

function level2(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return cached(value);
  if (written.has(value)) return written.get(value)!;
  let out = '{';
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function') continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${cached(v)}`;
  }
  return `${out}}`;
}
