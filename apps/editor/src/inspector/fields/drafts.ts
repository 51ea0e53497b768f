/**
 * Text the user typed that is not a value yet (half-written JSON), by node and field. Kept outside the
 * components so selecting another node and coming back does not lose it; it lives as long as the tab.
 */
const drafts = new Map<string, string>();

export const jsonDrafts = {
  get: (nodeId: string, path: string) => drafts.get(`${nodeId}\u0000${path}`),
  set: (nodeId: string, path: string, text: string) => drafts.set(`${nodeId}\u0000${path}`, text),
  clear: (nodeId: string, path: string) => drafts.delete(`${nodeId}\u0000${path}`),
};

/** The JSON text of a value for editing (two-space indented when it spans lines). */
export function jsonText(value: unknown): string {
  if (value === undefined) return '';
  const flat = JSON.stringify(value);
  return flat.length > 40 ? JSON.stringify(value, null, 2) : flat;
}

/** The value of JSON text, or the parse error's message. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
