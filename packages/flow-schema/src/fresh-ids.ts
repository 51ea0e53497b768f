/**
 * Readable ids for new nodes and edges. A new id never equals one in `taken`, and numbering continues
 * after the highest number in use, so a node added after one was deleted does not take the deleted
 * node's id (executions and idempotency keys refer to node ids).
 */

/** `whatsapp.sendText` → `send-text`, then `send-text-2`, `send-text-3`… */
export function freshNodeId(type: string, taken: ReadonlySet<string>): string {
  const base = idBase(type);
  const numbered = new RegExp(`^${escapeRegExp(base)}-(\\d+)$`);
  let highest = taken.has(base) ? 1 : 0;
  for (const id of taken) {
    const m = numbered.exec(id);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  if (highest === 0) return base;
  let n = highest + 1;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

/** `e1`, `e2`… continuing after the highest `e<n>` in use. */
export function freshEdgeId(taken: ReadonlySet<string>): string {
  let highest = 0;
  for (const id of taken) {
    const m = /^e(\d+)$/.exec(id);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  let n = highest + 1;
  while (taken.has(`e${n}`)) n++;
  return `e${n}`;
}

/** The last part of a type id in kebab case, within the `Identifier` alphabet. */
function idBase(type: string): string {
  const last = type.split('.').filter(Boolean).pop() ?? '';
  const kebab = last
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
    .slice(0, 80);
  return kebab === '' ? 'node' : kebab;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
