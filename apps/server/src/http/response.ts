import type { Json } from '@switchboard/engine';
import { scrub } from './credential-types.js';

/**
 * Reads an answer up to `max` bytes (after decompression, so a small gzip bomb cannot fill memory) and
 * parses it: JSON when the content type says so (and it parses), else text; an empty body is null.
 */
export async function readLimited(response: Response, max: number): Promise<'too_large' | { body: Json }> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => {});
    return 'too_large';
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => {});
        return 'too_large';
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return { body: null };
  const type = response.headers.get('content-type') ?? '';
  if (/[/+]json\b/i.test(type)) {
    try {
      return { body: JSON.parse(text) as Json };
    } catch {
      // A server that says JSON and sends something else: keep the text, the node can still show it.
    }
  }
  return { body: text };
}

/** Lower-cased response headers (repeated ones joined with ", "), secrets scrubbed. */
export function responseHeaders(headers: Headers, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    const v = scrub(value, secrets);
    out[name] = out[name] === undefined ? v : `${out[name]}, ${v}`;
  }
  return out;
}

/** Replaces secrets in every string of a parsed answer (a server may echo the request back). */
export function scrubJson(value: Json, secrets: readonly string[]): Json {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return scrub(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, secrets));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubJson(v as Json, secrets)]));
  return value;
}

/**
 * A short reason from an error answer: HubSpot's `message`, Bitrix24's `error_description`, Zendesk's
 * `error`/`description`, Freshdesk's `description`, or the text itself (Slack's `no_service`).
 */
export function summarize(body: Json): string {
  const cut = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s).trim();
  if (typeof body === 'string') return cut(body);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const key of ['message', 'error_description', 'description', 'error']) {
      const v = body[key];
      if (typeof v === 'string' && v !== '') return cut(v);
    }
  }
  return '';
}
