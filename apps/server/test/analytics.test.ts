// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
type Loose = any;

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../src/runtime.js';
import { startInProcess } from './in-process.js';

// The analytics API on a whole server: messages seeded through the outbox repository (the path the
// sender and the status webhooks take), read back as JSON and CSV. The exact figures of every report
// on both databases are in packages/db/test/contract/analytics.contract.ts.

const KEY = 'analytics-test-key-0123456789';
let base: string;
let rt: Runtime;
let close: () => Promise<void>;

const get = async (path: string) => {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
  const text = await res.text();
  const json = res.headers.get('content-type')?.startsWith('application/json');
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    res,
    text,
    body: (json ? JSON.parse(text) : null) as Loose,
  };
};

async function seed() {
  const { outbox } = rt.database.repos;
  const message = async (id: string, at: string, payload: Loose) =>
    outbox.enqueue({
      id,
      idempotencyKey: `analytics-test:${id}`,
      channel: 'default',
      recipient: '5215550001',
      kind: payload.type,
      category: null,
      payload,
      createdAt: at,
    });
  // Mexico City 03-02 04:00, UTC 03-02: read a minute after Meta accepted it.
  await message('a1', '2026-03-02T10:00:00.000Z', { type: 'template', name: 'promo', language: 'es_MX' });
  await outbox.markAccepted('a1', 'wamid.a1', '2026-03-02T10:00:01.000Z');
  for (const [status, at] of [
    ['delivered', '2026-03-02T10:00:05.000Z'],
    ['read', '2026-03-02T10:01:01.000Z'],
  ] as const) {
    await outbox.applyStatus({ providerMessageId: 'wamid.a1', status, at, error: null });
  }
  // Mexico City 03-02 21:00, UTC 03-03: accepted, then failed outside the 24-hour window.
  await message('a2', '2026-03-03T03:00:00.000Z', { type: 'text', text: { body: 'hola' } });
  await outbox.markAccepted('a2', 'wamid.a2', '2026-03-03T03:00:01.000Z');
  await outbox.applyStatus({
    providerMessageId: 'wamid.a2',
    status: 'failed',
    at: '2026-03-03T03:00:09.000Z',
    error: { code: 131047, message: 'Re-engagement message' },
  });
  // Mexico City 03-03, UTC 03-03: refused by policy, with a name a spreadsheet would run as a formula.
  await message('a3', '2026-03-03T12:00:00.000Z', { type: 'template', name: '=cmd', language: 'es' });
  await outbox.markRefused(
    'a3',
    { code: 'opted_out', message: 'the contact opted out' },
    '2026-03-03T12:00:00.000Z',
  );
}

beforeAll(async () => {
  ({ base, rt, close } = await startInProcess(
    { SWITCHBOARD_API_KEY: KEY, SWITCHBOARD_SEED_EXAMPLES: 'false', SWITCHBOARD_ANALYTICS_FOLD_MS: '100' },
    { prefix: 'analytics' },
  ));
  // The seeded messages are history: the sender must not pick the queued ones up while they are written.
  await rt.sender?.stop();
  rt.sender = undefined;
  await seed();
});
afterAll(() => close());

const MX = 'from=2026-03-02&to=2026-03-03&tz=America/Mexico_City';

describe('GET /api/analytics/messaging', () => {
  it('counts per local day of the time zone asked for, with rates and Meta’s meaning of each error', async () => {
    const { status, body } = await get(`/api/analytics/messaging?${MX}`);
    expect(status).toBe(200);
    // Dates are whole local days: `to` is inclusive.
    expect(body).toMatchObject({
      from: '2026-03-02T06:00:00.000Z',
      to: '2026-03-04T06:00:00.000Z',
      timeZone: 'America/Mexico_City',
      flowId: null,
    });
    expect(body.days).toEqual([
      { day: '2026-03-02', messages: 2, sent: 2, delivered: 1, read: 1, failed: 1, refused: 0 },
      { day: '2026-03-03', messages: 1, sent: 0, delivered: 0, read: 0, failed: 0, refused: 1 },
    ]);
    expect(body.totals).toEqual({
      messages: 3,
      sent: 2,
      delivered: 1,
      read: 1,
      failed: 1,
      refused: 1,
      deliveryRate: 0.5,
      readRate: 1,
      medianTimeToReadMs: 60_000,
      timeToReadSample: 1,
    });
    expect(body.failuresByCode).toEqual([
      { code: '131047', meaning: expect.stringContaining('24 hours'), count: 1 },
    ]);
    expect(body.byTemplate.map((t: Loose) => [t.template, t.messages])).toEqual([
      ['=cmd', 1],
      ['promo', 1],
    ]);

    const utc = await get('/api/analytics/messaging?from=2026-03-02&to=2026-03-03&tz=UTC');
    expect(utc.body.days.map((d: Loose) => [d.day, d.messages])).toEqual([
      ['2026-03-02', 1],
      ['2026-03-03', 2],
    ]);
  });

  it('exports a table as CSV with a header row, defusing cells a spreadsheet would run', async () => {
    const days = await get(`/api/analytics/messaging?${MX}&format=csv`);
    expect(days.status).toBe(200);
    expect(days.type).toMatch(/^text\/csv/);
    expect(days.res.headers.get('content-disposition')).toContain('messaging-days-2026-03-02-2026-03-04.csv');
    expect(days.text).toBe(
      'day,messages,sent,delivered,read,failed,refused\r\n' +
        '2026-03-02,2,2,1,1,1,0\r\n' +
        '2026-03-03,1,0,0,0,0,1\r\n',
    );
    const templates = await get(`/api/analytics/messaging?${MX}&format=csv&table=templates`);
    expect(templates.text.split('\r\n')).toEqual([
      'template,messages,sent,delivered,read,failed,refused',
      "'=cmd,1,0,0,0,0,1",
      'promo,1,1,1,1,0,0',
      '',
    ]);
    const refusals = await get(`/api/analytics/flows?${MX}&format=csv&table=refusals`);
    expect(refusals.text).toBe('reason,count\r\nopted_out,1\r\n');
  });

  it('defaults to the last 7 local days, today included', async () => {
    const { status, body } = await get('/api/analytics/messaging?tz=Asia/Tokyo');
    expect(status).toBe(200);
    expect(body.days).toHaveLength(7);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
    expect(body.days.at(-1).day).toBe(today);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(7 * 86_400_000); // Tokyo has no DST
  });

  it('refuses a bad time zone, range or table with a 400 naming the input', async () => {
    const tz = await get('/api/analytics/messaging?tz=Mars/Olympus');
    expect(tz.status).toBe(400);
    expect(tz.body.problems).toEqual([
      { path: '$.query.tz', message: expect.stringContaining('IANA time zone') },
    ]);
    const from = await get('/api/analytics/routing?from=yesterday');
    expect(from.status).toBe(400);
    expect(from.body.problems[0].path).toBe('$.query.from');
    const backwards = await get('/api/analytics/consent?from=2026-03-05&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.problems).toEqual([{ path: '$.query.to', message: 'must be after "from"' }]);
    const tooLong = await get('/api/analytics/flows?from=2020-01-01&to=2026-01-01');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.problems[0]).toEqual({
      path: '$.query.to',
      message: expect.stringContaining('367 days'),
    });
    const table = await get('/api/analytics/messaging?format=csv&table=nodes');
    expect(table.status).toBe(400);
    expect(table.body.problems[0].path).toBe('$.query.table');
  });
});

describe('the other analytics endpoints', () => {
  it('answer with their per-day rows and figures', async () => {
    const flows = await get(`/api/analytics/flows?${MX}`);
    expect(flows.status).toBe(200);
    expect(flows.body.totals).toEqual({ runs: 0, succeeded: 0, failed: 0, successRate: null });
    expect(flows.body.policyRefusals).toEqual([{ reason: 'opted_out', count: 1 }]);
    const routing = await get(`/api/analytics/routing?${MX}`);
    expect(routing.status).toBe(200);
    expect(routing.body.days.map((d: Loose) => d.day)).toEqual(['2026-03-02', '2026-03-03']);
    expect(routing.body.totals.conversations).toBe(0);
    const consent = await get(`/api/analytics/consent?${MX}&format=csv`);
    expect(consent.text).toBe('day,optIns,optOuts\r\n2026-03-02,0,0\r\n2026-03-03,0,0\r\n');
  });

  it('are documented in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as Loose;
    for (const name of ['messaging', 'flows', 'routing', 'consent']) {
      const op = doc.paths[`/api/analytics/${name}`]?.get;
      expect(op, name).toBeDefined();
      expect(op.parameters.map((p: Loose) => p.name)).toEqual(
        expect.arrayContaining(['from', 'to', 'tz', 'flowId', 'format', 'table']),
      );
    }
  });
});

describe('the messaging report’s counts', () => {
  it('are folded by the worker as messages change, and count the same before and after', async () => {
    const range = 'from=2026-03-10&to=2026-03-11&tz=UTC';
    await rt.database.repos.outbox.enqueue({
      id: 'late1',
      idempotencyKey: 'analytics-test:late1',
      channel: 'default',
      recipient: '5215550002',
      kind: 'text',
      category: null,
      payload: { type: 'text', text: { body: 'hola' } },
      createdAt: '2026-03-10T12:07:00.000Z',
    });
    const unfolded = (await get(`/api/analytics/messaging?${range}`)).body;
    expect(unfolded.totals.messages).toBe(1);
    // The worker folds every 100 ms here: after a while nothing is left for a fold made by hand. Had it
    // not run, this fold would find the new message's change.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await rt.database.repos.analytics.foldMessageCounts()).toBe(0);
    expect((await get(`/api/analytics/messaging?${range}`)).body).toEqual(unfolded);
  });
});
