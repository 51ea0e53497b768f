import {
  type FakeAnswer,
  type FakeServer,
  idCounter,
  type RecordedRequest,
  startRecorder,
} from './recorder.js';

/*
 * A fake helpdesk answering both Zendesk's and Freshdesk's ticket APIs (on one port), shaped after
 * their documentation:
 *
 * Zendesk — POST /api/v2/tickets.json `{ ticket: { subject, comment: { body }, priority, requester:
 * { name, email?, locale_id? } } }` with Basic auth `<email>/token:<api token>` → 201 `{ ticket: { id, url,
 * subject, description, priority, status: 'new', requester_id, created_at, updated_at, … } }`.
 * priority is urgent|high|normal|low. Bad auth → 401 `{ error: "Couldn't authenticate you" }`; a
 * missing comment → 422 RecordInvalid.
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#create-ticket
 *
 * Freshdesk — POST /api/v2/tickets `{ subject, description, email | phone | requester_id, name,
 * priority: 1-4, status: 2-5 }` with Basic auth `<api key>:X` → 201 `{ id, subject, description,
 * description_text, priority, status, requester_id, created_at, … }`. `name` is required when only a
 * phone identifies the requester. Bad auth → 401 `{ code: 'invalid_credentials', message }`; validation
 * → 400 `{ description: 'Validation failed', errors: [{ field, message, code }] }`.
 * https://developers.freshdesk.com/api/#create_ticket
 */

export interface FakeHelpdesk extends FakeServer {
  zendesk: { email: string; apiToken: string; tickets: Record<string, unknown>[] };
  freshdesk: { apiKey: string; tickets: Record<string, unknown>[] };
}

function basic(header: string | undefined): { user: string; password: string } | null {
  const m = /^Basic (.+)$/.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  return at < 0 ? null : { user: decoded.slice(0, at), password: decoded.slice(at + 1) };
}

const ZENDESK_PRIORITIES = ['urgent', 'high', 'normal', 'low'];

export async function startFakeHelpdesk(
  options: { zendesk?: { email?: string; apiToken?: string }; freshdesk?: { apiKey?: string } } = {},
): Promise<FakeHelpdesk> {
  const zendesk = {
    email: options.zendesk?.email ?? 'agent@example.com',
    apiToken: options.zendesk?.apiToken ?? 'zd-api-token-0123456789abcdef',
    tickets: [] as Record<string, unknown>[],
  };
  const freshdesk = {
    apiKey: options.freshdesk?.apiKey ?? 'fd-api-key-ABCDEFGHIJ0123',
    tickets: [] as Record<string, unknown>[],
  };
  const nextTicket = idCounter(35436);
  const nextUser = idCounter(9000001);
  let base = '';

  const zendeskTicket = (req: RecordedRequest): FakeAnswer => {
    const auth = basic(req.headers.authorization);
    if (auth?.user !== `${zendesk.email}/token` || auth.password !== zendesk.apiToken)
      return { status: 401, json: { error: "Couldn't authenticate you" } };
    const t = (req.body as { ticket?: Record<string, unknown> } | null)?.ticket;
    const comment = t?.comment as { body?: string; html_body?: string } | undefined;
    const problems: Record<string, { description: string }[]> = {};
    if (!comment?.body && !comment?.html_body)
      problems.description = [{ description: 'Description: cannot be blank' }];
    // The documented requester object is { locale_id, name, email }: a phone there would be lost.
    const requester = t?.requester as Record<string, unknown> | undefined;
    const unknown = Object.keys(requester ?? {}).filter((k) => !['locale_id', 'name', 'email'].includes(k));
    if (unknown.length > 0)
      problems.requester = [{ description: `Requester: unknown field ${unknown.join(', ')}` }];
    if (t?.priority !== undefined && !ZENDESK_PRIORITIES.includes(String(t.priority)))
      problems.priority = [{ description: 'Priority: is not valid' }];
    if (Object.keys(problems).length > 0)
      return {
        status: 422,
        json: { error: 'RecordInvalid', description: 'Record validation errors', details: problems },
      };
    const id = Number(nextTicket());
    const now = new Date().toISOString();
    const ticket = {
      id,
      url: `${base}/api/v2/tickets/${id}.json`,
      subject: t?.subject ?? null,
      description: comment?.body ?? comment?.html_body,
      priority: t?.priority ?? null,
      status: 'new',
      requester_id: Number(nextUser()),
      requester: t?.requester ?? null,
      tags: t?.tags ?? [],
      created_at: now,
      updated_at: now,
    };
    zendesk.tickets.push(ticket);
    return { status: 201, json: { ticket } };
  };

  const freshdeskTicket = (req: RecordedRequest): FakeAnswer => {
    const auth = basic(req.headers.authorization);
    if (auth?.user !== freshdesk.apiKey)
      return {
        status: 401,
        json: { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' },
      };
    const t = (req.body ?? {}) as Record<string, unknown>;
    const errors: { field: string; message: string; code: string }[] = [];
    const missing = (field: string, message = 'It should be a/an String') =>
      errors.push({ field, message, code: 'missing_field' });
    if (!t.subject) missing('subject');
    if (!t.description) missing('description');
    if (!t.email && !t.phone && !t.requester_id)
      missing('requester_id', 'Please fill at least 1 of requester_id, phone, email fields');
    if (t.phone && !t.email && !t.name)
      missing('name', 'It should be a/an String (required when only phone is given)');
    if (t.priority !== undefined && ![1, 2, 3, 4].includes(t.priority as number))
      errors.push({
        field: 'priority',
        message: 'It should be one of these values: 1,2,3,4',
        code: 'invalid_value',
      });
    if (t.status !== undefined && ![2, 3, 4, 5].includes(t.status as number))
      errors.push({
        field: 'status',
        message: 'It should be one of these values: 2,3,4,5',
        code: 'invalid_value',
      });
    if (errors.length > 0) return { status: 400, json: { description: 'Validation failed', errors } };
    const now = new Date().toISOString();
    const ticket = {
      id: Number(nextTicket()),
      subject: t.subject,
      description: `<div>${String(t.description)}</div>`,
      description_text: t.description,
      priority: t.priority ?? 1,
      status: t.status ?? 2,
      source: t.source ?? 2,
      requester_id: Number(nextUser()),
      name: t.name ?? null,
      phone: t.phone ?? null,
      email: t.email ?? null,
      created_at: now,
      updated_at: now,
    };
    freshdesk.tickets.push(ticket);
    return { status: 201, json: ticket };
  };

  const handle = (req: RecordedRequest): FakeAnswer => {
    if (req.method === 'POST' && req.path === '/api/v2/tickets.json') return zendeskTicket(req);
    if (req.method === 'POST' && req.path === '/api/v2/tickets') return freshdeskTicket(req);
    return { status: 404, json: { error: 'InvalidEndpoint', description: 'Not found' } };
  };

  const server = await startRecorder(handle, (status) => ({
    json:
      status === 429
        ? { description: 'Rate limit exceeded' }
        : { error: 'ServerError', description: 'try again' },
  }));
  base = server.url;
  return { ...server, zendesk, freshdesk };
}
