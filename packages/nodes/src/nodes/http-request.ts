import { defineNode, emit, type Json, readPath, toJson } from '@switchboard/engine';
import { z } from 'zod';
import { asText } from '../compare.js';
import { callHttp, errorResult } from '../http-call.js';
import { labels } from '../labels.js';
import { VarName } from '../var-name.js';

/** The credential types that add HTTP auth: a bearer token, basic auth, or a header of your choice. */
const HTTP_CREDENTIALS = ['httpBearer', 'httpBasic', 'httpHeader'] as const;

/** Key/value params as text: `{{ vars.page }}` resolves to a number, which goes out as "2". */
function asStrings(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = asText(value);
  return out;
}

/**
 * The body to send. Text is JSON written with `{{ }}` in it, parsed once they are filled in; a value
 * already structured (the field switched to JSON, or one `{{ vars.payload }}`) goes as it is, and is the
 * safer choice for customer text, whose quotes cannot break it.
 */
function bodyOf(body: unknown): { ok: true; body: Json | undefined } | { ok: false; message: string } {
  if (body === undefined || body === null) return { ok: true, body: undefined };
  if (typeof body !== 'string') return { ok: true, body: toJson(body) };
  if (body.trim() === '') return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(body) as Json };
  } catch (error) {
    return {
      ok: false,
      message: `body: not valid JSON once its {{ }} were filled in (${(error as Error).message}); switch the field to JSON so each value is filled in safely`,
    };
  }
}

/**
 * Calls any HTTP API: method, URL, query, headers and a JSON body, optionally with a stored credential.
 * The whole response can be saved in a variable, and values picked from its body by path
 * (`results[0].id`) into variables of their own. Transient failures are retried by the node's retry
 * policy; what still fails leaves through `error` with the status and body.
 */
export const httpRequest = defineNode({
  type: 'http.request',
  category: 'data',
  labels: labels(
    ['HTTP request', 'Calls another system’s API and saves values from its answer in variables.'],
    ['Petición HTTP', 'Llama a la API de otro sistema y guarda datos de su respuesta en variables.'],
  ),
  params: z.strictObject({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    url: z
      .string()
      .min(1, 'write the address')
      .describe(
        'e.g. https://api.example.com/orders/{{ vars.order }}; with a credential that has a base URL, a path',
      ),
    query: z.record(z.string(), z.unknown()).default({}).describe('Query string parameters'),
    headers: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Extra headers (authorization comes from the credential, never written here)'),
    body: z
      .unknown()
      .optional()
      .describe('JSON to send, e.g. {"phone": "{{ trigger.waId }}"}; empty for none'),
    credential: z
      .string()
      .min(1)
      .optional()
      .describe('A stored credential (bearer token, basic auth or header) applied to the request'),
    timeoutMs: z.coerce
      .number()
      .int()
      .min(100, 'at least 100 ms')
      .max(120_000, 'at most 120000 ms (2 minutes)')
      .default(10_000),
    saveAs: VarName.optional().describe('Save the whole response { status, headers, body } in this variable'),
    map: z
      .array(
        z.object({
          variable: VarName,
          path: z.string().min(1).describe('Where in the response body, e.g. results[0].id'),
        }),
      )
      .default([])
      .describe('Values from the response body to save as variables'),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const p = ctx.params;
    const body = bodyOf(p.body);
    if (!body.ok) return errorResult({ reason: 'invalid_body', message: body.message });
    const called = await callHttp(ctx, {
      method: p.method,
      url: p.url,
      query: asStrings(p.query),
      headers: asStrings(p.headers),
      ...(body.body !== undefined ? { body: body.body } : {}),
      credential: p.credential ?? null,
      ...(p.credential ? { credentialTypes: HTTP_CREDENTIALS } : {}),
      timeoutMs: p.timeoutMs,
    });
    if (!called.ok) return called.result;
    const { status, headers, body: responseBody } = called.response;
    const response = { status, headers, body: responseBody };
    if (p.saveAs) ctx.setVar(p.saveAs, response);
    for (const { variable, path } of p.map)
      ctx.setVar(variable, toJson(readPath(responseBody, path) ?? null));
    return emit('out', response);
  },
});
