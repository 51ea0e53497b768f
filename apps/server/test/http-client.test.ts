import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpOutcome, HttpRequest } from '@switchboard/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCredential } from '../src/http/apply-credential.js';
import { HttpClient } from '../src/http/client.js';
import {
  type Credential,
  type CredentialInput,
  type CredentialType,
  parseCredentialData,
} from '../src/http/credential-types.js';
import type { CredentialSource } from '../src/http/credentials.js';
import { allowRules, OutboundGuard } from '../src/http/guard.js';
import { startFakeBitrix24 } from './fakes/fake-bitrix24.js';
import { startFakeHelpdesk } from './fakes/fake-helpdesk.js';
import { startFakeHubSpot } from './fakes/fake-hubspot.js';
import { startFakeSlack } from './fakes/fake-slack.js';
import { startRecorder } from './fakes/recorder.js';
import type { Loose } from './wa-helpers.js';

function credential<T extends CredentialType>(
  name: string,
  type: T,
  data: CredentialInput['data'],
): Credential {
  const parsed = parseCredentialData(type, data);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return { name, type, data: parsed.data } as Credential;
}

/** An in-memory credential store that records every use. */
function source(list: Credential[]): CredentialSource & { touches: string[] } {
  const byName = new Map(list.map((c) => [c.name, c]));
  const touches: string[] = [];
  return {
    touches,
    lookup: (name) => {
      const c = byName.get(name);
      return c ? { ok: true, credential: c } : { ok: false, message: `credential "${name}" does not exist` };
    },
    touch: (name) => {
      touches.push(name);
    },
  };
}

/** The fakes listen on 127.0.0.1, which the outbound guard refuses unless allowed. */
const loopback = new OutboundGuard({ allow: allowRules('127.0.0.1') });

const ok = (outcome: HttpOutcome) => {
  if (!outcome.ok) throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  return outcome as Extract<HttpOutcome, { ok: true }> & { body: Loose };
};
const failed = (outcome: HttpOutcome) => {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome as Extract<HttpOutcome, { ok: false }> & { body: Loose };
};

describe('applyCredential', () => {
  const hubspot = credential('crm', 'hubspot', { accessToken: 'pat-na1-secret-token' });

  it('hubspot: joins the path to the default base and sets a Bearer header the node cannot override', () => {
    const target = applyCredential(hubspot, {
      url: '/crm/v3/objects/contacts',
      query: { archived: 'false' },
      headers: { Authorization: 'Bearer forged', 'X-Trace': '1' },
    });
    expect(target.url.href).toBe('https://api.hubapi.com/crm/v3/objects/contacts?archived=false');
    expect(target.headers).toEqual({ authorization: 'Bearer pat-na1-secret-token', 'x-trace': '1' });
  });

  it('vendor credentials send only under their base: an absolute URL elsewhere is refused without the secret', () => {
    expect(applyCredential(hubspot, { url: 'https://api.hubapi.com/crm/v3/objects/notes' }).url.href).toBe(
      'https://api.hubapi.com/crm/v3/objects/notes',
    );
    expect(() => applyCredential(hubspot, { url: 'https://attacker.example/crm' })).toThrow(
      'credential "crm" (hubspot) sends only to https://api.hubapi.com/: give a path relative to it',
    );
  });

  it('bitrix24: the method path goes after the webhook URL, with no auth header, and cannot climb out of it', () => {
    const bitrix = credential('b24', 'bitrix24', {
      webhookUrl: 'https://acme.bitrix24.com/rest/1/abcSECRET123',
    });
    for (const url of ['crm.contact.add.json', '/crm.contact.add.json']) {
      const target = applyCredential(bitrix, { url });
      expect(target.url.href).toBe('https://acme.bitrix24.com/rest/1/abcSECRET123/crm.contact.add.json');
      expect(target.headers).toEqual({});
    }
    let message = '';
    try {
      applyCredential(bitrix, { url: '../../2/other/crm.contact.add.json' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('the path must stay under the base URL of credential "b24" (bitrix24)');
    expect(() => applyCredential(bitrix, { url: 'https://acme.bitrix24.com/rest/2/other/x.json' })).toThrow(
      'sends only to https://acme.bitrix24.com: give a path',
    );
  });

  it('slack: posts to the webhook URL itself; any path is refused', () => {
    const slack = credential('alerts', 'slack', {
      webhookUrl: 'https://hooks.slack.com/services/T1/B2/SECRETxyz123',
    });
    expect(applyCredential(slack, { url: '' }).url.href).toBe(
      'https://hooks.slack.com/services/T1/B2/SECRETxyz123',
    );
    expect(() => applyCredential(slack, { url: 'chat.postMessage' })).toThrow(
      'posts to its webhook URL only',
    );
  });

  it('generic types: Basic, Bearer and a named header; absolute URLs only without a base URL', () => {
    const basic = credential('zd', 'httpBasic', {
      username: 'agent@example.com/token',
      password: 'zd-token',
      baseUrl: 'https://acme.zendesk.com/api/v2',
    });
    const target = applyCredential(basic, { url: 'tickets.json' });
    expect(target.url.href).toBe('https://acme.zendesk.com/api/v2/tickets.json');
    expect(target.headers.authorization).toBe(
      `Basic ${Buffer.from('agent@example.com/token:zd-token').toString('base64')}`,
    );
    const header = credential('k', 'httpHeader', { name: 'X-Api-Key', value: 'key-0123456789' });
    expect(applyCredential(header, { url: 'https://api.example.com/v1/items' }).headers).toEqual({
      'x-api-key': 'key-0123456789',
    });
    const bearer = credential('b', 'httpBearer', { token: 'tok-0123456789' });
    expect(applyCredential(bearer, { url: 'https://api.example.com/x' }).headers).toEqual({
      authorization: 'Bearer tok-0123456789',
    });
    expect(() => applyCredential(bearer, { url: '/x' })).toThrow(
      'credential "b" (httpBearer) has no base URL, so the URL must be absolute',
    );
  });

  it('without a credential: absolute http(s) only', () => {
    expect(applyCredential(null, { url: 'http://example.com/a' }).url.href).toBe('http://example.com/a');
    expect(() => applyCredential(null, { url: '/a' })).toThrow(
      'a relative path needs a credential with a base URL',
    );
    expect(() => applyCredential(null, { url: 'file:///etc/passwd' })).toThrow('must be an http(s) URL');
  });
});

describe('credential data', () => {
  it('checks each type and names the bad field, never echoing the value', () => {
    const bad = parseCredentialData('bitrix24', { webhookUrl: 'https://acme.bitrix24.com/api/SECRETVALUE' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'webhookUrl',
        'must be the inbound webhook URL, like https://<portal>.bitrix24.com/rest/<user id>/<code>/',
      ],
    ]);
    expect(JSON.stringify(bad.error?.issues)).not.toContain('SECRETVALUE');
    expect(
      parseCredentialData('slack', { webhookUrl: 'http://hooks.slack.com/services/T/B/x' }).success,
    ).toBe(false);
    expect(parseCredentialData('hubspot', { accessToken: 'a\r\nX-Evil: 1' }).success).toBe(false);
    expect(parseCredentialData('httpBasic', { username: 'a:b', password: 'x' }).success).toBe(false);
    expect(parseCredentialData('httpHeader', { name: 'Host', value: 'x' }).success).toBe(false);
    expect(parseCredentialData('hubspot', { accessToken: 't', extra: 1 }).error?.issues[0]?.message).toBe(
      'Unrecognized key: "extra"',
    );
    expect(
      parseCredentialData('bitrix24', { webhookUrl: 'https://acme.bitrix24.com/rest/1/abc' }).data,
    ).toEqual({ webhookUrl: 'https://acme.bitrix24.com/rest/1/abc/' });
  });
});

describe('HttpClient against the fake vendors', () => {
  let hubspot: Awaited<ReturnType<typeof startFakeHubSpot>>;
  let bitrix: Awaited<ReturnType<typeof startFakeBitrix24>>;
  let slack: Awaited<ReturnType<typeof startFakeSlack>>;
  let helpdesk: Awaited<ReturnType<typeof startFakeHelpdesk>>;
  let store: ReturnType<typeof source>;
  let client: HttpClient;

  beforeAll(async () => {
    [hubspot, bitrix, slack, helpdesk] = await Promise.all([
      startFakeHubSpot({
        contacts: [{ phone: '5215512345678', firstname: 'Ana', email: 'ana@example.com' }],
      }),
      startFakeBitrix24({
        contacts: [{ NAME: 'Ana', PHONE: [{ VALUE: '+5215512345678', VALUE_TYPE: 'MOBILE' }] }],
      }),
      startFakeSlack(),
      startFakeHelpdesk(),
    ]);
    store = source([
      credential('crm', 'hubspot', { accessToken: hubspot.token, baseUrl: hubspot.url }),
      credential('crm-wrong', 'hubspot', { accessToken: 'pat-na1-wrong-token-000', baseUrl: hubspot.url }),
      credential('b24', 'bitrix24', { webhookUrl: bitrix.webhookUrl }),
      credential('b24-wrong', 'bitrix24', { webhookUrl: `${bitrix.url}/rest/1/wrongCODE987654/` }),
      credential('alerts', 'slack', { webhookUrl: slack.webhookUrl }),
      credential('alerts-gone', 'slack', { webhookUrl: `${slack.url}/services/T0/B0/GONEgoneGONE1234` }),
      credential('zendesk', 'httpBasic', {
        username: `${helpdesk.zendesk.email}/token`,
        password: helpdesk.zendesk.apiToken,
        baseUrl: helpdesk.url,
      }),
      credential('freshdesk', 'httpBasic', {
        username: helpdesk.freshdesk.apiKey,
        password: 'X',
        baseUrl: helpdesk.url,
      }),
    ]);
    client = new HttpClient({ credentials: store, guard: loopback });
  });
  afterAll(async () => {
    await Promise.all([hubspot, bitrix, slack, helpdesk].map((f) => f?.close()));
  });

  const call = (args: Partial<HttpRequest> & Pick<HttpRequest, 'url'>) =>
    client.request({ method: 'POST', timeoutMs: 2000, ...args });

  it('hubspot: finds a seeded contact by phone with a Bearer token and a JSON search body', async () => {
    hubspot.reset();
    const body = {
      filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'EQ', value: '+52 1 55 1234 5678' }] }],
      properties: ['phone', 'firstname'],
      limit: 1,
    };
    const outcome = ok(
      await call({
        url: '/crm/v3/objects/contacts/search',
        body,
        credential: 'crm',
        credentialTypes: ['hubspot'],
      }),
    );
    expect(outcome.status).toBe(200);
    expect(outcome.headers['content-type']).toContain('application/json');
    expect(outcome.body.total).toBe(1);
    expect(outcome.body.results[0].properties).toMatchObject({ phone: '5215512345678', firstname: 'Ana' });
    const [req] = hubspot.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/crm/v3/objects/contacts/search', body });
    expect(req!.headers.authorization).toBe(`Bearer ${hubspot.token}`);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(store.touches).toContain('crm');
  });

  it('hubspot: creates a contact, then a ticket and a note associated with it', async () => {
    hubspot.reset();
    const contact = ok(
      await call({
        url: '/crm/v3/objects/contacts',
        body: { properties: { phone: '5215500000001', firstname: 'Luis' } },
        credential: 'crm',
      }),
    );
    expect(contact.status).toBe(201);
    const contactId = contact.body.id as string;
    expect(contact.body.properties).toMatchObject({ phone: '5215500000001', hs_object_id: contactId });
    const ticket = ok(
      await call({
        url: '/crm/v3/objects/tickets',
        credential: 'crm',
        body: {
          properties: {
            hs_pipeline: '0',
            hs_pipeline_stage: '1',
            subject: 'Refund',
            content: 'Order 42',
            hs_ticket_priority: 'HIGH',
          },
          associations: [
            {
              to: { id: contactId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 16 }],
            },
          ],
        },
      }),
    );
    expect(ticket.status).toBe(201);
    const note = ok(
      await call({
        url: '/crm/v3/objects/notes',
        credential: 'crm',
        body: {
          properties: {
            hs_timestamp: '2026-03-01T10:00:00.000Z',
            hs_note_body: 'Customer wrote on WhatsApp',
          },
          associations: [
            {
              to: { id: contactId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }],
            },
          ],
        },
      }),
    );
    expect(note.status).toBe(201);
    expect(hubspot.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /crm/v3/objects/contacts',
      'POST /crm/v3/objects/tickets',
      'POST /crm/v3/objects/notes',
    ]);
    expect(hubspot.tickets[0]?.associations[0]?.types[0]?.associationTypeId).toBe(16);
    expect(hubspot.notes[0]?.associations[0]?.to.id).toBe(contactId);
    const patched = ok(
      await call({
        method: 'PATCH',
        url: `/crm/v3/objects/contacts/${contactId}`,
        credential: 'crm',
        body: { properties: { lastname: 'Pérez' } },
      }),
    );
    expect(patched.body.properties.lastname).toBe('Pérez');
  });

  it('hubspot: a wrong token is an http_status 401 with HubSpot’s error body, and no token in the message', async () => {
    const outcome = failed(
      await call({ url: '/crm/v3/objects/contacts/search', body: {}, credential: 'crm-wrong' }),
    );
    expect(outcome).toMatchObject({ reason: 'http_status', status: 401 });
    expect(outcome.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect(outcome.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(outcome.message).toMatch(
      new RegExp(
        `^POST ${hubspot.url}/crm/v3/objects/contacts/search answered 401: Authentication credentials not found`,
      ),
    );
    expect(outcome.message).not.toContain('pat-na1-wrong-token-000');
  });

  it('bitrix24: calls methods under the webhook URL with no auth header', async () => {
    bitrix.reset();
    const list = ok(
      await call({
        url: 'crm.contact.list.json',
        credential: 'b24',
        credentialTypes: ['bitrix24'],
        body: { filter: { PHONE: '+5215512345678' }, select: ['ID', 'NAME', 'PHONE'] },
      }),
    );
    expect(list.body).toMatchObject({
      total: 1,
      result: [{ NAME: 'Ana', PHONE: [{ VALUE: '+5215512345678' }] }],
    });
    expect(list.body.time.duration).toBeTypeOf('number');
    const added = ok(
      await call({
        url: 'crm.contact.add.json',
        credential: 'b24',
        body: { fields: { NAME: 'Luis', PHONE: [{ VALUE: '+5215500000002', VALUE_TYPE: 'WORK' }] } },
      }),
    );
    expect(added.body.result).toBeTypeOf('number');
    const lead = ok(
      await call({
        url: 'crm.lead.add.json',
        credential: 'b24',
        body: { fields: { TITLE: 'WhatsApp lead' } },
      }),
    );
    expect(lead.body.result).toBeTypeOf('number');
    expect(bitrix.requests.map((r) => r.path)).toEqual([
      `/rest/1/${bitrix.code}/crm.contact.list.json`,
      `/rest/1/${bitrix.code}/crm.contact.add.json`,
      `/rest/1/${bitrix.code}/crm.lead.add.json`,
    ]);
    for (const r of bitrix.requests) expect(r.headers.authorization).toBeUndefined();
    expect(bitrix.leads[0]).toMatchObject({ TITLE: 'WhatsApp lead' });
  });

  it('bitrix24: a wrong code is a 401 INVALID_CREDENTIALS whose message shows only scheme and host', async () => {
    const outcome = failed(await call({ url: 'crm.contact.list.json', credential: 'b24-wrong', body: {} }));
    expect(outcome).toMatchObject({
      reason: 'http_status',
      status: 401,
      body: { error: 'INVALID_CREDENTIALS' },
    });
    expect(outcome.message).toBe(`POST ${bitrix.url} answered 401: Invalid request credentials`);
  });

  it('slack: posts to the webhook and reads the text answer; a dead webhook is a 404 no_service', async () => {
    slack.reset();
    const sent = ok(
      await call({
        url: '',
        credential: 'alerts',
        credentialTypes: ['slack'],
        body: { text: 'New chat in Billing' },
      }),
    );
    expect(sent).toMatchObject({ status: 200, body: 'ok' });
    expect(slack.messages).toEqual([{ text: 'New chat in Billing' }]);
    expect(slack.requests[0]!.headers.authorization).toBeUndefined();
    const gone = failed(await call({ url: '', credential: 'alerts-gone', body: { text: 'x' } }));
    expect(gone).toMatchObject({ reason: 'http_status', status: 404, body: 'no_service' });
    expect(gone.message).toBe(`POST ${slack.url} answered 404: no_service`);
    const empty = failed(await call({ url: '', credential: 'alerts', body: {} }));
    expect(empty).toMatchObject({ status: 400, body: 'no_text' });
  });

  it('zendesk and freshdesk: Basic auth with the documented usernames', async () => {
    helpdesk.reset();
    const zendesk = ok(
      await call({
        url: '/api/v2/tickets.json',
        credential: 'zendesk',
        credentialTypes: ['httpBasic'],
        body: {
          ticket: {
            subject: 'Refund',
            comment: { body: 'Order 42' },
            priority: 'high',
            requester: { name: 'Ana' },
          },
        },
      }),
    );
    expect(zendesk.status).toBe(201);
    expect(zendesk.body.ticket).toMatchObject({ subject: 'Refund', status: 'new', priority: 'high' });
    const freshdesk = ok(
      await call({
        url: '/api/v2/tickets',
        credential: 'freshdesk',
        body: {
          subject: 'Refund',
          description: 'Order 42',
          phone: '+5215512345678',
          name: 'Ana',
          priority: 3,
          status: 2,
        },
      }),
    );
    expect(freshdesk.body).toMatchObject({ subject: 'Refund', priority: 3, status: 2 });
    const [z, f] = helpdesk.requests;
    expect(z!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${helpdesk.zendesk.email}/token:${helpdesk.zendesk.apiToken}`).toString('base64')}`,
    );
    expect(f!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${helpdesk.freshdesk.apiKey}:X`).toString('base64')}`,
    );
    const invalid = failed(
      await call({
        url: '/api/v2/tickets',
        credential: 'freshdesk',
        body: { subject: 'x', description: 'y', phone: '+1' },
      }),
    );
    expect(invalid).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'name', code: 'missing_field' }] },
    });
    expect(invalid.message).toContain('answered 400: Validation failed');
  });

  it('injected failures answer the next N requests, then the fake serves normally (retry tests)', async () => {
    hubspot.failNext(2, 429);
    const search = () => call({ url: '/crm/v3/objects/contacts/search', credential: 'crm', body: {} });
    const first = failed(await search());
    expect(first).toMatchObject({ reason: 'http_status', status: 429, body: { category: 'RATE_LIMITS' } });
    expect(failed(await search()).status).toBe(429);
    expect(ok(await search()).status).toBe(200);
    expect(hubspot.requests.slice(-3).map((r) => r.injected)).toEqual([true, true, false]);
  });

  it('the credential must exist and be of a type the node accepts', async () => {
    const before = store.touches.length;
    expect(failed(await call({ url: '', credential: 'nope', body: {} }))).toEqual({
      ok: false,
      reason: 'credential',
      status: null,
      message: 'credential "nope" does not exist',
    });
    expect(
      failed(
        await call({ url: '/crm/v3/objects/contacts', credential: 'alerts', credentialTypes: ['hubspot'] }),
      ).message,
    ).toBe('credential "alerts" is of type slack; this node needs hubspot');
    expect(failed(await call({ url: '/x', credentialTypes: ['hubspot', 'httpBearer'] })).message).toBe(
      'this node needs a credential of type hubspot or httpBearer; none is named',
    );
    expect(store.touches.length).toBe(before);
  });

  it('refuses requests it cannot send as asked', async () => {
    expect(failed(await call({ method: 'GET', url: `${slack.url}/x`, body: { a: 1 } }))).toMatchObject({
      reason: 'bad_request',
      message: `GET ${slack.url}/x: a GET request cannot have a body`,
    });
    expect(failed(await call({ url: `${slack.url}/x`, headers: { 'x-a': 'v\r\nx-b: 1' } })).message).toBe(
      `POST ${slack.url}/x: header "x-a" has an invalid value`,
    );
    expect(failed(await call({ url: '/relative' })).reason).toBe('bad_request');
  });
});

describe('HttpClient limits', () => {
  const client = new HttpClient({ credentials: source([]), guard: loopback });

  it('gives up after timeoutMs with reason timeout', async () => {
    const slow = await startRecorder(() => ({ status: 200, json: { late: true } }));
    slow.stallNext(1, 1500);
    const started = Date.now();
    const outcome = failed(await client.request({ method: 'GET', url: `${slow.url}/slow`, timeoutMs: 150 }));
    expect(outcome).toMatchObject({
      reason: 'timeout',
      status: null,
      message: `GET ${slow.url}/slow: no answer within 150 ms`,
    });
    expect(Date.now() - started).toBeLessThan(1000);
    await slow.close();
  });

  it("stops when the step's signal aborts", async () => {
    const slow = await startRecorder(() => ({ status: 200, json: {} }));
    slow.stallNext(1, 1500);
    const step = new AbortController();
    setTimeout(() => step.abort(), 50);
    const outcome = failed(
      await client.request({ method: 'GET', url: `${slow.url}/slow`, timeoutMs: 5000, signal: step.signal }),
    );
    expect(outcome.reason).toBe('timeout');
    expect(outcome.message).toContain("aborted (the step's timeout passed or the run was cancelled)");
    await slow.close();
  });

  it('refuses answers over the size limit, declared or streamed', async () => {
    const big = await startRecorder(() => ({ status: 200, text: 'x'.repeat(3 * 1024 * 1024) }));
    const declared = failed(await client.request({ method: 'GET', url: `${big.url}/big`, timeoutMs: 5000 }));
    expect(declared).toMatchObject({ reason: 'too_large', status: 200 });
    expect(declared.message).toBe(`GET ${big.url}/big: the answer is larger than 2097152 bytes`);
    await big.close();

    // Chunked, no content-length: counted while reading.
    const streaming = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'y'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 40 && res.write(chunk)) sent++;
        if (sent < 40) res.once('drain', pump);
        else res.end();
      };
      pump();
    }).listen(0, '127.0.0.1');
    await new Promise((r) => streaming.once('listening', r));
    const port = (streaming.address() as AddressInfo).port;
    const small = new HttpClient({ credentials: source([]), maxResponseBytes: 256 * 1024, guard: loopback });
    expect(
      failed(await small.request({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 5000 }))
        .reason,
    ).toBe('too_large');
    streaming.closeAllConnections();
    streaming.close();
  });

  it('reports a refused connection as network, naming only scheme and host for a secret URL', async () => {
    const dead = await startRecorder(() => ({ status: 200 }));
    const url = dead.url;
    await dead.close();
    const slack = credential('dead', 'slack', { webhookUrl: `${url}/services/T1/B1/DEADdeadDEAD1234` });
    const outcome = failed(
      await new HttpClient({ credentials: source([slack]), guard: loopback }).request({
        method: 'POST',
        url: '',
        credential: 'dead',
        body: { text: 'x' },
        timeoutMs: 2000,
      }),
    );
    expect(outcome.reason).toBe('network');
    expect(outcome.message).toBe(`POST ${url}: connection refused (ECONNREFUSED)`);
  });

  it('scrubs a secret that the server echoes back from the body and headers', async () => {
    const echo = await startRecorder((req) => ({
      status: 200,
      json: { seen: req.headers.authorization, nested: [`token=${req.headers.authorization?.slice(7)}`] },
      headers: { 'x-echo': req.headers.authorization ?? '' },
    }));
    const bearer = credential('api', 'httpBearer', { token: 'tok-ECHOED-0123456789', baseUrl: echo.url });
    const outcome = ok(
      await new HttpClient({ credentials: source([bearer]), guard: loopback }).request({
        method: 'GET',
        url: '/me',
        credential: 'api',
        timeoutMs: 2000,
      }),
    );
    expect(echo.requests[0]!.headers.authorization).toBe('Bearer tok-ECHOED-0123456789');
    expect(outcome.body).toEqual({ seen: 'Bearer [redacted]', nested: ['token=[redacted]'] });
    expect(outcome.headers['x-echo']).toBe('Bearer [redacted]');
  });

  it('parses JSON by content type and keeps text (or malformed JSON) as text', async () => {
    const answers = await startRecorder((req) =>
      req.path === '/json'
        ? { status: 200, json: { a: 1 } }
        : req.path === '/broken'
          ? { status: 200, text: '{not json', headers: { 'content-type': 'application/json' } }
          : req.path === '/empty'
            ? { status: 204 }
            : { status: 200, text: 'plain' },
    );
    const get = async (path: string) =>
      ok(await client.request({ method: 'GET', url: `${answers.url}${path}`, timeoutMs: 2000 })).body;
    expect(await get('/json')).toEqual({ a: 1 });
    expect(await get('/broken')).toBe('{not json');
    expect(await get('/text')).toBe('plain');
    expect(await get('/empty')).toBeNull();
    await answers.close();
  });
});
