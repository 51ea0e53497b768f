import type { HttpOutcome, HttpRequest, HttpService } from '@switchboard/nodes';

// The CRM calls of the timeline sync, through the host's HttpClient: the stored credential is applied
// there (this code never sees a token), and every request passes the outbound guard. Shapes follow the
// same documentation as the HubSpot and Bitrix24 nodes (packages/nodes/src/hubspot.ts, bitrix24.ts).

export const CRM_PROVIDERS = ['hubspot', 'bitrix24'] as const;
export type CrmProvider = (typeof CRM_PROVIDERS)[number];
/** How HubSpot logs a message: a note, or a communication of channel type WhatsApp. */
export const HUBSPOT_LOG_AS = ['note', 'communication'] as const;

/** A CRM call that failed; `retryable` when trying later may work (no answer, 429 or 5xx). */
export class CrmCallError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** One message to write, as the sync has it. */
export interface TimelineEntry {
  direction: 'in' | 'out';
  waId: string;
  name: string | null;
  text: string;
  messageId: string;
  messageAt: string;
}

export interface CrmTarget {
  provider: CrmProvider;
  credential: string;
  logAs: string;
}

/** A CRM's two steps; the sync keeps the contact id between them (a retry never creates it twice). */
export interface CrmTimeline {
  findOrCreateContact(entry: TimelineEntry): Promise<{ id: string; created: boolean }>;
  log(contactId: string, entry: TimelineEntry): Promise<string>;
}

const TIMEOUT_MS = 15_000;

/** `WhatsApp ← +34600000001 (Ana): Hola`: what the timeline shows, with the message id for tracing. */
export function timelineText(e: TimelineEntry): string {
  const who = `+${e.waId}${e.name ? ` (${e.name})` : ''}`;
  const arrow = e.direction === 'in' ? `WhatsApp ← ${who}` : `WhatsApp → ${who}`;
  return `${arrow}: ${e.text}\n[${e.messageId}]`;
}

function failure(outcome: Extract<HttpOutcome, { ok: false }>): CrmCallError {
  const retryable =
    outcome.reason === 'timeout' ||
    outcome.reason === 'network' ||
    (outcome.reason === 'http_status' && (outcome.status === 429 || (outcome.status ?? 0) >= 500));
  return new CrmCallError(outcome.message, retryable);
}

async function call(http: HttpService, request: Omit<HttpRequest, 'timeoutMs'>): Promise<unknown> {
  const outcome = await http.request({ ...request, timeoutMs: TIMEOUT_MS });
  if (!outcome.ok) throw failure(outcome);
  return outcome.body;
}

const idOf = (value: unknown, what: string): string => {
  const id = (value as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' && typeof id !== 'number')
    throw new CrmCallError(`the CRM answered without ${what}`, true);
  return String(id);
};

/** HubSpot CRM v3: contact search by phone, create, then a note (type 202) or a communication (81). */
function hubspot(http: HttpService, target: CrmTarget): CrmTimeline {
  const req = (url: string, body: unknown) =>
    call(http, {
      method: 'POST',
      url,
      credential: target.credential,
      credentialTypes: ['hubspot'],
      body: body as never,
    });
  return {
    async findOrCreateContact(e) {
      const phone = `+${e.waId}`;
      const found = (await req('/crm/v3/objects/contacts/search', {
        filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'EQ', value: phone }] }],
        properties: ['phone'],
        limit: 1,
      })) as { results?: unknown[] } | null;
      if (!Array.isArray(found?.results))
        throw new CrmCallError('HubSpot answered without search results', true);
      if (found.results.length > 0) return { id: idOf(found.results[0], 'a contact id'), created: false };
      const created = await req('/crm/v3/objects/contacts', {
        properties: { phone, ...(e.name ? { firstname: e.name } : {}) },
      });
      return { id: idOf(created, 'the new contact’s id'), created: true };
    },
    async log(contactId, e) {
      const body = timelineText(e);
      const communication = target.logAs === 'communication';
      const created = await req(communication ? '/crm/v3/objects/communications' : '/crm/v3/objects/notes', {
        properties: communication
          ? {
              hs_communication_channel_type: 'WHATS_APP',
              hs_communication_logged_from: 'CRM',
              hs_communication_body: body,
              hs_timestamp: e.messageAt,
            }
          : { hs_note_body: body, hs_timestamp: e.messageAt },
        associations: [
          {
            to: { id: contactId },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: communication ? 81 : 202 }],
          },
        ],
      });
      return idOf(created, 'the timeline entry’s id');
    },
  };
}

/**
 * Bitrix24 through its inbound webhook: crm.contact.list by PHONE, crm.contact.add, then
 * crm.timeline.comment.add on the contact. Bitrix24 reports some failures as HTTP 200 with `error`.
 */
function bitrix24(http: HttpService, target: CrmTarget): CrmTimeline {
  const method = async (name: string, body: unknown) => {
    const answer = (await call(http, {
      method: 'POST',
      url: `${name}.json`,
      credential: target.credential,
      credentialTypes: ['bitrix24'],
      body: body as never,
    })) as { result?: unknown; error?: unknown; error_description?: unknown } | null;
    if (answer?.error) {
      const detail = typeof answer.error_description === 'string' ? `: ${answer.error_description}` : '';
      const retryable = answer.error === 'QUERY_LIMIT_EXCEEDED' || answer.error === 'INTERNAL_SERVER_ERROR';
      throw new CrmCallError(`${name}: ${String(answer.error)}${detail}`, retryable);
    }
    if (answer?.result === undefined)
      throw new CrmCallError(`${name}: Bitrix24 answered without a result`, true);
    return answer.result;
  };
  const asId = (v: unknown, what: string) => {
    if (typeof v !== 'string' && typeof v !== 'number')
      throw new CrmCallError(`Bitrix24 answered without ${what}`, true);
    return String(v);
  };
  return {
    async findOrCreateContact(e) {
      const phone = `+${e.waId}`;
      const found = await method('crm.contact.list', { filter: { PHONE: phone }, select: ['ID'] });
      if (Array.isArray(found) && found.length > 0)
        return { id: asId((found[0] as { ID?: unknown }).ID, 'a contact ID'), created: false };
      const id = await method('crm.contact.add', {
        fields: { NAME: e.name ?? phone, PHONE: [{ VALUE: phone, VALUE_TYPE: 'MOBILE' }] },
      });
      return { id: asId(id, 'the new contact’s ID'), created: true };
    },
    async log(contactId, e) {
      const id = await method('crm.timeline.comment.add', {
        fields: { ENTITY_ID: Number(contactId), ENTITY_TYPE: 'contact', COMMENT: timelineText(e) },
      });
      return asId(id, 'the comment’s ID');
    },
  };
}

export function crmTimeline(http: HttpService, target: CrmTarget): CrmTimeline {
  return target.provider === 'hubspot' ? hubspot(http, target) : bitrix24(http, target);
}
