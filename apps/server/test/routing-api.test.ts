// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
type Loose = any;

import type { AssignRequest } from '@switchboard/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../src/runtime.js';
import { startInProcess } from './in-process.js';

// The teams, agents and conversations API on a whole server in this process.

const KEY = 'routing-api-test-key-0123';
let base: string;
let rt: Runtime;
let close: () => Promise<void>;

beforeAll(async () => {
  // No seeded examples: these tests make their own teams (the example teams are seeded on a first start).
  ({ base, rt, close } = await startInProcess(
    { SWITCHBOARD_API_KEY: KEY, SWITCHBOARD_SEED_EXAMPLES: 'false' },
    { prefix: 'routing-api' },
  ));
});
afterAll(() => close());

const api = async (path: string, init: { method?: string; json?: unknown } = {}) => {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Loose };
};

let k = 0;
/** What a routing node would ask for (the nodes are built elsewhere; this is their contract). */
const assign = (team: string, over: Partial<AssignRequest> = {}) => {
  k++;
  return rt.routing.assign({
    idempotencyKey: `api-run-${k}:route`,
    runId: `api-run-${k}`,
    flowId: 'support',
    nodeId: 'route',
    contact: { waId: `5215500${String(k).padStart(5, '0')}`, channel: 'default', name: `Cliente ${k}` },
    team,
    strategy: 'roundRobin',
    skills: [],
    priority: 'normal',
    slaMinutes: 30,
    escalation: null,
    summary: 'necesito ayuda',
    ...over,
  });
};
const idOf = (o: Awaited<ReturnType<typeof assign>>) => (o.ok ? o.conversationId : '');

describe('routing API', () => {
  it('is in the OpenAPI document and needs the API key', async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as Loose;
    for (const path of [
      '/api/teams',
      '/api/teams/{id}',
      '/api/agents',
      '/api/agents/{id}',
      '/api/conversations',
      '/api/conversations/{id}',
      '/api/conversations/{id}/pick-up',
      '/api/conversations/{id}/transfer',
      '/api/conversations/{id}/close',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    expect(Object.keys(doc.paths['/api/teams/{id}'])).toEqual(['get', 'put', 'patch', 'delete']);
    expect(
      doc.paths['/api/teams'].post.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('businessHours');
    expect((await fetch(`${base}/api/teams`)).status).toBe(401);
  });

  it('answers 400 naming the field for every bad team input', async () => {
    const good = { id: 'soporte', name: 'Soporte', timezone: 'America/Mexico_City' };
    const cases: Array<[object, string]> = [
      [{ ...good, id: 'Soporte MX' }, '$.body.id'],
      [{ ...good, timezone: 'Mars/Olympus' }, '$.body.timezone'],
      [
        { ...good, businessHours: [{ days: ['mon'], from: '9:00', to: '17:00' }] },
        '$.body.businessHours.0.from',
      ],
      [
        { ...good, businessHours: [{ days: ['mon'], from: '18:00', to: '09:00' }] },
        '$.body.businessHours.0.to',
      ],
      [
        { ...good, businessHours: [{ days: ['lunes'], from: '09:00', to: '17:00' }] },
        '$.body.businessHours.0.days.0',
      ],
      [{ ...good, businessHours: [] }, '$.body.businessHours'],
      [{ ...good, holidays: ['2026-02-30'] }, '$.body.holidays.0'],
      [{ ...good, holidays: ['25/12/2026'] }, '$.body.holidays.0'],
      [{ ...good, escalationTeam: 'nadie' }, '$.body.escalationTeam'],
      [{ ...good, escalationTeam: 'soporte' }, '$.body.escalationTeam'],
      [{ ...good, slackCredential: 'no-such-slack' }, '$.body.slackCredential'],
      [{ ...good, color: 'red' }, '$.body'],
    ];
    for (const [body, path] of cases) {
      const res = await api('/api/teams', { json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.problems.map((p: Loose) => p.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    expect((await api('/api/teams/soporte')).status).toBe(404);
  });

  it('creates, reads, changes and deletes teams; names are unique ignoring case and accents', async () => {
    const created = await api('/api/teams', {
      json: {
        id: 'facturacion',
        name: 'Facturación',
        timezone: 'Europe/Madrid',
        businessHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
        holidays: ['2026-12-25'],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'facturacion', slackCredential: null, escalationTeam: null });
    expect(typeof created.body.openNow).toBe('boolean');
    const clash = await api('/api/teams', { json: { id: 'other', name: 'FACTURACION' } });
    expect(clash).toMatchObject({ status: 409, body: { error: 'team_exists' } });
    expect((await api('/api/teams', { json: { id: 'facturacion', name: 'X' } })).status).toBe(409);
    const patched = await api('/api/teams/facturacion', { method: 'PATCH', json: { businessHours: null } });
    expect(patched.body).toMatchObject({ businessHours: null, openNow: true, timezone: 'Europe/Madrid' });
    const replaced = await api('/api/teams/facturacion', { method: 'PUT', json: { name: 'Cobros' } });
    expect(replaced.body).toMatchObject({ name: 'Cobros', timezone: 'UTC', holidays: [] });
    expect((await api('/api/teams')).body.items.map((t: Loose) => t.id)).toContain('facturacion');
    expect((await rt.routing.team({ team: 'cobros' }))?.id).toBe('facturacion');
    expect((await api('/api/teams/facturacion', { method: 'DELETE' })).status).toBe(204);
    expect((await api('/api/teams/facturacion')).status).toBe(404);
  });

  it('answers 400 naming the field for bad agents, and the team that does not exist', async () => {
    await api('/api/teams', { json: { id: 'ventas', name: 'Ventas' } });
    const cases: Array<[object, string, string?]> = [
      [{ name: 'Ana', teams: ['ventas', 'nadie'] }, '$.body.teams.1', 'there is no team "nadie"'],
      [{ name: 'Ana', capacity: -1 }, '$.body.capacity'],
      [{ name: 'Ana', capacity: 2.5 }, '$.body.capacity'],
      [{ name: 'Ana', role: 'team lead' }, '$.body.role'],
      [{ name: 'Ana', email: 'not-an-email' }, '$.body.email'],
      [{ name: 'Ana', skills: [''] }, '$.body.skills.0'],
      [{ name: '' }, '$.body.name'],
      [{ name: 'Ana', available: 'yes' }, '$.body.available'],
    ];
    for (const [body, path, message] of cases) {
      const res = await api('/api/agents', { json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.problems.map((p: Loose) => p.path),
        JSON.stringify(body),
      ).toContain(path);
      if (message) expect(res.body.message).toBe(message);
    }
  });

  it('adds agents off by default; switching one on gives them the queue at once', async () => {
    await api('/api/teams', {
      json: { id: 'soporte-mx', name: 'Soporte MX', timezone: 'America/Mexico_City' },
    });
    const ana = await api('/api/agents', { json: { name: 'Ana López', teams: ['soporte-mx'], capacity: 2 } });
    expect(ana).toMatchObject({
      status: 201,
      body: { id: 'ana-lopez', available: false, open: 0, role: 'agent' },
    });
    const again = await api('/api/agents', { json: { name: 'Ana López' } });
    expect(again.body.id).toBe('ana-lopez-2');
    await api('/api/agents/ana-lopez-2', { method: 'DELETE' });
    const queued = await Promise.all([assign('Soporte MX'), assign('soporte-mx'), assign('soporte-mx')]);
    expect(queued.map((o) => o.ok && o.queuedBecause)).toEqual([
      'no_agent_available',
      'no_agent_available',
      'no_agent_available',
    ]);
    const on = await api('/api/agents/ana-lopez', { method: 'PATCH', json: { available: true } });
    expect(on.body).toMatchObject({ available: true, open: 2 });
    // Capacity 2 is full: one of the three (the queue's last; the three may share a millisecond) waits
    // until the capacity rises.
    const states = await Promise.all(
      queued.map(async (o) => (await api(`/api/conversations/${idOf(o)}`)).body.state),
    );
    expect(states.filter((st) => st === 'queued')).toHaveLength(1);
    expect((await api('/api/agents/ana-lopez', { method: 'PATCH', json: { capacity: 3 } })).body.open).toBe(
      3,
    );
    const list = await api('/api/agents?team=soporte-mx');
    expect(list.body.items.map((a: Loose) => [a.id, a.open])).toEqual([['ana-lopez', 3]]);
    expect((await api('/api/agents?team=ventas')).body.items).toEqual([]);
    // Deleting the team is refused while it has conversations.
    const del = await api('/api/teams/soporte-mx', { method: 'DELETE' });
    expect(del).toMatchObject({ status: 409, body: { error: 'team_in_use' } });
    expect(del.body.message).toContain('3 conversation(s)');
  });

  it('lists conversations in queue order, picks up, transfers and closes them; closing drains the queue', async () => {
    await api('/api/teams', { json: { id: 'billing', name: 'Billing' } });
    await api('/api/teams', { json: { id: 'vip', name: 'VIP' } });
    await api('/api/agents', {
      json: { id: 'bea', name: 'Bea', teams: ['billing'], capacity: 1, available: true },
    });
    await api('/api/agents', {
      json: { id: 'vera', name: 'Vera', teams: ['vip'], capacity: 5, available: true },
    });
    const first = await assign('billing');
    const normal = await assign('billing');
    const urgent = await assign('billing', { priority: 'urgent' });
    expect(first).toMatchObject({ state: 'assigned', agent: { id: 'bea', name: 'Bea' } });
    const queue = await api('/api/conversations?state=queued&team=billing');
    expect(queue.body.items.map((c: Loose) => c.id)).toEqual([idOf(urgent), idOf(normal)]);
    // Page by page with the cursor.
    const page1 = await api('/api/conversations?team=billing&limit=2');
    const page2 = await api(`/api/conversations?team=billing&limit=2&after=${page1.body.nextCursor}`);
    expect([...page1.body.items, ...page2.body.items].map((c: Loose) => c.id)).toEqual([
      idOf(urgent),
      idOf(first),
      idOf(normal),
    ]);
    expect(page2.body.nextCursor).toBeNull();
    expect((await api('/api/conversations?after=garbage')).status).toBe(400);
    expect((await api('/api/conversations?state=waiting')).body.problems[0].path).toBe('$.query.state');
    expect(
      (await api('/api/conversations?since=2026-05-02T00:00:00Z&until=2026-05-01T00:00:00Z')).body.problems[0]
        .path,
    ).toBe('$.query.until');

    // A queued conversation needs the agent named to be picked up.
    const noAgent = await api(`/api/conversations/${idOf(normal)}/pick-up`, { json: {} });
    expect(noAgent.status).toBe(400);
    expect(noAgent.body.problems[0].path).toBe('$.body.agent');
    const picked = await api(`/api/conversations/${idOf(first)}/pick-up`, { json: {} });
    expect(picked.body).toMatchObject({ state: 'open', agentId: 'bea' });
    expect(picked.body.pickedUpAt).toEqual(expect.any(String));

    // Bea closes hers: the urgent one is hers at once.
    const closed = await api(`/api/conversations/${idOf(first)}/close`, { json: {} });
    expect(closed.body).toMatchObject({ state: 'closed' });
    expect((await api(`/api/conversations/${idOf(urgent)}`)).body).toMatchObject({
      state: 'assigned',
      agentId: 'bea',
    });
    expect((await api(`/api/conversations/${idOf(first)}/pick-up`, { json: {} })).status).toBe(409);

    // Transfers: to a team (its agents take it), to an agent not in the team (400 naming it), to nothing (400).
    const toVip = await api(`/api/conversations/${idOf(normal)}/transfer`, { json: { team: 'VIP' } });
    expect(toVip.body).toMatchObject({ teamId: 'vip', agentId: 'vera', state: 'assigned' });
    const wrong = await api(`/api/conversations/${idOf(normal)}/transfer`, { json: { agent: 'bea' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.problems[0]).toMatchObject({
      path: '$.body.agent',
      message: 'agent "bea" is not in team "vip"',
    });
    expect((await api(`/api/conversations/${idOf(normal)}/transfer`, { json: {} })).status).toBe(400);
    expect(
      (await api(`/api/conversations/${idOf(normal)}/transfer`, { json: { team: 'nadie' } })).body.problems[0]
        .path,
    ).toBe('$.body.team');
    expect((await api('/api/conversations/nope/close', { json: {} })).status).toBe(404);

    const detail = await api(`/api/conversations/${idOf(normal)}`);
    expect(detail.body.history.map((e: Loose) => e.kind)).toEqual([
      'opened',
      'queued',
      'transferred',
      'assigned',
    ]);
    expect(detail.body).toMatchObject({
      contactName: expect.stringMatching(/^Cliente/),
      summary: 'necesito ayuda',
    });
    const active = await api('/api/conversations?state=active&agent=vera');
    expect(active.body.items.map((c: Loose) => c.id)).toEqual([idOf(normal)]);
  });
});
