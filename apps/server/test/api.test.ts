// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
type Loose = any;

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess } from './in-process.js';
import { waitFor } from './process-helpers.js';

const KEY = 'api-test-key-0123456789';
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ base, close } = await startInProcess({
    SWITCHBOARD_API_KEY: KEY,
  }));
});
afterAll(() => close());

const api = (path: string, init: RequestInit & { json?: unknown } = {}) =>
  fetch(`${base}${path}`, {
    ...init,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });

const node = (id: string, type: string, params: object = {}) => ({
  id,
  type,
  position: { x: 0, y: 0 },
  params,
});
const flowDoc = (id: string, extra: object = {}) => ({
  schemaVersion: 1,
  id,
  name: `Flow ${id}`,
  description: 'created by the API test',
  nodes: [node('start', 'trigger.manual'), node('log', 'action.log', { message: 'hola {{ trigger.name }}' })],
  edges: [{ id: 'e1', source: 'start', target: 'log' }],
  ...extra,
});

describe('API authentication', () => {
  it('refuses /api without a key or with a wrong one, and accepts the right one', async () => {
    expect((await fetch(`${base}/api/flows`)).status).toBe(401);
    expect((await fetch(`${base}/api/flows`, { headers: { authorization: 'Bearer nope' } })).status).toBe(
      401,
    );
    expect((await fetch(`${base}/api/flows`, { headers: { authorization: `Basic ${KEY}` } })).status).toBe(
      401,
    );
    expect((await api('/api/flows')).status).toBe(200);
  });

  it('keeps health, readiness, metrics and the OpenAPI document public', async () => {
    expect((await (await fetch(`${base}/healthz`)).json()) as Loose).toMatchObject({ status: 'ok' });
    expect((await (await fetch(`${base}/readyz`)).json()) as Loose).toEqual({
      status: 'ready',
      checks: { database: 'ok', scheduler: 'ok' },
    });
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^# HELP switchboard_/m);
  });
});

describe('flow import and validation', () => {
  it('rejects a flow with every kind of structural problem, listing each by path', async () => {
    const broken = {
      schemaVersion: 1,
      id: 'broken',
      name: 'Broken',
      nodes: [
        node('start', 'trigger.manual'),
        node('start', 'action.log', { message: 'dup' }),
        node('typo', 'action.lgo', { message: 'x' }),
        node('bad', 'flow.delay', { amount: -1 }),
        node('t2', 'trigger.manual'),
        node('a', 'action.log', { message: 'a' }),
        node('b', 'action.log', { message: 'b' }),
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'bad' },
        { id: 'e2', source: 'start', target: 'ghost' },
        { id: 'e3', source: 'bad', sourcePort: 'later', target: 'a' },
        { id: 'e4', source: 'a', target: 'start' },
        { id: 'e5', source: 'a', target: 'b' },
        { id: 'e6', source: 'b', target: 'a' },
      ],
    };
    const res = await api('/api/flows', { method: 'POST', json: broken });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Loose;
    expect(body.error).toBe('invalid_flow');
    expect(body.problems.map((p: { code: string; path: string }) => `${p.code} ${p.path}`)).toEqual(
      expect.arrayContaining([
        'duplicate_id $.nodes[1].id',
        'unknown_node_type $.nodes[2].type',
        'invalid_params $.nodes[3].params.amount',
        'multiple_triggers $.nodes[4].type',
        'dangling_edge $.edges[1].target',
        'unknown_port $.edges[2].sourcePort',
        'edge_into_trigger $.edges[3].target',
        'cycle_without_wait $.nodes[5]',
      ]),
    );
    expect(body.problems.every((p: { message: string }) => p.message.length > 5)).toBe(true);
    expect((await api('/api/flows/broken')).status).toBe(404);
  });

  it('refuses an expression that does not parse, naming its param, and stores nothing', async () => {
    const doc = {
      schemaVersion: 1,
      id: 'typo',
      name: 'Typo',
      nodes: [
        node('start', 'trigger.manual'),
        node('greet', 'action.log', { message: 'Total: {{ vars.total * }} €' }),
        node('big', 'condition.expression', { expression: 'vars.total > ' }),
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'greet' },
        { id: 'e2', source: 'greet', target: 'big' },
      ],
    };
    const res = await api('/api/flows', { method: 'POST', json: doc });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Loose;
    expect(body.problems.map((p: { code: string; path: string }) => `${p.code} ${p.path}`)).toEqual([
      'invalid_expression $.nodes[1].params.message',
      'invalid_expression $.nodes[2].params.expression',
    ]);
    expect(body.problems[0].message).toMatch(/\{\{ vars\.total \* \}\} does not parse/);
    expect((await api('/api/flows/typo')).status).toBe(404);
  });

  it('imports, exports and re-imports to an identical document', async () => {
    const created = await api('/api/flows', { method: 'POST', json: flowDoc('round-trip') });
    expect(created.status).toBe(201);
    expect(((await created.json()) as Loose).flow).toMatchObject({
      id: 'round-trip',
      version: 1,
      active: false,
    });
    const exported1 = await api('/api/flows/round-trip/export');
    expect(exported1.headers.get('content-disposition')).toBe('attachment; filename="round-trip.flow.json"');
    const doc1 = (await exported1.json()) as Loose;
    expect((await api('/api/flows/round-trip', { method: 'DELETE' })).status).toBe(204);
    expect((await api('/api/flows', { method: 'POST', json: doc1 })).status).toBe(201);
    const doc2 = (await (await api('/api/flows/round-trip/export')).json()) as Loose;
    expect(doc2).toEqual(doc1);
    expect(JSON.stringify(doc2)).toBe(JSON.stringify(doc1));
  });

  it('refuses a second import of the same id, and keeps a history of versions on save', async () => {
    await api('/api/flows', { method: 'POST', json: flowDoc('versioned') });
    expect((await api('/api/flows', { method: 'POST', json: flowDoc('versioned') })).status).toBe(409);
    const saved = await api('/api/flows/versioned', {
      method: 'PUT',
      json: flowDoc('versioned', { name: 'Renamed' }),
    });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as Loose).flow).toMatchObject({ name: 'Renamed', version: 2 });
    const same = await api('/api/flows/versioned', {
      method: 'PUT',
      json: flowDoc('versioned', { name: 'Renamed' }),
    });
    expect(((await same.json()) as Loose).flow.version).toBe(2);
    const versions = (await (await api('/api/flows/versioned/versions')).json()) as Loose;
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(((await (await api('/api/flows/versioned/versions/1')).json()) as Loose).name).toBe(
      'Flow versioned',
    );
    const mismatch = await api('/api/flows/versioned', { method: 'PUT', json: flowDoc('other') });
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as Loose).problems[0].path).toBe('$.id');
  });

  it('refuses secrets written into a flow', async () => {
    const doc = flowDoc('leaky');
    (doc.nodes[1]!.params as Record<string, unknown>).apiKey = 'sk-live-123';
    const res = await api('/api/flows', { method: 'POST', json: doc });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Loose).problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'inline_secret', path: '$.nodes[1].params.apiKey' }),
      ]),
    );
  });

  it('activates, deactivates, lists with search, and deletes', async () => {
    await api('/api/flows', { method: 'POST', json: flowDoc('bienvenida', { name: 'Bienvenida clientes' }) });
    expect(
      ((await (await api('/api/flows/bienvenida/activate', { method: 'POST' })).json()) as Loose).active,
    ).toBe(true);
    const active = (await (await api('/api/flows?active=true')).json()) as Loose;
    expect(active.items.map((f: { id: string }) => f.id)).toEqual(['bienvenida']);
    expect(((await (await api('/api/flows?search=clientes')).json()) as Loose).items).toHaveLength(1);
    expect(
      ((await (await api('/api/flows/bienvenida/deactivate', { method: 'POST' })).json()) as Loose).active,
    ).toBe(false);
    expect((await api('/api/flows/bienvenida', { method: 'DELETE' })).status).toBe(204);
    expect((await api('/api/flows/bienvenida', { method: 'DELETE' })).status).toBe(404);
    expect((await api('/api/flows/nope/activate', { method: 'POST' })).status).toBe(404);
  });
});

describe('executions', () => {
  it('runs a flow and shows every step with input, output and timing, filterable by flow and status', async () => {
    await api('/api/flows', { method: 'POST', json: flowDoc('runner') });
    const start = await api('/api/flows/runner/runs', {
      method: 'POST',
      json: { payload: { name: 'Ana' }, contactId: 'c-34600000001' },
    });
    expect(start.status).toBe(202);
    const { runId } = (await start.json()) as Loose;
    const run = await waitFor(async () => {
      const r = (await (await api(`/api/executions/${runId}`)).json()) as Loose;
      return r.status === 'succeeded' ? r : undefined;
    });
    expect(run.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(['start', 'log']);
    expect(run.steps[1]).toMatchObject({
      input: { name: 'Ana' },
      output: { name: 'Ana' },
      status: 'succeeded',
      attempt: 1,
    });
    expect(typeof run.steps[1].durationMs).toBe('number');
    const listed = (await (
      await api('/api/executions?flowId=runner&status=succeeded&contactId=c-34600000001')
    ).json()) as Loose;
    expect(listed.items.map((r: { id: string }) => r.id)).toEqual([runId]);
    expect(
      ((await (await api('/api/executions?flowId=runner&status=failed')).json()) as Loose).items,
    ).toEqual([]);
    expect((await api('/api/executions?status=bogus')).status).toBe(400);
    expect((await api('/api/executions/none')).status).toBe(404);
    expect((await api(`/api/executions/${runId}/cancel`, { method: 'POST' })).status).toBe(409);
  });
});

describe('catalog, OpenAPI and errors', () => {
  it('serves the node catalog with labels in English and Spanish', async () => {
    const { items } = (await (await api('/api/node-types')).json()) as Loose;
    const log = items.find((t: { type: string }) => t.type === 'action.log');
    expect(log.labels.es.title).toBe('Registro');
    expect(log.paramsSchema.properties).toHaveProperty('message');
  });

  it('documents every route in OpenAPI 3.1', async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as Loose;
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/flows',
      '/api/flows/{id}',
      '/api/flows/{id}/export',
      '/api/flows/{id}/activate',
      '/api/flows/{id}/versions',
      '/api/executions',
      '/api/executions/{id}',
      '/api/node-types',
      '/healthz',
      '/metrics',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
    expect(doc.paths['/api/executions'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['flowId', 'status', 'contactId']),
    );
  });

  it('answers bad JSON with 400, oversized bodies with 413, and unknown routes with 404, all as JSON', async () => {
    const bad = await api('/api/flows', { method: 'POST', body: '{"schemaVersion":' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Loose).error).toBe('invalid_json');
    const big = await api('/api/flows', {
      method: 'POST',
      body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    const missing = await api('/api/nothing');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Loose).error).toBe('not_found');
  });
});
