import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentInput, openDb, sqliteDatabase, type TeamInput } from '@switchboard/db';
import { ManualClock } from '@switchboard/engine';
import type { AssignRequest, HttpOutcome, HttpRequest } from '@switchboard/nodes';
import { describe, expect, it } from 'vitest';
import { SIMULATOR_CHANNEL } from '../src/channels.js';
import { createLogger } from '../src/logger.js';
import { Routing } from '../src/routing/index.js';
import { tempDir } from './process-helpers.js';

// The routing service over a real SQLite database, with time moved by hand and a fake Slack.

/** Tuesday 2026-05-05 10:00 in Madrid (UTC+2). */
const TUESDAY_10_MADRID = '2026-05-05T08:00:00.000Z';

class FakeHttp {
  readonly calls: HttpRequest[] = [];
  failNext = 0;
  async request(req: HttpRequest): Promise<HttpOutcome> {
    this.calls.push(req);
    if (this.failNext > 0) {
      this.failNext--;
      return { ok: false, reason: 'http_status', status: 500, message: 'Slack answered 500' };
    }
    return { ok: true, status: 200, headers: {}, body: 'ok' };
  }
}

function setup(start = TUESDAY_10_MADRID, path = ':memory:', idPrefix = 'conv') {
  const db = openDb({ path });
  const clock = new ManualClock(start);
  const http = new FakeHttp();
  let n = 0;
  const routing = new Routing({
    database: sqliteDatabase(db, { simulatorChannel: SIMULATOR_CHANNEL }),
    logger: createLogger('silent'),
    clock,
    http,
    baseUrl: () => 'https://switchboard.example',
    newId: () => `${idPrefix}-${String(++n).padStart(3, '0')}`,
  });
  const at = () => clock.now().toISOString();
  const team = (id: string, over: Partial<TeamInput> = {}) =>
    routing.teams.createTeam(
      {
        id,
        name: id[0]!.toUpperCase() + id.slice(1),
        timezone: 'Europe/Madrid',
        businessHours: null,
        holidays: [],
        slackCredential: null,
        escalationTeam: null,
        ...over,
      },
      at(),
    );
  const agent = (id: string, teams: string[], over: Partial<AgentInput> = {}) =>
    routing.teams.createAgent(
      { id, name: id, email: null, role: 'agent', skills: [], capacity: 5, available: true, teams, ...over },
      at(),
    );
  let k = 0;
  const request = (over: Partial<AssignRequest> = {}): AssignRequest => {
    k++;
    return {
      idempotencyKey: `run-${k}:route`,
      runId: `run-${k}`,
      flowId: 'support',
      nodeId: 'route',
      contact: { waId: `3460000${String(k).padStart(4, '0')}`, channel: 'default', name: `Customer ${k}` },
      team: 'billing',
      strategy: 'roundRobin',
      skills: [],
      priority: 'normal',
      slaMinutes: null,
      escalation: null,
      summary: 'my invoice',
      ...over,
    };
  };
  const loads = async () => {
    const held = await routing.conversations.heldCounts();
    return Object.fromEntries((await routing.teams.listAgents()).map((a) => [a.id, held.get(a.id) ?? 0]));
  };
  return { db, clock, http, routing, team, agent, request, loads };
}

const spread = (counts: number[]) => Math.max(...counts) - Math.min(...counts);

describe('assignment', () => {
  for (const strategy of ['roundRobin', 'leastOpen'] as const) {
    it(`${strategy} spreads 100 conversations evenly over the available agents, never to an unavailable one`, async () => {
      const s = setup();
      await s.team('billing');
      // leastOpen evens out a head start too: dani already holds 4 conversations.
      await s.agent('dani', ['billing'], { capacity: 50 });
      if (strategy === 'leastOpen') for (let i = 0; i < 4; i++) await s.routing.assign(s.request());
      for (const id of ['ana', 'bea', 'carla']) await s.agent(id, ['billing'], { capacity: 50 });
      await s.agent('eva', ['billing'], { capacity: 50, available: false });
      for (let i = 0; i < 100; i++) {
        const outcome = await s.routing.assign(s.request({ strategy }));
        expect(outcome).toMatchObject({ ok: true, state: 'assigned', reused: false });
      }
      const loads = await s.loads();
      expect(loads.eva).toBe(0);
      expect(spread([loads.ana!, loads.bea!, loads.carla!, loads.dani!])).toBeLessThanOrEqual(1);
      expect(loads.ana! + loads.bea! + loads.carla! + loads.dani!).toBe(strategy === 'leastOpen' ? 104 : 100);
    });
  }

  it('never goes beyond capacity: the overflow queues, and closing one assigns the queue’s first', async () => {
    const s = setup();
    await s.team('billing');
    for (const id of ['ana', 'bea', 'carla']) await s.agent(id, ['billing'], { capacity: 30 });
    const outcomes = [];
    for (let i = 0; i < 100; i++) {
      s.clock.advance(1000);
      // Every 7th is urgent, every 5th low: the queue must serve urgent first, then the oldest.
      const priority = i % 7 === 0 ? 'urgent' : i % 5 === 0 ? 'low' : 'normal';
      outcomes.push(await s.routing.assign(s.request({ priority })));
    }
    expect(await s.loads()).toEqual({ ana: 30, bea: 30, carla: 30 });
    const queued = outcomes.filter((o) => o.ok && o.state === 'queued');
    expect(queued).toHaveLength(10);
    expect(queued.every((o) => o.ok && o.queuedBecause === 'no_agent_available' && o.agent === null)).toBe(
      true,
    );
    const queue = await s.routing.conversations.queued('billing', 100);
    expect(queue[0]!.priority).toBe('urgent');
    const first = queue[0]!;
    // An agent closes one: their place goes to the first of the queue at once, not on a later tick.
    const [beaFirst] = await s.routing.conversations.ofAgent('bea', ['assigned']);
    await s.routing.close(beaFirst!.id);
    expect(await s.routing.conversations.get(first.id)).toMatchObject({ state: 'assigned', agentId: 'bea' });
    expect(await s.loads()).toEqual({ ana: 30, bea: 30, carla: 30 });
    expect((await s.routing.conversations.history(first.id)).map((e) => e.kind)).toEqual([
      'opened',
      'queued',
      'assigned',
    ]);
  });

  it('passes over a conversation nobody has the skills for without blocking the ones behind it', async () => {
    const s = setup();
    await s.team('billing');
    await s.agent('ana', ['billing'], { skills: ['Spanish'], capacity: 1, available: false });
    const french = await s.routing.assign(s.request({ skills: ['french'], priority: 'urgent' }));
    const spanish = await s.routing.assign(s.request({ skills: ['SPANISH'] }));
    expect([french, spanish].map((o) => o.ok && o.state)).toEqual(['queued', 'queued']);
    // Ana comes online: she gets the Spanish one though the French one is older and more urgent.
    const before = (await s.routing.teams.getAgent('ana'))!;
    const after = (await s.routing.teams.updateAgent(
      'ana',
      { available: true },
      s.clock.now().toISOString(),
    ))!;
    await s.routing.agentChanged(before, after);
    expect((await s.routing.conversations.get(spanish.ok ? spanish.conversationId : ''))?.agentId).toBe(
      'ana',
    );
    expect((await s.routing.conversations.get(french.ok ? french.conversationId : ''))?.state).toBe('queued');
  });

  it('takes back what an agent had not picked up when they become unavailable, and gives it to others', async () => {
    const s = setup();
    await s.team('billing');
    await s.agent('ana', ['billing']);
    const a = await s.routing.assign(s.request());
    const b = await s.routing.assign(s.request());
    if (!a.ok || !b.ok) throw new Error('assign failed');
    await s.routing.pickUp(a.conversationId);
    await s.agent('bea', ['billing'], { available: true });
    const before = (await s.routing.teams.getAgent('ana'))!;
    const after = (await s.routing.teams.updateAgent(
      'ana',
      { available: false },
      s.clock.now().toISOString(),
    ))!;
    await s.routing.agentChanged(before, after);
    // The one Ana answered stays hers; the other goes to Bea.
    expect(await s.routing.conversations.get(a.conversationId)).toMatchObject({
      agentId: 'ana',
      state: 'open',
    });
    expect(await s.routing.conversations.get(b.conversationId)).toMatchObject({
      agentId: 'bea',
      state: 'assigned',
    });
  });

  it('is idempotent: a re-run step gets its first outcome and opens nothing more', async () => {
    const s = setup();
    await s.team('billing');
    await s.agent('ana', ['billing']);
    const req = s.request();
    const first = await s.routing.assign(req);
    await s.routing.close(first.ok ? first.conversationId : '');
    const again = await s.routing.assign(req);
    expect(again).toEqual(first);
    expect((await s.routing.conversations.list({})).items).toHaveLength(1);
  });

  it('never lets concurrent assignments exceed capacity, even from two connections', async () => {
    const dir = tempDir('routing-concurrency');
    try {
      const path = join(dir, 'db.sqlite');
      const a = setup(TUESDAY_10_MADRID, path);
      const b = setup(TUESDAY_10_MADRID, path, 'other');
      await a.team('billing');
      await a.agent('ana', ['billing'], { capacity: 3 });
      await a.agent('bea', ['billing'], { capacity: 3 });
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).routing.assign(
            a.request({
              idempotencyKey: `k${i}`,
              contact: { waId: `34${i}`, channel: 'default', name: null },
            }),
          ),
        ),
      );
      expect(outcomes.filter((o) => o.ok && o.state === 'assigned')).toHaveLength(6);
      expect(await a.loads()).toEqual({ ana: 3, bea: 3 });
      a.db.$client.close();
      b.db.$client.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reuses the contact’s open conversation, re-routing it to the new team', async () => {
    const s = setup();
    await s.team('billing');
    await s.team('sales');
    await s.agent('ana', ['billing']);
    await s.agent('bea', ['sales']);
    const contact = { waId: '34600000001', channel: 'default', name: 'Ana López' };
    const first = await s.routing.assign(s.request({ contact }));
    const same = await s.routing.assign(s.request({ contact, priority: 'high' }));
    expect(same).toMatchObject({ ok: true, reused: true, agent: { id: 'ana' }, priority: 'high' });
    const moved = await s.routing.assign(s.request({ contact, team: 'Sales' }));
    expect(moved).toMatchObject({
      ok: true,
      reused: true,
      team: { id: 'sales' },
      agent: { id: 'bea' },
      state: 'assigned',
    });
    expect(first.ok && moved.ok && first.conversationId === moved.conversationId).toBe(true);
    expect(await s.loads()).toEqual({ ana: 0, bea: 1 });
  });

  it('names an unknown team and the teams there are', async () => {
    const s = setup();
    await s.team('billing', { name: 'Facturación' });
    expect(await s.routing.assign(s.request({ team: 'soporte' }))).toEqual({
      ok: false,
      reason: 'unknown_team',
      message: 'there is no team "soporte"; the teams are: billing (Facturación)',
    });
    expect((await s.routing.team({ team: 'FACTURACION' }))?.id).toBe('billing');
    expect(await s.routing.team({ team: 'soporte' })).toBeNull();
  });
});

describe('after hours', () => {
  const weekdays = (from: string, to: string) => [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from, to }];

  it('queues in Madrid after 18:00 with after_hours, starts the SLA at opening, and assigns at 09:00', async () => {
    // Tuesday 20:00 in Madrid.
    const s = setup('2026-05-05T18:00:00.000Z');
    await s.team('billing', { businessHours: weekdays('09:00', '18:00') });
    await s.agent('ana', ['billing']);
    const outcome = await s.routing.assign(s.request({ slaMinutes: 30 }));
    expect(outcome).toMatchObject({
      ok: true,
      state: 'queued',
      queuedBecause: 'after_hours',
      agent: null,
      slaDueAt: '2026-05-06T07:30:00.000Z', // 09:00 Madrid + 30 min
    });
    s.clock.set('2026-05-06T06:59:00.000Z');
    await s.routing.tick();
    expect(await s.loads()).toEqual({ ana: 0 });
    s.clock.set('2026-05-06T07:00:00.000Z');
    expect((await s.routing.tick()).assigned).toBe(1);
    expect(await s.loads()).toEqual({ ana: 1 });
  });

  it('queues in Mexico City before 08:00 local (14:00 UTC) and assigns when it opens', async () => {
    const s = setup('2026-05-05T13:00:00.000Z');
    await s.team('soporte', { timezone: 'America/Mexico_City', businessHours: weekdays('08:00', '17:00') });
    await s.agent('luis', ['soporte']);
    const outcome = await s.routing.assign(s.request({ team: 'soporte', slaMinutes: 10 }));
    expect(outcome).toMatchObject({
      state: 'queued',
      queuedBecause: 'after_hours',
      slaDueAt: '2026-05-05T14:10:00.000Z',
    });
    s.clock.set('2026-05-05T14:00:00.000Z');
    await s.routing.tick();
    expect(await s.routing.conversations.get(outcome.ok ? outcome.conversationId : '')).toMatchObject({
      state: 'assigned',
      agentId: 'luis',
      queuedBecause: null,
    });
  });
});

describe('SLA escalation', () => {
  it('moves an unanswered conversation to the escalation team and posts to Slack exactly once', async () => {
    const s = setup();
    await s.team('billing', { slackCredential: 'billing-slack' });
    await s.team('supervisors');
    await s.agent('sofia', ['supervisors'], { role: 'supervisor' });
    const outcome = await s.routing.assign(
      s.request({
        contact: { waId: '34600111222', channel: 'default', name: 'María <VIP>' },
        slaMinutes: 15,
        escalation: { team: 'Supervisors', slack: true },
        summary: 'Mi factura está mal',
      }),
    );
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome).toMatchObject({
      state: 'queued',
      queuedBecause: 'no_agent_available',
      slaDueAt: '2026-05-05T08:15:00.000Z',
    });
    s.clock.set('2026-05-05T08:14:59.000Z');
    expect((await s.routing.tick()).escalated).toBe(0);
    s.clock.set('2026-05-05T08:15:00.000Z');
    expect(await s.routing.tick()).toMatchObject({ escalated: 1, notified: 1 });
    expect(await s.routing.conversations.get(outcome.conversationId)).toMatchObject({
      teamId: 'supervisors',
      agentId: 'sofia',
      state: 'assigned',
      escalatedAt: '2026-05-05T08:15:00.000Z',
      notifiedAt: '2026-05-05T08:15:00.000Z',
    });
    expect(s.http.calls).toHaveLength(1);
    const call = s.http.calls[0]!;
    expect(call).toMatchObject({
      method: 'POST',
      url: '',
      credential: 'billing-slack',
      credentialTypes: ['slack'],
      timeoutMs: 10000,
    });
    const text = (call.body as { text: string }).text;
    for (const part of [
      'María &lt;VIP&gt;',
      '+34600111222',
      '*Billing*',
      '15 min',
      'Mi factura está mal',
      'Moved to *Supervisors*',
    ])
      expect(text).toContain(part);
    expect(text).toContain(
      `<https://switchboard.example/conversations/${outcome.conversationId}|Open the conversation>`,
    );
    // Later ticks neither escalate it again nor post again.
    for (let i = 0; i < 3; i++) {
      s.clock.advance(60_000);
      expect(await s.routing.tick()).toMatchObject({ escalated: 0, notified: 0 });
    }
    expect(s.http.calls).toHaveLength(1);
    expect((await s.routing.conversations.history(outcome.conversationId)).map((e) => e.kind)).toEqual([
      'opened',
      'queued',
      'escalated',
      'transferred',
      'assigned',
      'notified',
    ]);
  });

  it('keeps a failed Slack post owed and retries it on the next tick, then never again', async () => {
    const s = setup();
    await s.team('billing', { slackCredential: 'billing-slack' });
    const outcome = await s.routing.assign(s.request({ slaMinutes: 5 }));
    s.http.failNext = 2;
    s.clock.advance(5 * 60_000);
    expect(await s.routing.tick()).toMatchObject({ escalated: 1, notified: 0 });
    expect(await s.routing.tick()).toMatchObject({ escalated: 0, notified: 0 }); // 2nd try fails too
    expect(await s.routing.tick()).toMatchObject({ notified: 0 }); // waits 1 s before the 3rd
    s.clock.advance(1000);
    expect(await s.routing.tick()).toMatchObject({ notified: 1 });
    s.clock.advance(60_000);
    await s.routing.tick();
    expect(s.http.calls).toHaveLength(3);
    const id = outcome.ok ? outcome.conversationId : '';
    expect((await s.routing.conversations.history(id)).map((e) => e.kind)).toEqual([
      'opened',
      'queued',
      'escalated',
      'notify_failed',
      'notified',
    ]);
  });

  it('uses the team’s escalation team and Slack channel when the flow sets no escalation', async () => {
    const s = setup();
    await s.team('supervisors', { slackCredential: 'sup-slack' });
    await s.team('billing', { escalationTeam: 'supervisors' });
    await s.agent('ana', ['billing'], { capacity: 1 });
    await s.routing.assign(s.request());
    // Ana is full, so this one waits in the queue until its SLA passes.
    const waiting = await s.routing.assign(s.request({ slaMinutes: 10 }));
    s.clock.advance(10 * 60_000);
    await s.routing.tick();
    expect(await s.routing.conversations.get(waiting.ok ? waiting.conversationId : '')).toMatchObject({
      teamId: 'supervisors',
      state: 'queued',
    });
    // The billing team has no channel of its own: the escalation team's is used.
    expect(s.http.calls.map((c) => c.credential)).toEqual(['sup-slack']);
  });

  it('records an escalation that wants Slack but has no credential, and posts nothing', async () => {
    const s = setup();
    await s.team('billing');
    const outcome = await s.routing.assign(s.request({ slaMinutes: 1, escalation: { slack: true } }));
    s.clock.advance(60_000);
    expect(await s.routing.tick()).toMatchObject({ escalated: 1, notified: 0 });
    await s.routing.tick();
    expect(s.http.calls).toHaveLength(0);
    const escalated = (await s.routing.conversations.history(outcome.ok ? outcome.conversationId : '')).at(
      -1,
    );
    expect(escalated).toMatchObject({
      kind: 'escalated',
      data: { slack: null, problems: ['no Slack credential: name one in the flow or set the team’s'] },
    });
  });

  it('does not escalate a conversation an agent picked up in time', async () => {
    const s = setup();
    await s.team('billing', { slackCredential: 'billing-slack', escalationTeam: 'billing' });
    await s.agent('ana', ['billing']);
    const outcome = await s.routing.assign(s.request({ slaMinutes: 5 }));
    await s.routing.pickUp(outcome.ok ? outcome.conversationId : '');
    s.clock.advance(10 * 60_000);
    expect(await s.routing.tick()).toMatchObject({ escalated: 0, notified: 0 });
    expect(s.http.calls).toHaveLength(0);
  });
});
