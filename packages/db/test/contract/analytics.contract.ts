import { expect, it } from 'vitest';
import type { AnalyticsQuery } from '../../src/analytics-model.js';
import type { AnalyticsQueries } from '../../src/analytics-queries.js';
import type { AsyncOf } from '../../src/ports.js';

// A hand-counted data set: every expected number below is worked out in the comments next to the rows.
// The range is three local days in Mexico City (UTC−6): 2026-03-02 00:00 to 2026-03-05 00:00 local,
// i.e. 2026-03-02T06:00Z to 2026-03-05T06:00Z, which is four (partial) UTC days. Rows between 00:00Z and
// 06:00Z fall on different days in the two zones; rows just outside the range must not count.

export type SeedTable =
  | 'flows'
  | 'runs'
  | 'runSteps'
  | 'outbox'
  | 'outboxStatuses'
  | 'teams'
  | 'agents'
  | 'conversations'
  | 'conversationEvents'
  | 'inboundEvents';

export interface AnalyticsFixture {
  analytics: AsyncOf<AnalyticsQueries>;
  insert: (table: SeedTable, rows: Array<Record<string, unknown>>) => Promise<void>;
}

const RANGE = { from: '2026-03-02T06:00:00.000Z', to: '2026-03-05T06:00:00.000Z' };
const MEXICO: AnalyticsQuery = { ...RANGE, timeZone: 'America/Mexico_City' };
const UTC: AnalyticsQuery = { ...RANGE, timeZone: 'UTC' };

interface Message {
  id: string;
  at: string;
  run?: string;
  kind?: string;
  template?: string;
  status: string;
  wamid?: string;
  error?: string | number;
  to?: string;
  /** History after `queued` (at `at`): [status, time]. */
  history?: Array<[string, string]>;
}

async function seedMessages(f: AnalyticsFixture, messages: Message[]) {
  await f.insert(
    'outbox',
    messages.map((m) => ({
      id: m.id,
      idempotencyKey: `key-${m.id}`,
      runId: m.run ?? null,
      nodeId: m.run ? 'send' : null,
      channel: 'ch1',
      recipient: m.to ?? '5215550000',
      kind: m.kind ?? (m.template ? 'template' : 'text'),
      category: m.template ? 'marketing' : null,
      payload: m.template
        ? { type: 'template', name: m.template, language: 'es_MX' }
        : { type: 'text', text: { body: 'hola' } },
      status: m.status,
      attempts: 1,
      providerMessageId: m.wamid ?? null,
      lastError: m.error === undefined ? null : { code: m.error, message: `error ${m.error}` },
      createdAt: m.at,
      updatedAt: m.at,
    })),
  );
  await f.insert(
    'outboxStatuses',
    messages.flatMap((m) => [
      { outboxId: m.id, status: 'queued', at: m.at, source: 'api', error: null },
      ...(m.history ?? []).map(([status, at]) => ({
        outboxId: m.id,
        status,
        at,
        source: 'webhook',
        error: null,
      })),
    ]),
  );
}

async function seedFlowsAndRuns(f: AnalyticsFixture) {
  const at = '2026-03-01T00:00:00.000Z';
  await f.insert('flows', [
    { id: 'welcome', name: 'Welcome', currentVersion: 1, createdAt: at, updatedAt: at },
    { id: 'billing', name: 'Billing', currentVersion: 1, createdAt: at, updatedAt: at },
  ]);
  const run = (id: string, flowId: string, status: string, createdAt: string) => ({
    id,
    flowId,
    flowVersion: 1,
    status,
    triggerNodeId: 'trigger',
    state: {},
    createdAt,
  });
  await f.insert('runs', [
    run('rW1', 'welcome', 'succeeded', '2026-03-02T09:59:00.000Z'), // MX 03-02, UTC 03-02
    run('rW2', 'welcome', 'succeeded', '2026-03-02T23:29:00.000Z'), // MX 03-02, UTC 03-02
    run('rW3', 'welcome', 'failed', '2026-03-04T05:00:00.000Z'), // MX 03-03 23:00, UTC 03-04
    run('rB1', 'billing', 'failed', '2026-03-03T02:59:00.000Z'), // MX 03-02 20:59, UTC 03-03
    run('rB2', 'billing', 'failed', '2026-03-03T20:00:00.000Z'), // MX 03-03, UTC 03-03
    run('rB3', 'billing', 'waiting', '2026-03-04T12:00:00.000Z'), // MX 03-04, UTC 03-04
    run('rX', 'billing', 'failed', '2026-03-05T07:00:00.000Z'), // after the range
  ]);
  const step = (
    runId: string,
    seq: number,
    nodeId: string,
    nodeType: string,
    status: string,
    attempt = 1,
  ) => ({
    id: `${runId}-${seq}`,
    runId,
    seq,
    nodeId,
    nodeType,
    attempt,
    status,
    ports: [],
    startedAt: '2026-03-02T06:00:00.000Z',
  });
  await f.insert('runSteps', [
    step('rW1', 1, 'trigger', 'trigger.whatsapp', 'succeeded'),
    // rW3: its send failed into an error port, then the CRM step failed the run: the CRM step is where it failed.
    step('rW3', 1, 'trigger', 'trigger.whatsapp', 'succeeded'),
    step('rW3', 2, 'send', 'whatsapp.send', 'failed'),
    step('rW3', 3, 'crm', 'hubspot.upsert', 'failed'),
    step('rB1', 1, 'trigger', 'trigger.whatsapp', 'succeeded'),
    step('rB1', 2, 'lookup', 'http.request', 'failed', 1),
    step('rB1', 3, 'lookup', 'http.request', 'failed', 2),
    step('rB2', 1, 'lookup', 'http.request', 'failed'),
    step('rX', 1, 'crm', 'hubspot.upsert', 'failed'),
  ]);
}

/** Messages: times in UTC; the comments give the Mexico City local day (MX) and the UTC day. */
const MESSAGES: Message[] = [
  // MX 03-02, UTC 03-02: read 60 s after acceptance.
  {
    id: 'm01',
    at: '2026-03-02T10:00:00.000Z',
    run: 'rW1',
    status: 'read',
    wamid: 'w1',
    history: [
      ['accepted', '2026-03-02T10:00:01.000Z'],
      ['delivered', '2026-03-02T10:00:05.000Z'],
      ['read', '2026-03-02T10:01:01.000Z'],
    ],
  },
  // MX 03-02, UTC 03-02: delivered template.
  {
    id: 'm02',
    at: '2026-03-02T23:30:00.000Z',
    run: 'rW2',
    template: 'promo_march',
    status: 'delivered',
    wamid: 'w2',
    history: [
      ['accepted', '2026-03-02T23:30:01.000Z'],
      ['delivered', '2026-03-02T23:31:00.000Z'],
    ],
  },
  // MX 03-02 21:00, UTC 03-03: read 120 s after acceptance (the later `sent` does not restart the clock).
  {
    id: 'm03',
    at: '2026-03-03T03:00:00.000Z',
    run: 'rB1',
    template: 'invoice_ready',
    status: 'read',
    wamid: 'w3',
    history: [
      ['accepted', '2026-03-03T03:00:02.000Z'],
      ['sent', '2026-03-03T03:00:03.000Z'],
      ['read', '2026-03-03T03:02:02.000Z'],
    ],
  },
  // MX 03-03, UTC 03-03: accepted by Meta, then failed (counts as sent and failed).
  {
    id: 'm04',
    at: '2026-03-03T12:00:00.000Z',
    status: 'failed',
    wamid: 'w4',
    error: 131047,
    history: [
      ['accepted', '2026-03-03T12:00:01.000Z'],
      ['failed', '2026-03-03T12:00:09.000Z'],
    ],
  },
  // MX 03-03 (last millisecond of the day), UTC 03-04: failed on the pair rate limit, never accepted.
  {
    id: 'm05',
    at: '2026-03-04T05:59:59.999Z',
    run: 'rB2',
    template: 'invoice_ready',
    status: 'failed',
    error: 131056,
  },
  // MX 03-04 (its first instant), UTC 03-04: refused by policy.
  { id: 'm06', at: '2026-03-04T06:00:00.000Z', run: 'rW3', status: 'refused', error: 'outside_24h_window' },
  // MX 03-04, UTC 03-04: refused by policy, sent by no flow.
  { id: 'm07', at: '2026-03-04T20:00:00.000Z', status: 'refused', error: 'opted_out' },
  // MX 03-04 23:00, UTC 03-05: read 180 s after acceptance.
  {
    id: 'm08',
    at: '2026-03-05T05:00:00.000Z',
    run: 'rW3',
    status: 'read',
    wamid: 'w8',
    history: [
      ['accepted', '2026-03-05T05:00:00.500Z'],
      ['delivered', '2026-03-05T05:01:00.000Z'],
      ['read', '2026-03-05T05:03:00.500Z'],
    ],
  },
  // At the range's end (exclusive) and just before its start: not counted.
  {
    id: 'm09',
    at: '2026-03-05T06:00:00.000Z',
    run: 'rW3',
    status: 'read',
    wamid: 'w9',
    history: [
      ['accepted', '2026-03-05T06:00:01.000Z'],
      ['read', '2026-03-05T06:00:02.000Z'],
    ],
  },
  { id: 'm10', at: '2026-03-02T05:59:59.999Z', status: 'failed', error: 131047 },
  // MX 03-03, UTC 03-03: still queued (counts only as a message).
  { id: 'm11', at: '2026-03-03T15:00:00.000Z', run: 'rB1', status: 'queued' },
  // MX 03-04, UTC 03-04: sent, not delivered yet.
  {
    id: 'm12',
    at: '2026-03-04T10:00:00.000Z',
    run: 'rW3',
    template: 'promo_march',
    status: 'sent',
    wamid: 'w12',
    history: [
      ['accepted', '2026-03-04T10:00:01.000Z'],
      ['sent', '2026-03-04T10:00:02.000Z'],
    ],
  },
];

const counts = (
  messages: number,
  sent: number,
  delivered: number,
  read: number,
  failed: number,
  refused: number,
) => ({
  messages,
  sent,
  delivered,
  read,
  failed,
  refused,
});

export function analyticsContract(make: () => Promise<AnalyticsFixture>): void {
  it('counts messages per local day, flow, template and error code, with exact rates', async () => {
    const f = await make();
    await seedFlowsAndRuns(f);
    await seedMessages(f, MESSAGES);

    const mx = await f.analytics.messaging(MEXICO);
    expect(mx.days).toEqual([
      { day: '2026-03-02', ...counts(3, 3, 3, 2, 0, 0) }, // m01 m02 m03
      { day: '2026-03-03', ...counts(3, 1, 0, 0, 2, 0) }, // m04 m11 m05
      { day: '2026-03-04', ...counts(4, 2, 1, 1, 0, 2) }, // m06 m12 m07 m08
    ]);
    expect(mx.totals).toEqual({
      ...counts(10, 6, 4, 3, 2, 2),
      deliveryRate: 4 / 6,
      readRate: 3 / 4,
      medianTimeToReadMs: 120_000, // of 60 s, 120 s, 180 s
      timeToReadSample: 3,
    });
    expect(mx.byFlow).toEqual([
      { flowId: 'welcome', flowName: 'Welcome', ...counts(5, 4, 3, 2, 0, 1) }, // m01 m02 m06 m08 m12
      { flowId: 'billing', flowName: 'Billing', ...counts(3, 1, 1, 1, 1, 0) }, // m03 m05 m11
      { flowId: null, flowName: null, ...counts(2, 1, 0, 0, 1, 1) }, // m04 m07
    ]);
    expect(mx.byTemplate).toEqual([
      { template: 'invoice_ready', ...counts(2, 1, 1, 1, 1, 0) }, // m03 m05
      { template: 'promo_march', ...counts(2, 2, 1, 0, 0, 0) }, // m02 m12
    ]);
    expect(mx.failuresByCode).toEqual([
      { code: '131047', count: 1 }, // m04 (m10 is before the range)
      { code: '131056', count: 1 }, // m05
    ]);

    const utc = await f.analytics.messaging(UTC);
    expect(utc.days).toEqual([
      { day: '2026-03-02', ...counts(2, 2, 2, 1, 0, 0) }, // m01 m02
      { day: '2026-03-03', ...counts(3, 2, 1, 1, 1, 0) }, // m03 m04 m11
      { day: '2026-03-04', ...counts(4, 1, 0, 0, 1, 2) }, // m05 m06 m12 m07
      { day: '2026-03-05', ...counts(1, 1, 1, 1, 0, 0) }, // m08
    ]);
    expect(utc.totals).toEqual(mx.totals);

    const billing = await f.analytics.messaging({ ...MEXICO, flowId: 'billing' });
    expect(billing.totals).toEqual({
      ...counts(3, 1, 1, 1, 1, 0),
      deliveryRate: 1,
      readRate: 1,
      medianTimeToReadMs: 120_000,
      timeToReadSample: 1,
    });
    expect(billing.byFlow.map((r) => r.flowId)).toEqual(['billing']);
  });

  it('reports nothing, with empty days and null rates, for a range without messages', async () => {
    const f = await make();
    await seedMessages(f, MESSAGES);
    const empty = await f.analytics.messaging({
      from: '2026-04-01T00:00:00.000Z',
      to: '2026-04-03T00:00:00.000Z',
      timeZone: 'UTC',
    });
    expect(empty.days).toEqual([
      { day: '2026-04-01', ...counts(0, 0, 0, 0, 0, 0) },
      { day: '2026-04-02', ...counts(0, 0, 0, 0, 0, 0) },
    ]);
    expect(empty.totals).toEqual({
      ...counts(0, 0, 0, 0, 0, 0),
      deliveryRate: null,
      readRate: null,
      medianTimeToReadMs: null,
      timeToReadSample: 0,
    });
    expect([empty.byFlow, empty.byTemplate, empty.failuresByCode]).toEqual([[], [], []]);
  });

  it('counts runs per day and flow, where failed runs failed, and policy refusals by reason', async () => {
    const f = await make();
    await seedFlowsAndRuns(f);
    await seedMessages(f, MESSAGES);

    const mx = await f.analytics.flows(MEXICO);
    expect(mx.days).toEqual([
      { day: '2026-03-02', runs: 3, succeeded: 2, failed: 1 }, // rW1 rW2 rB1
      { day: '2026-03-03', runs: 2, succeeded: 0, failed: 2 }, // rB2 rW3
      { day: '2026-03-04', runs: 1, succeeded: 0, failed: 0 }, // rB3 (waiting)
    ]);
    expect(mx.totals).toEqual({ runs: 6, succeeded: 2, failed: 3, successRate: 2 / 5 });
    const lookup = {
      flowId: 'billing',
      flowName: 'Billing',
      nodeId: 'lookup',
      nodeType: 'http.request',
      failures: 2,
    };
    const crm = {
      flowId: 'welcome',
      flowName: 'Welcome',
      nodeId: 'crm',
      nodeType: 'hubspot.upsert',
      failures: 1,
    };
    expect(mx.failuresByNode).toEqual([lookup, crm]);
    expect(mx.topFailingNode).toEqual(lookup);
    expect(mx.byFlow).toEqual([
      { flowId: 'billing', flowName: 'Billing', runs: 3, succeeded: 0, failed: 2, topFailingNode: lookup },
      { flowId: 'welcome', flowName: 'Welcome', runs: 3, succeeded: 2, failed: 1, topFailingNode: crm },
    ]);
    expect(mx.policyRefusals).toEqual([
      { reason: 'opted_out', count: 1 }, // m07
      { reason: 'outside_24h_window', count: 1 }, // m06
      { reason: 'rate_limited', count: 1 }, // m05 (131056); m04's 131047 is not a rate limit
    ]);

    const utc = await f.analytics.flows(UTC);
    expect(utc.days).toEqual([
      { day: '2026-03-02', runs: 2, succeeded: 2, failed: 0 }, // rW1 rW2
      { day: '2026-03-03', runs: 2, succeeded: 0, failed: 2 }, // rB1 rB2
      { day: '2026-03-04', runs: 2, succeeded: 0, failed: 1 }, // rW3 rB3
      { day: '2026-03-05', runs: 0, succeeded: 0, failed: 0 },
    ]);

    const welcome = await f.analytics.flows({ ...MEXICO, flowId: 'welcome' });
    expect(welcome.totals).toEqual({ runs: 3, succeeded: 2, failed: 1, successRate: 2 / 3 });
    expect(welcome.failuresByNode).toEqual([crm]);
    expect(welcome.policyRefusals).toEqual([{ reason: 'outside_24h_window', count: 1 }]);
  });

  it('measures routing: conversations per team, times to assignment and first reply, SLA breaches, agent load', async () => {
    const f = await make();
    const at = '2026-03-01T00:00:00.000Z';
    await f.insert('teams', [
      { id: 'billing', name: 'Billing', nameKey: 'billing', createdAt: at, updatedAt: at },
      { id: 'sales', name: 'Sales', nameKey: 'sales', createdAt: at, updatedAt: at },
    ]);
    await f.insert('agents', [
      { id: 'ana', name: 'Ana', capacity: 3, createdAt: at, updatedAt: at },
      { id: 'bo', name: 'Bo', capacity: 2, createdAt: at, updatedAt: at },
      { id: 'cy', name: 'Cy', capacity: 1, createdAt: at, updatedAt: at },
    ]);
    const conversation = (c: {
      id: string;
      team: string;
      flow: string;
      wa: string;
      state: string;
      agent?: string;
      opened: string;
      pickedUp?: string;
      slaDue?: string;
      closed?: string;
    }) => ({
      id: c.id,
      channel: 'ch1',
      waId: c.wa,
      teamId: c.team,
      agentId: c.agent ?? null,
      priority: 'normal',
      priorityRank: 1,
      state: c.state,
      flowId: c.flow,
      idempotencyKey: `route-${c.id}`,
      openedAt: c.opened,
      pickedUpAt: c.pickedUp ?? null,
      slaDueAt: c.slaDue ?? null,
      closedAt: c.closed ?? null,
      updatedAt: c.opened,
    });
    await f.insert('conversations', [
      // MX 03-02, UTC 03-02: assigned after 1 min, answered after 3 min, picked up before its SLA.
      conversation({
        id: 'c1',
        team: 'billing',
        flow: 'billing',
        wa: '5215550001',
        state: 'closed',
        agent: 'ana',
        opened: '2026-03-02T12:00:00.000Z',
        pickedUp: '2026-03-02T12:05:00.000Z',
        slaDue: '2026-03-02T12:10:00.000Z',
        closed: '2026-03-02T12:30:00.000Z',
      }),
      // MX 03-02 21:00, UTC 03-03: first assigned after 10 min (to Bo, then Ana), answered after 45 min,
      // picked up after its SLA: a breach.
      conversation({
        id: 'c2',
        team: 'billing',
        flow: 'billing',
        wa: '5215550002',
        state: 'open',
        agent: 'ana',
        opened: '2026-03-03T03:00:00.000Z',
        pickedUp: '2026-03-03T03:40:00.000Z',
        slaDue: '2026-03-03T03:30:00.000Z',
      }),
      // MX 03-04, UTC 03-04: never assigned, still waiting past its SLA at "now": a breach.
      conversation({
        id: 'c3',
        team: 'sales',
        flow: 'sales',
        wa: '5215550003',
        state: 'queued',
        opened: '2026-03-04T10:00:00.000Z',
        slaDue: '2026-03-04T10:30:00.000Z',
      }),
      // MX 03-04, UTC 03-04: assigned after 2 min, no SLA; its only reply was refused (not a reply).
      conversation({
        id: 'c4',
        team: 'sales',
        flow: 'sales',
        wa: '5215550004',
        state: 'assigned',
        agent: 'bo',
        opened: '2026-03-04T11:00:00.000Z',
      }),
      // After the range: only Ana's current load sees it.
      conversation({
        id: 'c5',
        team: 'billing',
        flow: 'billing',
        wa: '5215550005',
        state: 'assigned',
        agent: 'ana',
        opened: '2026-03-05T07:00:00.000Z',
      }),
    ]);
    const assigned = (conversationId: string, agent: string, at: string) => ({
      conversationId,
      at,
      kind: 'assigned',
      data: { agent },
    });
    await f.insert('conversationEvents', [
      { conversationId: 'c1', at: '2026-03-02T12:00:00.000Z', kind: 'opened', data: {} },
      assigned('c1', 'ana', '2026-03-02T12:01:00.000Z'),
      assigned('c2', 'bo', '2026-03-03T03:10:00.000Z'),
      { conversationId: 'c2', at: '2026-03-03T03:15:00.000Z', kind: 'queued', data: { reason: 'transfer' } },
      assigned('c2', 'ana', '2026-03-03T03:20:00.000Z'),
      assigned('c4', 'bo', '2026-03-04T11:02:00.000Z'),
      assigned('c5', 'ana', '2026-03-05T07:01:00.000Z'),
    ]);
    await seedMessages(f, [
      // Before c1 opened, and a flow's message while it was open: neither is an agent's reply.
      { id: 'r1', at: '2026-03-02T11:59:00.000Z', to: '5215550001', status: 'read' },
      { id: 'r2', at: '2026-03-02T12:00:30.000Z', to: '5215550001', run: 'rW1', status: 'read' },
      { id: 'r3', at: '2026-03-02T12:03:00.000Z', to: '5215550001', status: 'sent' },
      { id: 'r4', at: '2026-03-02T12:04:00.000Z', to: '5215550001', status: 'sent' },
      { id: 'r5', at: '2026-03-03T03:45:00.000Z', to: '5215550002', status: 'delivered' },
      {
        id: 'r6',
        at: '2026-03-04T11:05:00.000Z',
        to: '5215550004',
        status: 'refused',
        error: 'outside_24h_window',
      },
    ]);

    const now = '2026-03-05T00:00:00.000Z';
    const mx = await f.analytics.routing({ ...MEXICO, now });
    expect(mx.days).toEqual([
      { day: '2026-03-02', conversations: 2, slaBreaches: 1 }, // c1, c2 (breach)
      { day: '2026-03-03', conversations: 0, slaBreaches: 0 },
      { day: '2026-03-04', conversations: 2, slaBreaches: 1 }, // c3 (breach), c4
    ]);
    expect(mx.totals).toEqual({
      conversations: 4,
      assigned: 3,
      slaBreaches: 2,
      medianTimeToAssignmentMs: 120_000, // of 1, 10 and 2 minutes
      medianTimeToFirstReplyMs: 1_440_000, // of 3 and 45 minutes
    });
    expect(mx.byTeam).toEqual([
      {
        teamId: 'billing',
        teamName: 'Billing',
        conversations: 2,
        assigned: 2,
        slaBreaches: 1,
        medianTimeToAssignmentMs: 330_000,
        medianTimeToFirstReplyMs: 1_440_000,
      },
      {
        teamId: 'sales',
        teamName: 'Sales',
        conversations: 2,
        assigned: 1,
        slaBreaches: 1,
        medianTimeToAssignmentMs: 120_000,
        medianTimeToFirstReplyMs: null,
      },
    ]);
    expect(mx.agentLoad).toEqual([
      { agentId: 'ana', agentName: 'Ana', capacity: 3, assigned: 2, holding: 2 }, // c1 c2; holds c2 c5
      { agentId: 'bo', agentName: 'Bo', capacity: 2, assigned: 2, holding: 1 }, // c2 c4; holds c4
      { agentId: 'cy', agentName: 'Cy', capacity: 1, assigned: 0, holding: 0 },
    ]);

    const utc = await f.analytics.routing({ ...UTC, now });
    expect(utc.days).toEqual([
      { day: '2026-03-02', conversations: 1, slaBreaches: 0 },
      { day: '2026-03-03', conversations: 1, slaBreaches: 1 },
      { day: '2026-03-04', conversations: 2, slaBreaches: 1 },
      { day: '2026-03-05', conversations: 0, slaBreaches: 0 },
    ]);

    // Before c3's SLA passed it was no breach yet.
    const earlier = await f.analytics.routing({ ...MEXICO, now: '2026-03-04T10:15:00.000Z' });
    expect(earlier.totals.slaBreaches).toBe(1);

    const billing = await f.analytics.routing({ ...MEXICO, now, flowId: 'billing' });
    expect(billing.totals.conversations).toBe(2);
    expect(billing.agentLoad.find((a) => a.agentId === 'bo')).toMatchObject({ assigned: 1, holding: 0 });
  });

  it('counts opt-ins and opt-outs per local day and by source', async () => {
    const f = await make();
    const event = (id: number, type: string, occurredAt: string, source?: string) => ({
      id,
      provider: 'whatsapp',
      providerEventId: `e${id}`,
      deliveryId: 1,
      type,
      channelId: 'ch1',
      waId: '5215550001',
      normalized: { type, source },
      status: 'processed',
      occurredAt,
      receivedAt: occurredAt,
    });
    await f.insert('inboundEvents', [
      event(1, 'contact.opted_out', '2026-03-02T10:00:00.000Z', 'keyword'), // MX 03-02, UTC 03-02
      event(2, 'contact.opted_in', '2026-03-03T04:00:00.000Z', 'keyword'), // MX 03-02, UTC 03-03
      event(3, 'contact.opted_out', '2026-03-03T18:00:00.000Z', 'user_preferences'), // MX 03-03, UTC 03-03
      event(4, 'contact.opted_out', '2026-03-05T01:00:00.000Z', 'error_131050'), // MX 03-04, UTC 03-05
      event(5, 'message.received', '2026-03-03T10:00:00.000Z'), // not a consent change
      event(6, 'contact.opted_in', '2026-03-05T06:00:00.000Z', 'keyword'), // after the range
    ]);
    const mx = await f.analytics.consent(MEXICO);
    expect(mx.days).toEqual([
      { day: '2026-03-02', optIns: 1, optOuts: 1 },
      { day: '2026-03-03', optIns: 0, optOuts: 1 },
      { day: '2026-03-04', optIns: 0, optOuts: 1 },
    ]);
    expect(mx.totals).toEqual({ optIns: 1, optOuts: 3 });
    expect(mx.bySource).toEqual([
      { source: 'keyword', optIns: 1, optOuts: 1 },
      { source: 'error_131050', optIns: 0, optOuts: 1 },
      { source: 'user_preferences', optIns: 0, optOuts: 1 },
    ]);
    const utc = await f.analytics.consent(UTC);
    expect(utc.days).toEqual([
      { day: '2026-03-02', optIns: 0, optOuts: 1 },
      { day: '2026-03-03', optIns: 1, optOuts: 1 },
      { day: '2026-03-04', optIns: 0, optOuts: 0 },
      { day: '2026-03-05', optIns: 0, optOuts: 1 },
    ]);
  });

  it('refuses a bad range or time zone, naming the input', async () => {
    const f = await make();
    await expect(f.analytics.messaging({ ...UTC, timeZone: 'Mars/Olympus' })).rejects.toMatchObject({
      field: 'tz',
      message: expect.stringContaining('Mars/Olympus'),
    });
    await expect(f.analytics.flows({ ...UTC, to: UTC.from })).rejects.toMatchObject({ field: 'to' });
  });
}
