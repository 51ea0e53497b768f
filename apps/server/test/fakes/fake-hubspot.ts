import {
  correlationId,
  type FakeAnswer,
  type FakeServer,
  idCounter,
  type RecordedRequest,
  startRecorder,
} from './recorder.js';

/*
 * A fake HubSpot CRM v3 API, shaped after the documentation:
 * - Private-app tokens go in `Authorization: Bearer <token>`; base https://api.hubapi.com.
 * - Search: POST /crm/v3/objects/contacts/search with `{ filterGroups: [{ filters: [{ propertyName,
 *   operator, value }] }], properties?, limit? }`; groups are ORed, filters in a group ANDed; answers
 *   `{ total, results: [{ id, properties, createdAt, updatedAt, archived }] }`. Default contact properties
 *   are createdate, email, firstname, hs_object_id, lastmodifieddate, lastname.
 *   https://developers.hubspot.com/docs/api-reference/2026-03/crm/search-the-crm
 * - Create: POST /crm/v3/objects/{contacts|tickets|notes} `{ properties, associations? }` → 201 with the
 *   object; update: PATCH /crm/v3/objects/contacts/{id} `{ properties }` → 200. Contacts dedupe on email
 *   (409 "Contact already exists. Existing ID: <id>").
 *   https://developers.hubspot.com/docs/api/crm/tickets (subject, hs_pipeline, hs_pipeline_stage,
 *   hs_ticket_priority, content; association to a contact: HUBSPOT_DEFINED associationTypeId 16)
 *   Notes: hs_timestamp and hs_note_body, association to a contact: HUBSPOT_DEFINED 202
 *   (https://developers.hubspot.com/docs/api-reference/latest/crm/associations/overview).
 *   Communications (WhatsApp, SMS, LinkedIn messages): POST /crm/v3/objects/communications with
 *   hs_communication_channel_type, hs_communication_logged_from, hs_communication_body, hs_timestamp;
 *   association to a contact: HUBSPOT_DEFINED 81 (https://developers.hubspot.com/docs/api/crm/communications).
 * - Errors: `{ status: 'error', message, correlationId, category }`, 401 for a missing or wrong token.
 *   https://developers.hubspot.com/docs/faq/api-error-responses
 * Leniency: phone properties compare digits only (`+52 1 55…` finds `52155…`), as the real search's
 * calculated phone number does; other properties compare exactly.
 */

export type Properties = Record<string, string | null>;

export interface HubSpotObject {
  id: string;
  properties: Properties;
  associations: { to: { id: string }; types: { associationCategory: string; associationTypeId: number }[] }[];
  createdAt: string;
  updatedAt: string;
}

export interface FakeHubSpot extends FakeServer {
  /** The only token the fake accepts. */
  token: string;
  contacts: Map<string, HubSpotObject>;
  tickets: HubSpotObject[];
  notes: HubSpotObject[];
  communications: HubSpotObject[];
  /** Adds a contact (e.g. `{ phone: '5215512345678', firstname: 'Ana' }`); returns its id. */
  seedContact(properties: Properties): string;
}

const error = (status: number, category: string, message: string): FakeAnswer => ({
  status,
  json: { status: 'error', message, correlationId: correlationId(), category },
});

const digits = (v: string | null | undefined) => (v ?? '').replace(/\D/g, '');
const DEFAULT_CONTACT_PROPS = [
  'createdate',
  'email',
  'firstname',
  'hs_object_id',
  'lastmodifieddate',
  'lastname',
];

export async function startFakeHubSpot(
  options: { token?: string; contacts?: Properties[] } = {},
): Promise<FakeHubSpot> {
  const token = options.token ?? 'pat-na1-fake-0000-1111-2222';
  const nextId = idCounter(1001);
  const contacts = new Map<string, HubSpotObject>();
  const tickets: HubSpotObject[] = [];
  const notes: HubSpotObject[] = [];
  const communications: HubSpotObject[] = [];

  const make = (properties: Properties, associations: HubSpotObject['associations'] = []): HubSpotObject => {
    const now = new Date().toISOString();
    const id = nextId();
    return {
      id,
      properties: { ...properties, hs_object_id: id, createdate: now, lastmodifieddate: now },
      associations,
      createdAt: now,
      updatedAt: now,
    };
  };
  const view = (o: HubSpotObject, only?: string[]) => ({
    id: o.id,
    properties: only
      ? Object.fromEntries(only.map((p) => [p, o.properties[p] ?? null]))
      : { ...o.properties },
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    archived: false,
  });
  const seedContact = (properties: Properties) => {
    const c = make(properties);
    contacts.set(c.id, c);
    return c.id;
  };
  for (const p of options.contacts ?? []) seedContact(p);

  const matches = (o: HubSpotObject, f: { propertyName?: string; operator?: string; value?: string }) => {
    const actual = o.properties[f.propertyName ?? ''];
    const phone = /phone/i.test(f.propertyName ?? '');
    switch (f.operator) {
      case 'EQ':
        return phone ? digits(actual) !== '' && digits(actual) === digits(f.value) : actual === f.value;
      case 'NEQ':
        return actual !== f.value;
      case 'HAS_PROPERTY':
        return actual != null && actual !== '';
      case 'NOT_HAS_PROPERTY':
        return actual == null || actual === '';
      default:
        return false;
    }
  };

  type Body = {
    properties?: Properties;
    associations?: HubSpotObject['associations'];
    filterGroups?: { filters?: { propertyName?: string; operator?: string; value?: string }[] }[];
    limit?: number;
  };

  const handle = (req: RecordedRequest): FakeAnswer => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      return error(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    }
    const body = (req.body ?? {}) as Body;
    const route = `${req.method} ${req.path}`;
    if (route === 'POST /crm/v3/objects/contacts/search') {
      const groups = body.filterGroups ?? [];
      const found = [...contacts.values()].filter(
        (c) => groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => matches(c, f))),
      );
      const wanted = (body as { properties?: unknown }).properties as string[] | undefined;
      const limited = found.slice(0, body.limit ?? 10);
      return {
        status: 200,
        json: {
          total: found.length,
          results: limited.map((c) => view(c, [...new Set([...DEFAULT_CONTACT_PROPS, ...(wanted ?? [])])])),
        },
      };
    }
    if (route === 'POST /crm/v3/objects/contacts') {
      const email = body.properties?.email;
      const existing = email ? [...contacts.values()].find((c) => c.properties.email === email) : undefined;
      if (existing) return error(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
      const c = make(body.properties ?? {}, body.associations);
      contacts.set(c.id, c);
      return { status: 201, json: view(c) };
    }
    const contactPath = /^\/crm\/v3\/objects\/contacts\/([^/]+)$/.exec(req.path);
    if (contactPath) {
      const c = contacts.get(contactPath[1]!);
      if (!c) return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
      if (req.method === 'GET') return { status: 200, json: view(c) };
      if (req.method === 'PATCH') {
        c.properties = { ...c.properties, ...body.properties, lastmodifieddate: new Date().toISOString() };
        c.updatedAt = c.properties.lastmodifieddate!;
        return { status: 200, json: view(c) };
      }
    }
    if (
      route === 'POST /crm/v3/objects/tickets' ||
      route === 'POST /crm/v3/objects/notes' ||
      route === 'POST /crm/v3/objects/communications'
    ) {
      const required = route.endsWith('tickets')
        ? ['subject', 'hs_pipeline_stage']
        : route.endsWith('communications')
          ? ['hs_timestamp', 'hs_communication_channel_type', 'hs_communication_logged_from']
          : ['hs_timestamp'];
      const missing = required.filter((p) => !body.properties?.[p]);
      if (missing.length > 0)
        return error(
          400,
          'VALIDATION_ERROR',
          `Property values were not valid: missing ${missing.join(', ')}`,
        );
      const unknown = (body.associations ?? []).find((a) => !contacts.has(a.to?.id));
      if (unknown)
        return error(400, 'VALIDATION_ERROR', `association target ${unknown.to?.id} does not exist`);
      const o = make(body.properties ?? {}, body.associations);
      (route.endsWith('tickets') ? tickets : route.endsWith('notes') ? notes : communications).push(o);
      return { status: 201, json: view(o) };
    }
    return error(404, 'OBJECT_NOT_FOUND', `no route for ${route}`);
  };

  const server = await startRecorder(handle, (status) => ({
    json: {
      status: 'error',
      message: status === 429 ? 'You have reached your secondly limit.' : 'internal error',
      correlationId: correlationId(),
      category: status === 429 ? 'RATE_LIMITS' : 'INTERNAL_ERROR',
    },
  }));
  return { ...server, token, contacts, tickets, notes, communications, seedContact };
}
