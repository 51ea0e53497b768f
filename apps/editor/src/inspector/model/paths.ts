import { isRecord } from './json-schema';

/** A place inside params: property names and list indexes, e.g. `['buttons', 0, 'title']`. */
export type Path = ReadonlyArray<string | number>;

/** The dot form used in test ids and problem matching: `buttons.0.title`. */
export function pathKey(path: Path): string {
  return path.join('.');
}

export function getIn(root: unknown, path: Path): unknown {
  let value = root;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isRecord(value)) value = value[String(segment)];
    else return undefined;
  }
  return value;
}

/**
 * `root` with the value at `path` replaced, copying only the containers on the way (untouched parts
 * keep their identity). `undefined` removes an object property, so a cleared optional field falls back
 * to its default instead of being stored as "".
 */
export function setIn(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Array<string | number>];
  if (typeof head === 'number') {
    const list = Array.isArray(root) ? [...root] : [];
    const next = setIn(list[head], rest, value);
    if (next === undefined && rest.length === 0) list[head] = null;
    else list[head] = next;
    return list;
  }
  const object: Record<string, unknown> = isRecord(root) ? { ...root } : {};
  const next = setIn(object[head], rest, value);
  if (next === undefined) delete object[head];
  else object[head] = next;
  return object;
}

/** A list with one item moved from `from` to `to` (both in range), or the list unchanged. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

export function removeItem<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/**
 * A problem path relative to params as the inspector gets it (`buttons[0].title`, `.text`,
 * `["my key"]`) in dot form (`buttons.0.title`).
 */
export function normalizeProblemPath(path: string): string {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\["((?:[^"\\]|\\.)*)"\]/g, (_, key: string) => `.${JSON.parse(`"${key}"`)}`)
    .replace(/^\.+/, '');
}

/**
 * Puts each problem next to a field: at the field its path names, else at the nearest field above it
 * that is on the form (`visible`), else at the form itself (key ''). Nothing is dropped.
 */
export function assignProblems(
  problems: ReadonlyArray<{ path: string; message: string }>,
  visible: ReadonlySet<string>,
): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const p of problems) {
    let key = normalizeProblemPath(p.path);
    while (key !== '' && !visible.has(key)) {
      const cut = key.lastIndexOf('.');
      key = cut < 0 ? '' : key.slice(0, cut);
    }
    const list = byField.get(key) ?? [];
    if (!list.includes(p.message)) list.push(p.message);
    byField.set(key, list);
  }
  return byField;
}
