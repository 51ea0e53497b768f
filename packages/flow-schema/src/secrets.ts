/** Param keys whose plain-text value is a secret (a token, a password…) rather than a reference to one. */
export const SECRET_KEY =
  /^(access_?token|token|secret|app_?secret|client_?secret|password|passwd|api_?key|private_?key|authorization)$/i;

/** True when `value` under `key` is a secret written into the flow (not empty, not a `{{ }}` reference). */
export function isInlineSecret(key: string, value: unknown): value is string {
  return SECRET_KEY.test(key) && typeof value === 'string' && value.trim() !== '' && !value.includes('{{');
}

/**
 * A copy of the flow with every inline secret emptied, and the JSON paths that were emptied. Validation
 * refuses inline secrets, but a draft may still hold one; exports go through this so that a secret
 * typed into a node never leaves the server or the browser in a file.
 */
export function withoutInlineSecrets<F extends object>(flow: F): { flow: F; removed: string[] } {
  const removed: string[] = [];
  const clean = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => clean(v, `${path}[${i}]`));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      if (isInlineSecret(key, v)) {
        removed.push(at);
        out[key] = '';
      } else out[key] = clean(v, at);
    }
    return out;
  };
  // Any document shaped like a flow (a stored draft need not pass validation): only node params are read.
  const given = (flow as { nodes?: unknown }).nodes;
  if (!Array.isArray(given)) return { flow, removed };
  const nodes = (given as unknown[]).map((node, i) => {
    if (node === null || typeof node !== 'object' || !('params' in node)) return node;
    return { ...node, params: clean(node.params, `$.nodes[${i}].params`) };
  });
  return removed.length > 0 ? { flow: { ...flow, nodes }, removed } : { flow, removed };
}
