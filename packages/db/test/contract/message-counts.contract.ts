import { expect, it } from 'vitest';
import type { AnalyticsQuery } from '../../src/analytics-model.js';
import type { AnalyticsQueries } from '../../src/analytics-queries.js';
import type { AsyncOf } from '../../src/ports.js';

// The messaging report read from the pre-aggregated counts (outbox triggers → changes → fold) must equal
// the report counted from the messages themselves, whatever happened to the messages (inserted, moved
// through statuses, edited, deleted), whether or not the changes were folded, and for ranges that do
// not start or end on a slot or a UTC day, in zones whose days start on a quarter hour.

export interface MessageCountsFixture {
  /** Reports from the pre-aggregated counts. */
  precounted: AsyncOf<AnalyticsQueries>;
  /** Reports counted message by message (`precounted: false`), on the same database. */
  reference: AsyncOf<AnalyticsQueries>;
  insert: (table: 'flows' | 'runs' | 'outbox', rows: Array<Record<string, unknown>>) => Promise<void>;
  /** `update outbox set …` for one message, with the dialect's column names (`status`, `payload`…). */
  update: (
    id: string,
    values: { status?: string; payload?: unknown; runId?: string | null },
  ) => Promise<void>;
  remove: (ids: string[]) => Promise<void>;
  /** Changes still waiting to be folded. */
  pendingChanges: () => Promise<number>;
}

const START = Date.parse('2026-03-02T00:00:00.000Z');
const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'refused'];
const TEMPLATES = ['promo', 'factura', 'cita'];

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    // The high bits: an LCG's low bits repeat with a short period.
    return Math.floor((s / 2147483648) * n);
  };
}

function message(i: number, pick: (n: number) => number) {
  const at = new Date(START + pick(3 * 86_400_000)).toISOString();
  const template = pick(3) === 0 ? TEMPLATES[pick(TEMPLATES.length)]! : null;
  const run = ['r1', 'r2', 'r3', null][pick(4)];
  return {
    id: `m${String(i).padStart(4, '0')}`,
    idempotencyKey: `key-${i}`,
    runId: run,
    nodeId: run ? 'send' : null,
    channel: 'ch1',
    recipient: `52155500${String(i % 50).padStart(2, '0')}`,
    kind: template ? 'template' : 'text',
    category: template ? 'marketing' : null,
    payload: template
      ? { type: 'template', name: template, language: 'es_MX' }
      : { type: 'text', text: { body: 'hola' } },
    status: STATUSES[pick(STATUSES.length)]!,
    attempts: 1,
    providerMessageId: `wamid.${i}`,
    lastError: null,
    createdAt: at,
    updatedAt: at,
  };
}

const QUERIES: AnalyticsQuery[] = [
  // Whole UTC days.
  { from: '2026-03-02T00:00:00.000Z', to: '2026-03-05T00:00:00.000Z', timeZone: 'UTC' },
  // Starts and ends inside a slot and a day, local days of UTC−6.
  { from: '2026-03-02T06:07:13.250Z', to: '2026-03-04T17:52:01.000Z', timeZone: 'America/Mexico_City' },
  // Local days starting at a quarter hour (UTC+5:45).
  { from: '2026-03-01T18:15:00.000Z', to: '2026-03-04T18:15:00.000Z', timeZone: 'Asia/Kathmandu' },
  // Shorter than a day, longer than a slot; and shorter than a slot.
  { from: '2026-03-03T10:05:00.000Z', to: '2026-03-03T19:40:30.000Z', timeZone: 'Europe/Madrid' },
  { from: '2026-03-03T10:01:00.000Z', to: '2026-03-03T10:14:00.000Z', timeZone: 'UTC' },
];

async function expectSameReports(f: MessageCountsFixture) {
  for (const query of QUERIES) {
    const precounted = await f.precounted.messaging(query);
    const reference = await f.reference.messaging(query);
    expect(precounted, `${query.from} → ${query.to} in ${query.timeZone}`).toEqual(reference);
  }
}

export function messageCountsContract(open: () => Promise<MessageCountsFixture>) {
  it('reports what counting every message reports, before and after folding, through inserts, status changes, edits and deletes', async () => {
    const f = await open();
    const at = '2026-03-01T00:00:00.000Z';
    await f.insert('flows', [
      { id: 'welcome', name: 'Welcome', currentVersion: 1, createdAt: at, updatedAt: at },
      { id: 'billing', name: 'Billing', currentVersion: 1, createdAt: at, updatedAt: at },
    ]);
    const run = (id: string, flowId: string) => ({
      id,
      flowId,
      flowVersion: 1,
      status: 'succeeded',
      triggerNodeId: 'trigger',
      state: {},
      createdAt: at,
    });
    await f.insert('runs', [run('r1', 'welcome'), run('r2', 'billing'), run('r3', 'billing')]);
    const pick = random(20261206);
    const messages = Array.from({ length: 400 }, (_, i) => message(i, pick));
    await f.insert('outbox', messages);
    expect(await f.pendingChanges()).toBe(400);
    const total = (await f.reference.messaging(QUERIES[0]!)).totals.messages;
    expect(total).toBe(400);
    await expectSameReports(f);

    expect(await f.precounted.foldMessageCounts()).toBe(400);
    expect(await f.pendingChanges()).toBe(0);
    await expectSameReports(f);

    // Messages move on after the fold: statuses, a template renamed, a message re-attributed, deletions.
    for (let i = 0; i < 150; i++) await f.update(messages[pick(400)]!.id, { status: STATUSES[pick(7)]! });
    const template = messages.find((m) => m.kind === 'template')!;
    await f.update(template.id, { payload: { type: 'template', name: 'renombrada', language: 'es_MX' } });
    await f.update(messages.find((m) => m.runId === null)!.id, { runId: 'r1' });
    await f.remove(messages.slice(0, 25).map((m) => m.id));
    await f.insert(
      'outbox',
      Array.from({ length: 60 }, (_, i) => message(1000 + i, pick)),
    );
    await expectSameReports(f);

    // Part folded, part waiting: still the same.
    expect(await f.precounted.foldMessageCounts()).toBeGreaterThan(0);
    await expectSameReports(f);
    expect(await f.precounted.foldMessageCounts()).toBe(0);
    expect((await f.precounted.messaging(QUERIES[0]!)).totals.messages).toBe(400 - 25 + 60);
  });
}
