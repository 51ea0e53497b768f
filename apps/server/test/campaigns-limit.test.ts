import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CART_TEMPLATE, many, seedContacts } from './campaign-helpers.js';
import { eventually, type Loose, startWhatsAppServer } from './wa-helpers.js';

// The messaging limit (TIER_250: 250 unique users per rolling 24 hours) and local hours, on the
// campaign service's fake clock: the campaign waits, says why and until when, and goes on when time
// has come.

const DAY = 24 * 60 * 60 * 1000;
let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
let offset = 0;
beforeAll(async () => {
  s = await startWhatsAppServer({ SWITCHBOARD_POLL_MS: '50', WHATSAPP_RATE_PER_SECOND: '200' });
  s.rt.campaigns.now = () => new Date(Date.now() + offset);
});
afterAll(() => s.close());

const campaign = async (id: string): Promise<Loose> => (await s.api(`/api/campaigns/${id}`)).body;
const start = async (tag: string, schedule?: unknown) => {
  const created = await s.api('/api/campaigns', {
    method: 'POST',
    json: {
      name: tag,
      channelId: 'default',
      template: CART_TEMPLATE,
      audience: { filter: { tags: { all: [tag] } } },
      ...(schedule ? { schedule } : {}),
    },
  });
  expect(created.status).toBe(201);
  const started = await s.api(`/api/campaigns/${created.body.id}/start`, { method: 'POST' });
  expect(started.status).toBe(200);
  return created.body.id as string;
};
/** Recipients in the outbox (whatever their delivery state). */
const reached = (c: Loose) => c.counts.queued + c.counts.sent + c.counts.delivered + c.counts.read;
/** Every recipient's queue time (on the fake clock). */
async function queueTimes(id: string): Promise<number[]> {
  const times: number[] = [];
  let cursor: string | null = null;
  do {
    const page: Loose = (
      await s.api(`/api/campaigns/${id}/recipients?limit=500${cursor ? `&cursor=${cursor}` : ''}`)
    ).body;
    for (const r of page.items) if (r.queuedAt) times.push(Date.parse(r.queuedAt));
    cursor = page.nextCursor;
  } while (cursor);
  return times.sort((a, b) => a - b);
}

describe('the messaging limit', () => {
  it('reaches at most 250 unique users in any 24 hours, waits, then goes on', async () => {
    await seedContacts(s.rt, many(600, 'ok'), 'limit');
    const id = await start('limit');
    const first = await eventually(async () => {
      const c = await campaign(id);
      return c.waiting?.reason === 'messaging_limit' ? c : undefined;
    }, 60_000);
    expect(reached(first)).toBe(250);
    expect(first.counts.pending).toBe(350);
    expect(first.status).toBe('running');
    expect(first.messagingLimit).toEqual({ tier: 'TIER_250', usedLast24h: 250, available: 0 });
    const until = Date.parse(first.waiting.until);
    expect(until).toBeGreaterThan(Date.now() + DAY - 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + DAY);
    // Time passes, but not a day: nothing more goes.
    offset = DAY / 2;
    await new Promise((r) => setTimeout(r, 500));
    expect(reached(await campaign(id))).toBe(250);

    offset = DAY + 60_000;
    const second = await eventually(async () => {
      const c = await campaign(id);
      return c.waiting?.reason === 'messaging_limit' && reached(c) === 500 ? c : undefined;
    }, 60_000);
    expect(second.counts.pending).toBe(100);
    offset = 2 * DAY + 120_000;
    const done = await eventually(async () => {
      const c = await campaign(id);
      // Completed once every recipient is queued; read once the outbox has sent them all.
      return c.status === 'completed' && c.counts.read === 600 ? c : undefined;
    }, 60_000);
    expect(reached(done)).toBe(600);
    expect(done.counts.pending).toBe(0);

    // On the fake clock, no 24-hour window holds more than 250 queued messages.
    const times = await queueTimes(id);
    expect(times.length).toBe(600);
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= DAY) j++;
      most = Math.max(most, i - j + 1);
    }
    expect(most).toBe(250);
    // The fake Cloud API got each of them once.
    const to = s.rt.sandbox.sends
      .filter((x) => (x.body as Loose).template?.name === 'carrito_abandonado')
      .map((x) => (x.body as Loose).to);
    expect(new Set(to).size).toBe(600);
    expect(to.length).toBe(600);
  }, 200_000);
});

describe('local hours', () => {
  it('holds each contact until its local daytime, then sends', async () => {
    // 03:00 UTC is 04:00 in Madrid (winter): before the 09:00–20:00 window.
    const night = new Date(Date.now() + 4 * DAY);
    night.setUTCHours(3, 0, 0, 0);
    offset = night.getTime() - Date.now();
    await seedContacts(s.rt, many(5, 'ok'), 'hours');
    const id = await start('hours', { startAt: null, localHours: { from: '09:00', to: '20:00' } });
    const waiting = await eventually(async () => {
      const c = await campaign(id);
      return c.waiting?.reason === 'local_hours' ? c : undefined;
    }, 30_000);
    const opens = new Date(night);
    opens.setUTCHours(8, 0, 0, 0); // 09:00 in Madrid (UTC+1 in winter)
    expect(waiting.waiting.until).toBe(opens.toISOString());
    expect(waiting.counts.pending).toBe(5);
    offset = opens.getTime() - Date.now() + 1000;
    const done = await eventually(async () => {
      const c = await campaign(id);
      return c.status === 'completed' ? c : undefined;
    }, 30_000);
    expect(reached(done)).toBe(5);
  }, 90_000);
});
