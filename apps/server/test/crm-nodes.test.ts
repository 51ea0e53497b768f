import { rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeBitrix24, startFakeBitrix24 } from './fakes/fake-bitrix24.js';
import { type FakeHelpdesk, startFakeHelpdesk } from './fakes/fake-helpdesk.js';
import { type FakeHubSpot, startFakeHubSpot } from './fakes/fake-hubspot.js';
import { type FakeSlack, startFakeSlack } from './fakes/fake-slack.js';
import { type FakeServer, type RecordedRequest, startRecorder } from './fakes/recorder.js';
import { eventually, type FlowNode, flowDoc, type Loose, startWhatsAppServer } from './wa-helpers.js';

// The CRM, Slack, helpdesk and HTTP nodes on a whole server in this process: credentials stored through
// the API, flows started by customer messages through the sandbox's signed ingress, and the vendor fakes
// checked for exactly the requests each vendor's API documents.

const HUBSPOT_TOKEN = 'pat-na1-SECRET-4b1c9e7a-crm-nodes';
const WRONG_TOKEN = 'pat-na1-SECRET-0d2f-wrong-token';
const BITRIX_CODE = 'SECRETbitrixCODE7788';
const SLACK_PATH = '/services/T0SWITCH/B0ALERTS/SECRETslackALERTS42';
const TEAM_SLACK_PATH = '/services/T0SWITCH/B0TEAM/SECRETslackTEAM77';
const ZENDESK = { email: 'soporte@acme.example', apiToken: 'zd-SECRET-token-31337abc' };
const FRESHDESK_KEY = 'fd-SECRET-apikey-8675309';
const ORDERS_TOKEN = 'tok-SECRET-orders-5e8d2b7c';
const SECRETS = [
  HUBSPOT_TOKEN,
  WRONG_TOKEN,
  BITRIX_CODE,
  // A Slack webhook's URL is its secret: its last path segment alone must not show.
  SLACK_PATH.split('/').at(-1)!,
  TEAM_SLACK_PATH.split('/').at(-1)!,
  ZENDESK.apiToken,
  FRESHDESK_KEY,
  ORDERS_TOKEN,
];

/** A seeded HubSpot contact's number, and one HubSpot does not know. */
const ANA = '34600111222';
const NEW_HS = '34600999888';
/** A seeded Bitrix24 contact's number, and one Bitrix24 does not know. */
const LUIS = '573001234567';
const NEW_B24 = '573009876543';

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
let hubspot: FakeHubSpot;
let bitrix: FakeBitrix24;
let slack: FakeSlack;
let teamSlack: FakeSlack;
let helpdesk: FakeHelpdesk;
let orders: FakeServer;
let anaId: string;
let luisId: string;
/** Every execution as the API answered it, searched for secrets at the end. */
const executions: string[] = [];

/** What the fakes are checked on: the request line, the auth and content type, and the parsed body. */
const seen = (r: RecordedRequest) => ({
  method: r.method,
  path: r.path,
  query: r.query,
  authorization: r.headers.authorization ?? null,
  contentType: r.headers['content-type'] ?? null,
  body: r.body,
});

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A flow started by a WhatsApp message (`start`), with terse nodes and `a->b` / `a.port->b` edges. */
const messageFlow = (id: string, nodes: FlowNode[], edges: string[]) =>
  flowDoc(id, nodes, edges, 'trigger.whatsappMessage');

/**
 * Imports and activates the flow, has `from` write `text` through the sandbox (a signed webhook into the
 * real ingress), waits for the run to end and deactivates the flow again (so the next test's messages
 * start only its own flow). Returns the execution as `GET /api/executions/:id` shows it.
 */
async function runOnMessage(
  flow: ReturnType<typeof messageFlow>,
  from: string,
  text: string,
  name = 'Ana',
): Promise<Loose> {
  await s.install(flow);
  try {
    const posted = await s.api('/api/sandbox/messages', { method: 'POST', json: { from, name, text } });
    expect(posted.body.ingressStatus).toBe(200);
    const started = await eventually(async () => {
      const items = (await s.api(`/api/executions?flowId=${flow.id}&contactId=${from}`)).body.items;
      return items?.[0] as Loose;
    });
    await s.settled(started.id);
    const answer = await s.api(`/api/executions/${started.id}`);
    executions.push(JSON.stringify(answer.body));
    return answer.body;
  } finally {
    await s.api(`/api/flows/${flow.id}/deactivate`, { method: 'POST' });
  }
}

/** The last try of a node in a run: its ports and output. */
function stepOf(run: Loose, nodeId: string): { ports: string[]; output: Loose; tries: number } {
  const steps = run.steps.filter((x: Loose) => x.nodeId === nodeId);
  const last = steps.at(-1);
  if (!last) throw new Error(`no step "${nodeId}" in run ${run.id} (${run.status})`);
  return { ports: last.ports, output: last.output, tries: steps.length };
}

const credential = async (name: string, type: string, data: object) => {
  const stored = await s.api('/api/credentials', { method: 'POST', json: { name, type, data } });
  if (stored.status !== 201) throw new Error(`credential ${name}: ${JSON.stringify(stored.body)}`);
};

beforeAll(async () => {
  [hubspot, bitrix, slack, teamSlack, helpdesk, orders] = await Promise.all([
    startFakeHubSpot({ token: HUBSPOT_TOKEN }),
    startFakeBitrix24({ userId: '7', code: BITRIX_CODE }),
    startFakeSlack({ path: SLACK_PATH }),
    startFakeSlack({ path: TEAM_SLACK_PATH }),
    startFakeHelpdesk({ zendesk: ZENDESK, freshdesk: { apiKey: FRESHDESK_KEY } }),
    // An orders API that answers every search with the same order, echoing the auth it got (as httpbin
    // does): the step must not bring the token back in.
    startRecorder((req) => ({
      status: 200,
      json: {
        order: { id: 'ORD-7', total: 120.5, items: [{ sku: 'A1' }, { sku: 'B2' }] },
        youSent: req.headers.authorization ?? null,
      },
    })),
  ]);
  anaId = hubspot.seedContact({
    phone: `+${ANA}`,
    firstname: 'Ana',
    lastname: 'García',
    email: 'ana@example.com',
  });
  luisId = bitrix.seedContact({
    NAME: 'Luis',
    LAST_NAME: 'Pérez',
    PHONE: [{ VALUE: `+${LUIS}`, VALUE_TYPE: 'MOBILE' }],
    UF_CRM_TIER: 'gold',
  });
  s = await startWhatsAppServer();
  await credential('hubspot', 'hubspot', { accessToken: HUBSPOT_TOKEN, baseUrl: hubspot.url });
  await credential('hubspot-wrong', 'hubspot', { accessToken: WRONG_TOKEN, baseUrl: hubspot.url });
  await credential('bitrix', 'bitrix24', { webhookUrl: bitrix.webhookUrl });
  await credential('slack-alerts', 'slack', { webhookUrl: slack.webhookUrl });
  await credential('slack-team', 'slack', { webhookUrl: teamSlack.webhookUrl });
  await credential('zendesk', 'httpBasic', {
    username: `${ZENDESK.email}/token`,
    password: ZENDESK.apiToken,
    baseUrl: helpdesk.url,
  });
  await credential('freshdesk', 'httpBasic', {
    username: FRESHDESK_KEY,
    password: 'X',
    baseUrl: helpdesk.url,
  });
  await credential('orders-api', 'httpBearer', { token: ORDERS_TOKEN, baseUrl: `${orders.url}/v1` });
  const team = await s.api('/api/teams', {
    method: 'POST',
    json: { id: 'soporte', name: 'Soporte', slackCredential: 'slack-team' },
  });
  expect(team.status).toBe(201);
});

afterAll(async () => {
  await s?.close();
  if (s) rmSync(s.dataDir, { recursive: true, force: true });
  await Promise.all([hubspot, bitrix, slack, teamSlack, helpdesk, orders].map((f) => f?.close()));
});

beforeEach(() => {
  for (const fake of [hubspot, bitrix, slack, teamSlack, helpdesk, orders]) fake.reset();
});

const SEARCH_PATH = '/crm/v3/objects/contacts/search';
const hubspotSearch = (phone: string, properties: string[]) => ({
  method: 'POST',
  path: SEARCH_PATH,
  query: {},
  authorization: `Bearer ${HUBSPOT_TOKEN}`,
  contentType: 'application/json',
  body: {
    filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'EQ', value: phone }] }],
    properties,
    limit: 1,
  },
});

describe('HubSpot nodes against the fake HubSpot', () => {
  const findFlow = (id: string, params: object = {}, retry?: object) =>
    messageFlow(
      id,
      [
        {
          id: 'find',
          type: 'hubspot.findContact',
          params: { credential: 'hubspot', ...params },
          ...(retry ? { retry } : {}),
        },
        { id: 'vars', type: 'data.code', params: { code: 'return input.vars;' } },
      ],
      ['start->find', 'find.found->vars'],
    );

  it('findContact searches by the customer’s number in E.164 and saves the contact in vars.hubspot', async () => {
    const run = await runOnMessage(findFlow('hs-find'), ANA, 'Hola');
    expect(hubspot.requests.map(seen)).toEqual([
      hubspotSearch(`+${ANA}`, ['firstname', 'lastname', 'email', 'phone']),
    ]);
    const contact = {
      id: anaId,
      properties: {
        createdate: expect.any(String),
        email: 'ana@example.com',
        firstname: 'Ana',
        hs_object_id: anaId,
        lastmodifieddate: expect.any(String),
        lastname: 'García',
        phone: `+${ANA}`,
      },
    };
    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'find')).toEqual({ ports: ['found'], output: contact, tries: 1 });
    expect(stepOf(run, 'vars').output).toEqual({ hubspot: contact });
  });

  it('findContact takes notFound for a number HubSpot does not know', async () => {
    const run = await runOnMessage(findFlow('hs-find-unknown'), NEW_HS, 'Hola');
    expect(hubspot.requests.map(seen)).toEqual([
      hubspotSearch(`+${NEW_HS}`, ['firstname', 'lastname', 'email', 'phone']),
    ]);
    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'find')).toEqual({ ports: ['notFound'], output: { phone: `+${NEW_HS}` }, tries: 1 });
    expect(run.steps.some((x: Loose) => x.nodeId === 'vars')).toBe(false);
  });

  const upsertFlow = (id: string) =>
    messageFlow(
      id,
      [
        {
          id: 'upsert',
          type: 'hubspot.upsertContact',
          params: {
            credential: 'hubspot',
            properties: { firstname: '{{ trigger.profileName }}', hs_lead_status: 'NEW' },
          },
        },
      ],
      ['start->upsert'],
    );

  it('upsertContact updates a known number’s contact with PATCH /crm/v3/objects/contacts/{id}', async () => {
    const run = await runOnMessage(upsertFlow('hs-upsert-known'), ANA, 'Hola', 'Ana María');
    expect(hubspot.requests.map(seen)).toEqual([
      hubspotSearch(`+${ANA}`, ['phone']),
      {
        method: 'PATCH',
        path: `/crm/v3/objects/contacts/${anaId}`,
        query: {},
        authorization: `Bearer ${HUBSPOT_TOKEN}`,
        contentType: 'application/json',
        body: { properties: { firstname: 'Ana María', hs_lead_status: 'NEW' } },
      },
    ]);
    expect(stepOf(run, 'upsert')).toEqual({
      ports: ['out'],
      output: { id: anaId, created: false },
      tries: 1,
    });
    expect(hubspot.contacts.get(anaId)?.properties.firstname).toBe('Ana María');
  });

  it('upsertContact creates a contact with the phone for a new number with POST /crm/v3/objects/contacts', async () => {
    const run = await runOnMessage(upsertFlow('hs-upsert-new'), NEW_HS, 'Hola', 'Nuria');
    const created = [...hubspot.contacts.values()].find((c) => c.properties.phone === `+${NEW_HS}`);
    expect(created).toBeDefined();
    expect(hubspot.requests.map(seen)).toEqual([
      hubspotSearch(`+${NEW_HS}`, ['phone']),
      {
        method: 'POST',
        path: '/crm/v3/objects/contacts',
        query: {},
        authorization: `Bearer ${HUBSPOT_TOKEN}`,
        contentType: 'application/json',
        body: { properties: { phone: `+${NEW_HS}`, firstname: 'Nuria', hs_lead_status: 'NEW' } },
      },
    ]);
    expect(stepOf(run, 'upsert')).toEqual({
      ports: ['out'],
      output: { id: created!.id, created: true },
      tries: 1,
    });
  });

  it('createTicket and addNote post a ticket (association 16) and a note (association 202) for the contact found', async () => {
    const before = Date.now();
    const run = await runOnMessage(
      messageFlow(
        'hs-ticket-note',
        [
          {
            id: 'find',
            type: 'hubspot.findContact',
            params: { credential: 'hubspot', properties: ['phone'] },
          },
          {
            id: 'ticket',
            type: 'hubspot.createTicket',
            params: {
              credential: 'hubspot',
              subject: 'WhatsApp: {{ trigger.profileName }}',
              priority: 'HIGH',
            },
          },
          { id: 'note', type: 'hubspot.addNote', params: { credential: 'hubspot' } },
        ],
        ['start->find', 'find.found->ticket', 'ticket->note'],
      ),
      ANA,
      'No me llega la factura de abril',
    );
    const after = Date.now();
    const [, ticketRequest, noteRequest] = hubspot.requests.map(seen);
    expect(hubspot.requests).toHaveLength(3);
    expect(ticketRequest).toEqual({
      method: 'POST',
      path: '/crm/v3/objects/tickets',
      query: {},
      authorization: `Bearer ${HUBSPOT_TOKEN}`,
      contentType: 'application/json',
      body: {
        properties: {
          hs_pipeline: '0',
          hs_pipeline_stage: '1',
          subject: 'WhatsApp: Ana',
          content: 'No me llega la factura de abril',
          hs_ticket_priority: 'HIGH',
        },
        associations: [
          { to: { id: anaId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 16 }] },
        ],
      },
    });
    const timestamp = (noteRequest?.body as Loose)?.properties?.hs_timestamp;
    expect(noteRequest).toEqual({
      method: 'POST',
      path: '/crm/v3/objects/notes',
      query: {},
      authorization: `Bearer ${HUBSPOT_TOKEN}`,
      contentType: 'application/json',
      body: {
        properties: { hs_timestamp: timestamp, hs_note_body: 'No me llega la factura de abril' },
        associations: [
          { to: { id: anaId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] },
        ],
      },
    });
    expect(new Date(timestamp).toISOString()).toBe(timestamp);
    expect(Date.parse(timestamp)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(timestamp)).toBeLessThanOrEqual(after);
    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'ticket')).toEqual({
      ports: ['out'],
      output: { id: hubspot.tickets[0]!.id },
      tries: 1,
    });
    expect(stepOf(run, 'note')).toEqual({ ports: ['out'], output: { id: hubspot.notes[0]!.id }, tries: 1 });
  });

  it('retries a 503 under the node’s retry policy and succeeds on the second try', async () => {
    hubspot.failNext(1, 503);
    const run = await runOnMessage(
      findFlow('hs-retry', { properties: ['phone'] }, { maxTries: 2, backoffMs: 0 }),
      ANA,
      'Hola',
    );
    const search = hubspotSearch(`+${ANA}`, ['phone']);
    expect(hubspot.requests.map((r) => ({ ...seen(r), injected: r.injected }))).toEqual([
      { ...search, injected: true },
      { ...search, injected: false },
    ]);
    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'find')).toMatchObject({ ports: ['found'], output: { id: anaId }, tries: 2 });
  });

  it('leaves through error when the 503 outlasts the retry policy', async () => {
    hubspot.failNext(2, 503);
    const run = await runOnMessage(
      findFlow('hs-retry-out', { properties: ['phone'] }, { maxTries: 2, backoffMs: 0 }),
      ANA,
      'Hola',
    );
    expect(hubspot.requests.map((r) => [r.method, r.path, r.injected])).toEqual([
      ['POST', SEARCH_PATH, true],
      ['POST', SEARCH_PATH, true],
    ]);
    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'find')).toEqual({
      ports: ['error'],
      output: {
        reason: 'http_status',
        status: 503,
        message: `POST ${hubspot.url}${SEARCH_PATH} answered 503: internal error`,
        body: {
          status: 'error',
          message: 'internal error',
          correlationId: expect.any(String),
          category: 'INTERNAL_ERROR',
        },
      },
      tries: 2,
    });
  });

  it('leaves through error at once on a 401 from a wrong token, without the token in the message', async () => {
    const run = await runOnMessage(
      findFlow('hs-wrong-token', { credential: 'hubspot-wrong' }, { maxTries: 3, backoffMs: 0 }),
      ANA,
      'Hola',
    );
    expect(hubspot.requests.map(seen)).toEqual([
      {
        ...hubspotSearch(`+${ANA}`, ['firstname', 'lastname', 'email', 'phone']),
        authorization: `Bearer ${WRONG_TOKEN}`,
      },
    ]);
    const denied =
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';
    const find = stepOf(run, 'find');
    expect(find).toEqual({
      ports: ['error'],
      output: {
        reason: 'http_status',
        status: 401,
        message: `POST ${hubspot.url}${SEARCH_PATH} answered 401: ${denied}`,
        body: {
          status: 'error',
          message: denied,
          correlationId: expect.any(String),
          category: 'INVALID_AUTHENTICATION',
        },
      },
      tries: 1,
    });
    expect(JSON.stringify(find.output)).not.toContain(WRONG_TOKEN);
  });
});

describe('Bitrix24 nodes against the fake Bitrix24', () => {
  const b24 = (method: string, body: unknown) => ({
    method: 'POST',
    path: `/rest/7/${BITRIX_CODE}/${method}.json`,
    query: {},
    authorization: null,
    contentType: 'application/json',
    body,
  });
  const SELECT = ['ID', 'NAME', 'LAST_NAME', 'PHONE', 'EMAIL', 'UF_CRM_TIER'];
  const flow = (id: string) =>
    messageFlow(
      id,
      [
        {
          id: 'find',
          type: 'bitrix24.findContact',
          params: { credential: 'bitrix', fields: ['UF_CRM_TIER'] },
        },
        { id: 'add', type: 'bitrix24.addContact', params: { credential: 'bitrix' } },
        {
          id: 'lead',
          type: 'bitrix24.addLead',
          params: {
            credential: 'bitrix',
            title: 'WhatsApp: {{ trigger.profileName }}',
            contactId: '{{ input.id }}',
          },
        },
      ],
      ['start->find', 'find.found->lead', 'find.notFound->add', 'add->lead'],
    );

  it('findContact lists by phone, and addLead links the lead to the contact found', async () => {
    const run = await runOnMessage(flow('b24-known'), LUIS, 'Quiero 20 equipos', 'Luis');
    expect(bitrix.requests.map(seen)).toEqual([
      b24('crm.contact.list', { filter: { PHONE: `+${LUIS}` }, select: SELECT }),
      b24('crm.lead.add', {
        fields: {
          TITLE: 'WhatsApp: Luis',
          NAME: 'Luis',
          PHONE: [{ VALUE: `+${LUIS}`, VALUE_TYPE: 'MOBILE' }],
          COMMENTS: 'Quiero 20 equipos',
          SOURCE_ID: 'OTHER',
          CONTACT_ID: luisId,
        },
      }),
    ]);
    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'find')).toEqual({
      ports: ['found'],
      output: {
        id: luisId,
        fields: {
          ID: luisId,
          NAME: 'Luis',
          LAST_NAME: 'Pérez',
          PHONE: [{ ID: expect.any(String), TYPE_ID: 'PHONE', VALUE: `+${LUIS}`, VALUE_TYPE: 'MOBILE' }],
          UF_CRM_TIER: 'gold',
        },
      },
      tries: 1,
    });
    expect(stepOf(run, 'lead').output).toEqual({ id: bitrix.leads[0]!.ID });
  });

  it('addContact creates an unknown number’s contact with REGISTER_SONET_EVENT, then the lead for it', async () => {
    const run = await runOnMessage(flow('b24-new'), NEW_B24, 'Cotización, por favor', 'Marta');
    const created = [...bitrix.contacts.values()].find((c) => c.NAME === 'Marta');
    expect(created).toBeDefined();
    expect(bitrix.requests.map(seen)).toEqual([
      b24('crm.contact.list', { filter: { PHONE: `+${NEW_B24}` }, select: SELECT }),
      b24('crm.contact.add', {
        fields: { NAME: 'Marta', PHONE: [{ VALUE: `+${NEW_B24}`, VALUE_TYPE: 'MOBILE' }] },
        params: { REGISTER_SONET_EVENT: 'Y' },
      }),
      b24('crm.lead.add', {
        fields: {
          TITLE: 'WhatsApp: Marta',
          NAME: 'Marta',
          PHONE: [{ VALUE: `+${NEW_B24}`, VALUE_TYPE: 'MOBILE' }],
          COMMENTS: 'Cotización, por favor',
          SOURCE_ID: 'OTHER',
          CONTACT_ID: created!.ID,
        },
      }),
    ]);
    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'find').ports).toEqual(['notFound']);
    expect(stepOf(run, 'add').output).toEqual({ id: created!.ID });
  });
});

describe('notify.slack against fake Slack webhooks', () => {
  it('posts {text, blocks} to the named credential’s webhook, and to the team’s own', async () => {
    const run = await runOnMessage(
      messageFlow(
        'slack-notify',
        [
          {
            id: 'alert',
            type: 'notify.slack',
            params: { credential: 'slack-alerts', link: 'https://inbox.example/c/42', linkLabel: 'Abrir' },
          },
          {
            id: 'team',
            type: 'notify.slack',
            params: { team: 'soporte', text: 'Nueva conversación *urgente*' },
          },
        ],
        ['start->alert', 'alert->team'],
      ),
      ANA,
      'Mi factura <!channel> & más',
    );
    const text = '*Ana* (+34600111222): Mi factura &lt;!channel&gt; &amp; más';
    expect(slack.requests.map(seen)).toEqual([
      {
        method: 'POST',
        path: SLACK_PATH,
        query: {},
        authorization: null,
        contentType: 'application/json',
        body: {
          text,
          blocks: [
            { type: 'section', text: { type: 'mrkdwn', text } },
            { type: 'context', elements: [{ type: 'mrkdwn', text: '<https://inbox.example/c/42|Abrir>' }] },
          ],
        },
      },
    ]);
    expect(teamSlack.requests.map(seen)).toEqual([
      {
        method: 'POST',
        path: TEAM_SLACK_PATH,
        query: {},
        authorization: null,
        contentType: 'application/json',
        body: {
          text: 'Nueva conversación *urgente*',
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Nueva conversación *urgente*' } }],
        },
      },
    ]);
    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'alert')).toEqual({
      ports: ['out'],
      output: { credential: 'slack-alerts', status: 200 },
      tries: 1,
    });
    expect(stepOf(run, 'team').output).toEqual({ credential: 'slack-team', status: 200 });
  });
});

describe('helpdesk.createTicket against the fake Zendesk and Freshdesk', () => {
  it('opens a Zendesk ticket with Basic email/token auth, the requester’s name and the number in the comment', async () => {
    const run = await runOnMessage(
      messageFlow(
        'zendesk-ticket',
        [
          {
            id: 'ticket',
            type: 'helpdesk.createTicket',
            params: {
              provider: 'zendesk',
              credential: 'zendesk',
              subject: 'WhatsApp: pedido',
              priority: 'urgent',
            },
          },
        ],
        ['start->ticket'],
      ),
      ANA,
      'Mi pedido no ha llegado',
    );
    expect(helpdesk.requests.map(seen)).toEqual([
      {
        method: 'POST',
        path: '/api/v2/tickets.json',
        query: {},
        authorization: basic(`${ZENDESK.email}/token`, ZENDESK.apiToken),
        contentType: 'application/json',
        body: {
          ticket: {
            subject: 'WhatsApp: pedido',
            comment: { body: `Mi pedido no ha llegado\n\nWhatsApp: +${ANA}` },
            priority: 'urgent',
            requester: { name: 'Ana' },
          },
        },
      },
    ]);
    expect(helpdesk.zendesk.tickets).toHaveLength(1);
    expect(stepOf(run, 'ticket')).toEqual({
      ports: ['out'],
      output: { ticketId: String(helpdesk.zendesk.tickets[0]!.id), provider: 'zendesk' },
      tries: 1,
    });
  });

  it('opens a Freshdesk ticket with Basic apikey:X auth, numbered priority and status Open', async () => {
    const run = await runOnMessage(
      messageFlow(
        'freshdesk-ticket',
        [
          {
            id: 'ticket',
            type: 'helpdesk.createTicket',
            params: {
              provider: 'freshdesk',
              credential: 'freshdesk',
              subject: 'WhatsApp: devolución',
              priority: 'high',
            },
          },
        ],
        ['start->ticket'],
      ),
      ANA,
      'Quiero devolver las zapatillas',
    );
    expect(helpdesk.requests.map(seen)).toEqual([
      {
        method: 'POST',
        path: '/api/v2/tickets',
        query: {},
        authorization: basic(FRESHDESK_KEY, 'X'),
        contentType: 'application/json',
        body: {
          subject: 'WhatsApp: devolución',
          description: 'Quiero devolver las zapatillas',
          name: 'Ana',
          phone: `+${ANA}`,
          priority: 3,
          status: 2,
        },
      },
    ]);
    expect(helpdesk.freshdesk.tickets).toHaveLength(1);
    expect(stepOf(run, 'ticket')).toEqual({
      ports: ['out'],
      output: { ticketId: String(helpdesk.freshdesk.tickets[0]!.id), provider: 'freshdesk' },
      tries: 1,
    });
  });
});

describe('http.request against a fake orders API', () => {
  it('sends the method, query, headers, bearer auth and JSON body, and maps the answer into variables', async () => {
    const run = await runOnMessage(
      messageFlow(
        'orders-call',
        [
          {
            id: 'call',
            type: 'http.request',
            params: {
              method: 'POST',
              url: '/orders/search',
              query: { status: 'open', customer: '{{ trigger.profileName }}' },
              headers: { 'X-Request-Source': 'switchboard' },
              body: { phone: '{{ trigger.waId }}', limit: 5 },
              credential: 'orders-api',
              saveAs: 'orders',
              map: [
                { variable: 'orderId', path: 'order.id' },
                { variable: 'secondSku', path: 'order.items[1].sku' },
                { variable: 'echoed', path: 'youSent' },
              ],
            },
          },
          {
            id: 'vars',
            type: 'data.code',
            params: {
              code: 'const v = input.vars; return { orderId: v.orderId, secondSku: v.secondSku, echoed: v.echoed, status: v.orders.status };',
            },
          },
        ],
        ['start->call', 'call->vars'],
      ),
      ANA,
      'Dónde está mi pedido',
    );
    expect(orders.requests.map((r) => ({ ...seen(r), source: r.headers['x-request-source'] }))).toEqual([
      {
        method: 'POST',
        path: '/v1/orders/search',
        query: { status: 'open', customer: 'Ana' },
        authorization: `Bearer ${ORDERS_TOKEN}`,
        contentType: 'application/json',
        body: { phone: ANA, limit: 5 },
        source: 'switchboard',
      },
    ]);
    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'call')).toMatchObject({
      ports: ['out'],
      output: {
        status: 200,
        body: {
          order: { id: 'ORD-7', total: 120.5, items: [{ sku: 'A1' }, { sku: 'B2' }] },
          youSent: 'Bearer [redacted]',
        },
      },
    });
    expect(stepOf(run, 'vars').output).toEqual({
      orderId: 'ORD-7',
      secondSku: 'B2',
      echoed: 'Bearer [redacted]',
      status: 200,
    });
  });
});

describe('secrets', () => {
  it('appear in no step output and no run record the execution API answered', () => {
    // Not vacuous: every test above recorded its run (the fakes checked that the secrets went out).
    expect(executions.length).toBeGreaterThanOrEqual(14);
    for (const execution of executions) {
      expect(execution).toContain('"steps"');
      for (const secret of SECRETS) expect(execution).not.toContain(secret);
    }
  });
});
