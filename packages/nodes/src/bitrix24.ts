import { type Json, type NodeContext, type NodeResult, toJson } from '@switchboard/engine';
import { z } from 'zod';
import { asText } from './compare.js';
import { callHttp, errorResult, type HttpResponse } from './http-call.js';

/**
 * Bitrix24's REST API through an inbound webhook: the `bitrix24` credential holds the webhook URL
 * (https://acme.bitrix24.es/rest/1/<key>/), and the node's URL is the method, e.g. `crm.contact.add.json`
 * (https://dev.1c-bitrix.ru/rest_help/crm/contacts/crm_contact_add.php).
 */

export const bitrixCredential = z
  .string()
  .min(1, 'name the Bitrix24 credential')
  .describe('A Bitrix24 credential (inbound webhook URL)');

type Ctx = Pick<NodeContext<unknown>, 'services' | 'attempt' | 'maxTries' | 'signal' | 'log'>;

/**
 * Calls a method. Bitrix24 reports some failures with HTTP 200 and `{ error, error_description }`:
 * those leave through `error` like any other.
 */
export async function bitrix24(
  ctx: Ctx,
  credential: string,
  method: string,
  body: Json,
): Promise<{ ok: true; result: Json; response: HttpResponse } | { ok: false; result: NodeResult }> {
  const called = await callHttp(ctx, {
    method: 'POST',
    url: method,
    credential,
    credentialTypes: ['bitrix24'],
    body,
  });
  if (!called.ok) return called;
  const answer = called.response.body as {
    result?: Json;
    error?: unknown;
    error_description?: unknown;
  } | null;
  if (answer?.error !== undefined && answer.error !== null) {
    const description = typeof answer.error_description === 'string' ? `: ${answer.error_description}` : '';
    return {
      ok: false,
      result: errorResult({
        reason: 'bitrix24_error',
        status: called.response.status,
        message: `${method}: ${asText(answer.error)}${description}`,
        body: called.response.body,
      }),
    };
  }
  if (answer?.result === undefined)
    return {
      ok: false,
      result: errorResult({
        reason: 'unexpected_response',
        status: called.response.status,
        message: `${method}: Bitrix24 answered without a result`,
        body: called.response.body,
      }),
    };
  return { ok: true, result: answer.result, response: called.response };
}

/** A phone as Bitrix24 stores it on a contact or lead (a list of values with a type). */
export const phoneField = (phone: string): Json => [{ VALUE: phone, VALUE_TYPE: 'MOBILE' }];

/** Extra fields as given, left out when their `{{ }}` found nothing (a missing value never blanks one). */
export function extraFields(values: Record<string, unknown>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = toJson(value);
  return out;
}
