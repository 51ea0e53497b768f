import {
  type FakeAnswer,
  type FakeServer,
  idCounter,
  type RecordedRequest,
  startRecorder,
} from './recorder.js';

/*
 * A fake Bitrix24 REST API behind an inbound webhook, shaped after the documentation:
 * - URL: https://<portal>/rest/<user id>/<code>/<method>.json (the `.json` is optional); JSON POST bodies.
 *   A wrong user id or code → 401 `{ error: 'INVALID_CREDENTIALS', error_description }`
 *   (https://helpdesk.bitrix24.com/open/21269128/, https://apidocs.bitrix24.com/error-codes.html).
 * - Answers `{ result, time: { start, finish, duration, processing, date_start, date_finish } }`, list
 *   methods add `total`; errors are `{ error, error_description }`.
 * - crm.contact.list `{ filter: { PHONE: '…' }, select: ['ID', 'NAME', …] }`: multi-value fields (PHONE)
 *   filter on exact match only (https://dev.1c-bitrix.ru/rest_help/crm/contacts/crm_contact_list.php).
 * - crm.contact.add `{ fields: { NAME, LAST_NAME, PHONE: [{ VALUE, VALUE_TYPE: 'WORK'|'MOBILE' }] } }` →
 *   `result: <new id>`; NAME or LAST_NAME is required
 *   (https://dev.1c-bitrix.ru/rest_help/crm/contacts/crm_contact_add.php).
 * - crm.contact.update `{ id, fields }` → `result: true`; crm.lead.add `{ fields }` → `result: <new id>`.
 * - crm.timeline.comment.add `{ fields: { ENTITY_ID, ENTITY_TYPE: 'contact', COMMENT } }` → `result: <new id>`
 *   (https://apidocs.bitrix24.com/api-reference/crm/timeline/comments/crm-timeline-comment-add.html).
 * - Unknown method → 404 ERROR_METHOD_NOT_FOUND.
 */

export interface PhoneValue {
  ID?: string;
  VALUE: string;
  VALUE_TYPE: string;
  TYPE_ID?: string;
}

export type BitrixRecord = Record<string, unknown> & { ID: string };

export interface FakeBitrix24 extends FakeServer {
  userId: string;
  code: string;
  /** `<url>/rest/<user id>/<code>/`: what to store as the credential's webhookUrl. */
  webhookUrl: string;
  contacts: Map<string, BitrixRecord>;
  leads: BitrixRecord[];
  /** Timeline comments, in the order they were added. */
  comments: BitrixRecord[];
  /** Adds a contact, e.g. `{ NAME: 'Ana', PHONE: [{ VALUE: '+5215512345678', VALUE_TYPE: 'MOBILE' }] }`; returns its ID. */
  seedContact(fields: Record<string, unknown>): string;
}

function time(started: number) {
  const finish = Date.now();
  return {
    start: started / 1000,
    finish: finish / 1000,
    duration: (finish - started) / 1000,
    processing: (finish - started) / 1000,
    date_start: new Date(started).toISOString(),
    date_finish: new Date(finish).toISOString(),
  };
}

const failure = (status: number, error: string, description: string): FakeAnswer => ({
  status,
  json: { error, error_description: description },
});

export async function startFakeBitrix24(
  options: { userId?: string; code?: string; contacts?: Record<string, unknown>[] } = {},
): Promise<FakeBitrix24> {
  const userId = options.userId ?? '1';
  const code = options.code ?? 'q8khfywwh6a3c14nSECRET';
  const nextId = idCounter(21);
  const nextPhoneId = idCounter(501);
  const contacts = new Map<string, BitrixRecord>();
  const leads: BitrixRecord[] = [];
  const comments: BitrixRecord[] = [];

  const withPhoneIds = (fields: Record<string, unknown>) => ({
    ...fields,
    ...(Array.isArray(fields.PHONE)
      ? {
          PHONE: (fields.PHONE as PhoneValue[]).map((p) => ({ ID: nextPhoneId(), TYPE_ID: 'PHONE', ...p })),
          HAS_PHONE: 'Y',
        }
      : {}),
  });
  const seedContact = (fields: Record<string, unknown>) => {
    const id = nextId();
    contacts.set(id, { ...withPhoneIds(fields), ID: id, DATE_CREATE: new Date().toISOString() });
    return id;
  };
  for (const c of options.contacts ?? []) seedContact(c);

  const select = (record: BitrixRecord, fields: string[] | undefined) => {
    if (!fields || fields.length === 0 || fields.includes('*')) {
      // `*` leaves out multi-value fields such as PHONE, as the real list does.
      const { PHONE: _phone, EMAIL: _email, ...rest } = record;
      return rest;
    }
    return Object.fromEntries(fields.filter((f) => f in record).map((f) => [f, record[f]]));
  };

  const matches = (record: BitrixRecord, filter: Record<string, unknown>) =>
    Object.entries(filter).every(([key, want]) => {
      if (key === 'PHONE' || key === 'EMAIL') {
        const values = (record[key] as PhoneValue[] | undefined) ?? [];
        return values.some((v) => v.VALUE === String(want));
      }
      return String(record[key] ?? '') === String(want);
    });

  const handle = (req: RecordedRequest): FakeAnswer => {
    const started = Date.now();
    const m = /^\/rest\/([^/]+)\/([^/]+)\/([^/]+?)(\.json)?$/.exec(req.path);
    if (!m || m[1] !== userId || m[2] !== code)
      return failure(401, 'INVALID_CREDENTIALS', 'Invalid request credentials');
    const method = m[3]!;
    const params = (req.body && typeof req.body === 'object' ? req.body : req.query) as {
      filter?: Record<string, unknown>;
      select?: string[];
      fields?: Record<string, unknown>;
      id?: string | number;
    };
    const ok = (result: unknown, extra: Record<string, unknown> = {}): FakeAnswer => ({
      status: 200,
      json: { result, ...extra, time: time(started) },
    });
    switch (method) {
      case 'crm.contact.list': {
        const found = [...contacts.values()].filter((c) => matches(c, params.filter ?? {}));
        return ok(
          found.map((c) => select(c, params.select)),
          { total: found.length },
        );
      }
      case 'crm.contact.add': {
        const fields = params.fields ?? {};
        if (!fields.NAME && !fields.LAST_NAME)
          return failure(400, 'ERROR_CORE', 'One of the fields NAME or LAST_NAME must be filled in.');
        return ok(Number(seedContact(fields)));
      }
      case 'crm.contact.update': {
        const existing = contacts.get(String(params.id));
        if (!existing) return failure(400, 'ERROR_CORE', 'Not found');
        contacts.set(existing.ID, { ...existing, ...withPhoneIds(params.fields ?? {}), ID: existing.ID });
        return ok(true);
      }
      case 'crm.lead.add': {
        const id = nextId();
        leads.push({ ...withPhoneIds(params.fields ?? {}), ID: id });
        return ok(Number(id));
      }
      case 'crm.timeline.comment.add': {
        const fields = params.fields ?? {};
        if (!fields.ENTITY_ID || !fields.ENTITY_TYPE || !fields.COMMENT)
          return failure(400, 'ERROR_ARGUMENT', 'ENTITY_ID, ENTITY_TYPE and COMMENT are required');
        if (String(fields.ENTITY_TYPE).toLowerCase() === 'contact' && !contacts.has(String(fields.ENTITY_ID)))
          return failure(400, 'ERROR_ARGUMENT', 'Entity not found');
        const id = nextId();
        comments.push({ ...fields, ID: id, CREATED: new Date().toISOString() });
        return ok(Number(id));
      }
      default:
        return failure(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
    }
  };

  const server = await startRecorder(handle, (status) => ({
    json:
      status === 503
        ? { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' }
        : { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' },
  }));
  return {
    ...server,
    userId,
    code,
    webhookUrl: `${server.url}/rest/${userId}/${code}/`,
    contacts,
    leads,
    comments,
    seedContact,
  };
}
