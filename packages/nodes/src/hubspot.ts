import type { Json, NodeContext, NodeResult } from '@switchboard/engine';
import { z } from 'zod';
import { asText } from './compare.js';
import { isUnresolved } from './customer.js';
import { callHttp, errorResult, type HttpResponse } from './http-call.js';
import type { HttpMethod } from './routing-services.js';

/**
 * HubSpot's CRM API v3, relative to the `hubspot` credential's base URL (https://api.hubapi.com), which
 * also carries the private app token. Shapes follow https://developers.hubspot.com/docs/api/crm/search,
 * .../crm/contacts, .../crm/tickets and .../crm/notes.
 */

export const hubspotCredential = z
  .string()
  .min(1, 'name the HubSpot credential')
  .describe('A HubSpot credential (private app token)');

export const phoneParam = z
  .string()
  .optional()
  .describe('Default: the contact’s WhatsApp number (+ and country code)');

/**
 * A HubSpot contact id: text or a number (`{{ vars.hubspot.id }}` keeps the type it was saved with).
 * By default the contact "HubSpot: find contact" saved in `vars.hubspot`.
 */
export const contactIdParam = z.union([z.string(), z.number()]).default('{{ vars.hubspot.id }}');

/** The id as text, or null when it is blank or its `{{ }}` found nothing. */
export const idText = (id: string | number | undefined): string | null =>
  id === undefined || isUnresolved(id) || String(id).trim() === '' ? null : String(id).trim();

/** HubSpot's own association types: ticket → contact and note → contact. */
export const ASSOCIATION = { ticketToContact: 16, noteToContact: 202 } as const;

export const associateWith = (id: string, associationTypeId: number): Json[] => [
  { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }] },
];

type Ctx = Pick<NodeContext<unknown>, 'services' | 'attempt' | 'maxTries' | 'signal' | 'log'>;

export function hubspot(ctx: Ctx, credential: string, method: HttpMethod, url: string, body?: Json) {
  return callHttp(ctx, {
    method,
    url,
    credential,
    credentialTypes: ['hubspot'],
    ...(body !== undefined ? { body } : {}),
  });
}

export interface HubspotObject {
  id: string;
  properties: Record<string, Json>;
}

/** `{ id, properties }` from an answer, or null when it has no id. */
export function objectOf(body: Json): HubspotObject | null {
  const o = body as { id?: unknown; properties?: unknown } | null;
  if (typeof o?.id !== 'string' && typeof o?.id !== 'number') return null;
  const properties = o.properties && typeof o.properties === 'object' ? o.properties : {};
  return { id: String(o.id), properties: properties as Record<string, Json> };
}

/** The error output for a 2xx answer that lacks what it should have. */
export const unexpected = (response: HttpResponse, what: string): NodeResult =>
  errorResult({
    reason: 'unexpected_response',
    status: response.status,
    message: `HubSpot answered without ${what}`,
    body: response.body,
  });

/** The first contact whose `phone` property is exactly this number (HubSpot's search, EQ filter). */
export async function findByPhone(
  ctx: Ctx,
  credential: string,
  phone: string,
  properties: readonly string[],
): Promise<{ ok: true; contact: HubspotObject | null } | { ok: false; result: NodeResult }> {
  const called = await hubspot(ctx, credential, 'POST', '/crm/v3/objects/contacts/search', {
    filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'EQ', value: phone }] }],
    properties: [...properties],
    limit: 1,
  });
  if (!called.ok) return called;
  const results = (called.response.body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return { ok: false, result: unexpected(called.response, 'search results') };
  return { ok: true, contact: results.length > 0 ? objectOf(results[0] as Json) : null };
}

/**
 * Property values as HubSpot takes them (text). A value whose `{{ }}` found nothing is left out, so a
 * missing variable never blanks a field in the CRM.
 */
export function propertiesOf(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = asText(value);
  return out;
}
