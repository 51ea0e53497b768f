import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapturedServer } from './captured-server.js';
import { startFakeBitrix24 } from './fakes/fake-bitrix24.js';
import { startFakeHubSpot } from './fakes/fake-hubspot.js';
import { type FakeServer, startRecorder } from './fakes/recorder.js';
import { tempDir, waitFor } from './process-helpers.js';
import { flowDoc, type Loose } from './wa-helpers.js';

const KEY = 'credentials-test-key-0123456789';
const HUBSPOT_TOKEN = 'pat-na1-SECRET-7f3c9a1e-hubspot';
const BEARER_TOKEN = 'tok-SECRET-bearer-5e8d2b7c';
const BITRIX_CODE = 'SECRETbitrixCODE4242';

/** The whole server in this process, its log and answers captured (see captured-server.ts). */
const startServer = (dataDir: string) => startCapturedServer(dataDir, { SWITCHBOARD_API_KEY: KEY });

describe('/api/credentials', () => {
  const dataDir = tempDir('sb-cred-');
  let s: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    s = await startServer(dataDir);
  });
  afterAll(async () => {
    await s.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores, lists, replaces and deletes; answers carry name, type and times only', async () => {
    const created = await s.api('/api/credentials', {
      method: 'POST',
      json: { name: 'crm_main', type: 'hubspot', data: { accessToken: HUBSPOT_TOKEN } },
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual([
      'createdAt',
      'lastUsedAt',
      'name',
      'type',
      'updatedAt',
    ]);
    expect(created.body).toMatchObject({ name: 'crm_main', type: 'hubspot', lastUsedAt: null });

    const again = await s.api('/api/credentials', {
      method: 'POST',
      json: {
        name: 'crm_main',
        type: 'slack',
        data: { webhookUrl: 'https://hooks.slack.com/services/T/B/abc' },
      },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('credential_exists');

    await s.api('/api/credentials', {
      method: 'POST',
      json: {
        name: 'alerts-1',
        type: 'slack',
        data: { webhookUrl: 'https://hooks.slack.com/services/T1/B1/SECRETslackPATH' },
      },
    });
    const listed = await s.api('/api/credentials');
    expect(listed.body.items.map((c: Loose) => `${c.name}:${c.type}`)).toEqual([
      'alerts-1:slack',
      'crm_main:hubspot',
    ]);
    expect((await s.api('/api/credentials/crm_main')).body).toEqual(created.body);

    const replaced = await s.api('/api/credentials/crm_main', {
      method: 'PUT',
      json: { type: 'httpBearer', data: { token: BEARER_TOKEN, baseUrl: 'https://api.example.com/v1' } },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      name: 'crm_main',
      type: 'httpBearer',
      createdAt: created.body.createdAt,
    });
    const unknown = await s.api('/api/credentials/nope', {
      method: 'PUT',
      json: { type: 'httpBearer', data: { token: 'x' } },
    });
    expect(unknown.status).toBe(404);

    expect((await s.api('/api/credentials/alerts-1', { method: 'DELETE' })).status).toBe(204);
    expect((await s.api('/api/credentials/alerts-1', { method: 'DELETE' })).status).toBe(404);
    expect((await s.api('/api/credentials/alerts-1')).status).toBe(404);
  });

  it('answers 400 naming the bad field of data for its type, the type, or the name', async () => {
    const post = (json: unknown) => s.api('/api/credentials', { method: 'POST', json });
    const bitrix = await post({
      name: 'b24',
      type: 'bitrix24',
      data: { webhookUrl: 'https://acme.bitrix24.com/SECRETnotRest' },
    });
    expect(bitrix.status).toBe(400);
    expect(bitrix.body.problems).toEqual([
      {
        path: '$.body.data.webhookUrl',
        message: 'must be the inbound webhook URL, like https://<portal>.bitrix24.com/rest/<user id>/<code>/',
      },
    ]);
    const missing = await post({ name: 'hs', type: 'hubspot', data: {} });
    expect(missing.body.problems.map((p: Loose) => p.path)).toEqual(['$.body.data.accessToken']);
    const extra = await post({ name: 'hs', type: 'hubspot', data: { accessToken: 'x', token: 'y' } });
    expect(extra.body.problems).toEqual([{ path: '$.body.data', message: 'Unrecognized key: "token"' }]);
    const type = await post({ name: 'x', type: 'salesforce', data: {} });
    expect(type.body.problems.map((p: Loose) => p.path)).toEqual(['$.body.type']);
    const name = await post({ name: 'has space', type: 'httpBearer', data: { token: 't' } });
    expect(name.body.problems).toEqual([
      { path: '$.body.name', message: 'must be 1-60 letters, digits, "-" or "_"' },
    ]);
    expect((await post({ name: 'x'.repeat(61), type: 'httpBearer', data: { token: 't' } })).status).toBe(400);
    expect(JSON.stringify(bitrix.body)).not.toContain('SECRETnotRest');
  });

  it('is in the OpenAPI document, with one request shape per credential type', async () => {
    const doc = (await s.api('/api/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/credentials']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/credentials/{name}']).sort()).toEqual(['delete', 'get', 'put']);
    const post = doc.paths['/api/credentials'].post;
    const variants =
      post.requestBody.content['application/json'].schema.oneOf ??
      post.requestBody.content['application/json'].schema.anyOf;
    expect(variants.map((v: Loose) => v.properties.type.const).sort()).toEqual([
      'bitrix24',
      'httpBasic',
      'httpBearer',
      'httpHeader',
      'hubspot',
      'slack',
    ]);
    expect(Object.keys(post.responses).sort()).toEqual(['201', '400', '409']);
    expect(doc.paths['/api/credentials'].get.tags).toEqual(['credentials']);
  });
});

describe('a stored secret in use', () => {
  const dataDir = tempDir('sb-cred-secret-');
  let hubspot: Awaited<ReturnType<typeof startFakeHubSpot>>;
  let bitrix: Awaited<ReturnType<typeof startFakeBitrix24>>;
  let echo: FakeServer;
  let s: Awaited<ReturnType<typeof startServer>>;
  const logs: string[] = [];
  const answers: string[] = [];

  beforeAll(async () => {
    [hubspot, bitrix] = await Promise.all([
      startFakeHubSpot({ token: HUBSPOT_TOKEN, contacts: [{ phone: '5215512345678', firstname: 'Ana' }] }),
      startFakeBitrix24({ code: BITRIX_CODE }),
    ]);
    // Echoes the Authorization header back, like httpbin: the answer must not bring the secret in.
    echo = await startRecorder((req) => ({
      status: 200,
      json: { youSent: req.headers.authorization ?? null },
    }));
    s = await startServer(dataDir);
  });
  afterAll(async () => {
    await Promise.all([hubspot.close(), bitrix.close(), echo.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is applied by rt.http, records its last use, and survives a restart (sealed by the vault key)', async () => {
    const stored = await s.api('/api/credentials', {
      method: 'POST',
      json: { name: 'crm', type: 'hubspot', data: { accessToken: HUBSPOT_TOKEN, baseUrl: hubspot.url } },
    });
    expect(stored.status).toBe(201);
    await s.api('/api/credentials', {
      method: 'POST',
      json: { name: 'b24', type: 'bitrix24', data: { webhookUrl: `${bitrix.url}/rest/1/${BITRIX_CODE}` } },
    });
    const search = () =>
      s.rt.http.request({
        method: 'POST',
        url: '/crm/v3/objects/contacts/search',
        body: {
          filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'EQ', value: '5215512345678' }] }],
        },
        credential: 'crm',
        credentialTypes: ['hubspot'],
        timeoutMs: 2000,
      });
    const found = await search();
    expect(found).toMatchObject({ ok: true, status: 200, body: { total: 1 } });
    expect(hubspot.requests.at(-1)!.headers.authorization).toBe(`Bearer ${HUBSPOT_TOKEN}`);
    const listed = await s.api('/api/credentials/crm');
    expect(listed.body.lastUsedAt).toEqual(expect.any(String));

    // A failing call: its message and logged line name scheme and host only.
    const bitrixFailed = await s.rt.http.request({
      method: 'POST',
      url: 'crm.no.such.method.json',
      body: {},
      credential: 'b24',
      timeoutMs: 2000,
    });
    expect(bitrixFailed).toMatchObject({ ok: false, reason: 'http_status', status: 404 });
    expect(JSON.stringify(bitrixFailed)).not.toContain(BITRIX_CODE);

    logs.push(...s.log);
    answers.push(...s.answers);
    await s.close();
    s = await startServer(dataDir);
    expect(await search()).toMatchObject({ ok: true, body: { total: 1 } });
  });

  it('reaches nodes through the engine services: an http.request step stores no echoed secret', async () => {
    await s.api('/api/credentials', {
      method: 'POST',
      json: { name: 'echo', type: 'httpBearer', data: { token: BEARER_TOKEN, baseUrl: echo.url } },
    });
    const flow = flowDoc(
      'call-api',
      [
        {
          id: 'call',
          type: 'http.request',
          params: { method: 'POST', url: '/orders', body: { id: 42 }, credential: 'echo' },
        },
      ],
      ['start->call'],
    );
    expect((await s.api('/api/flows', { method: 'POST', json: flow })).status).toBe(201);
    const runId = (await s.api('/api/flows/call-api/runs', { method: 'POST', json: { payload: {} } })).body
      .runId;
    const run = await waitFor(async () => {
      const r = (await s.api(`/api/executions/${runId}`)).body;
      return ['succeeded', 'failed'].includes(r.status) ? r : undefined;
    });
    expect(run.status).toBe('succeeded');
    expect(echo.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/orders',
      body: { id: 42 },
      headers: { authorization: `Bearer ${BEARER_TOKEN}` },
    });
    expect(run.steps.find((step: Loose) => step.nodeId === 'call').output.body).toEqual({
      youSent: 'Bearer [redacted]',
    });
    logs.push(...s.log);
    answers.push(...s.answers);
    await s.close();
  });

  it('appears in no API answer, no log line and no byte of the data dir', () => {
    const secrets = [HUBSPOT_TOKEN, BEARER_TOKEN, BITRIX_CODE];
    // Not vacuous: there were answers, the outbound requests were logged, and the rows are in the files.
    expect(answers.length).toBeGreaterThan(5);
    expect(logs.some((l) => l.includes('"msg":"outbound request"') && l.includes(bitrix.url))).toBe(true);
    const files = readdirSync(dataDir).map((f) => readFileSync(join(dataDir, f)));
    expect(files.some((bytes) => bytes.includes('call-api'))).toBe(true);
    for (const secret of secrets) {
      for (const a of answers) expect(a).not.toContain(secret);
      for (const l of logs) expect(l).not.toContain(secret);
      for (const bytes of files) expect(bytes.includes(secret)).toBe(false);
    }
  });
});
