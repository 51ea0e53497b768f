import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busiestSecond, CART_TEMPLATE, many, seedContacts, waIdOf } from './campaign-helpers.js';
import { eventually, flowDoc, inbound, type Loose, metaBytes, startWhatsAppServer } from './wa-helpers.js';

// Acceptance of broadcast campaigns (docs/campaigns.md): a marketing template to 1,000 seeded contacts
// skips the blocked region, the opted-out, the not opted-in and those missing a parameter, with exact
// counts; sends the rest once each within the per-number rate; and reports the same numbers everywhere.

const RATE = 100;
let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
beforeAll(async () => {
  s = await startWhatsAppServer({
    WHATSAPP_MESSAGING_LIMIT: 'TIER_2K',
    WHATSAPP_RATE_PER_SECOND: String(RATE),
    SWITCHBOARD_POLL_MS: '50',
  });
});
afterAll(() => s.close());

const create = (body: Record<string, unknown>) => s.api('/api/campaigns', { method: 'POST', json: body });
const campaign = async (id: string): Promise<Loose> => (await s.api(`/api/campaigns/${id}`)).body;

describe('a campaign to 1,000 contacts', () => {
  const kinds = [
    ...many(50, 'blocked'),
    ...many(100, 'opted_out'),
    ...many(120, 'not_opted_in'),
    ...many(30, 'no_cart'),
    ...many(700, 'ok'),
  ];
  const SENT = 700;
  // One recipient's number fails at Meta (131026: not a WhatsApp user).
  const failing = waIdOf(kinds.length - 1, 'ok');

  it('previews, skips with reasons, sends each eligible contact once and reports exact counts', async () => {
    await seedContacts(s.rt, kinds);
    s.rt.sandbox.failRecipient(failing, { code: 131026, title: 'Message undeliverable' }, { times: 100 });
    const sendsBefore = s.rt.sandbox.sends.length;
    const audience = { filter: { tags: { all: ['promo'] } } };
    const preview = await s.api('/api/campaigns/preview', {
      method: 'POST',
      json: { audience, channelId: 'default', template: CART_TEMPLATE },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.total).toBe(1000);
    expect(preview.body.willSend).toBe(SENT);
    const expectedSkips = [
      { reason: 'not_opted_in', count: 120 },
      { reason: 'opted_out', count: 100 },
      { reason: 'blocked_region', count: 50 },
      { reason: 'missing_parameter', count: 30 },
    ];
    expect(preview.body.skipped).toEqual(expectedSkips);

    const created = await create({
      name: 'Carritos',
      channelId: 'default',
      template: CART_TEMPLATE,
      audience,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      template: { name: 'carrito_abandonado', category: 'marketing' },
      progress: { total: 0, processed: 0, percent: 0 },
      messagingLimit: { tier: 'TIER_2K' },
      waiting: null,
    });
    const id = created.body.id as string;
    const started = await s.api(`/api/campaigns/${id}/start`, { method: 'POST' });
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('running');
    // The audience is stored before the start answers.
    expect(started.body.progress.total).toBe(1000);
    expect((await s.api(`/api/campaigns/${id}/start`, { method: 'POST' })).status).toBe(409);

    const done = await eventually(async () => {
      const c = await campaign(id);
      return c.status === 'completed' && c.counts.read === SENT - 1 && c.counts.failed === 1 ? c : undefined;
    }, 200_000);
    expect(done.counts).toEqual({
      pending: 0,
      queued: 0,
      sent: 0,
      delivered: 0,
      read: SENT - 1,
      replied: 0,
      failed: 1,
      skipped: 300,
      cancelled: 0,
    });
    expect(done.progress).toEqual({ total: 1000, processed: 1000, percent: 100 });
    expect(done.finishedAt).toEqual(expect.any(String));
    // The failed message was accepted by Meta (it failed later, by status webhook): it counts.
    expect(done.messagingLimit).toEqual({ tier: 'TIER_2K', usedLast24h: SENT, available: 2000 - SENT });

    const results = (await s.api(`/api/campaigns/${id}/results`)).body;
    expect(results.counts).toEqual(done.counts);
    expect(results.skipped).toEqual(expectedSkips);
    expect(results.failed).toEqual([{ code: 131026, title: expect.any(String), count: 1 }]);

    // The fake Cloud API got each eligible contact exactly once, with its own parameters.
    const sends = s.rt.sandbox.sends
      .slice(sendsBefore)
      .filter((x) => (x.body as Loose).template?.name === 'carrito_abandonado');
    const to = sends.filter((x) => x.status === 200).map((x) => (x.body as Loose).to as string);
    expect(to.length).toBe(SENT);
    expect(new Set(to).size).toBe(SENT);
    const first = sends.find((x) => (x.body as Loose).to === `+${waIdOf(300, 'ok')}`)!.body as Loose;
    expect(first.template.components[0].parameters.map((p: Loose) => p.text)).toEqual([
      'Cliente 300',
      '300,00 €',
      `https://tienda.example/c/${waIdOf(300, 'ok')}`,
    ]);
    const unnamed = sends.find((x) => (x.body as Loose).to === `+${waIdOf(301, 'ok')}`)!.body as Loose;
    expect(unnamed.template.components[0].parameters[0].text).toBe('amigo');
    // Never faster than the per-number rate (a tenth of a second of burst on top).
    expect(busiestSecond(sends.map((x) => x.at))).toBeLessThanOrEqual(RATE + Math.ceil(RATE / 10));

    // Recipients page by WhatsApp id, filtered by state and reason.
    const blocked = (
      await s.api(`/api/campaigns/${id}/recipients?status=skipped&reason=blocked_region&limit=30`)
    ).body;
    expect(blocked.items.length).toBe(30);
    expect(blocked.items[0]).toMatchObject({ status: 'skipped', reason: 'blocked_region', messageId: null });
    const rest = (
      await s.api(
        `/api/campaigns/${id}/recipients?status=skipped&reason=blocked_region&cursor=${blocked.nextCursor}`,
      )
    ).body;
    expect(rest.items.length).toBe(20);
    expect(rest.nextCursor).toBeNull();
    const failed = (await s.api(`/api/campaigns/${id}/recipients?status=failed`)).body;
    expect(failed.items).toEqual([
      expect.objectContaining({
        waId: failing,
        status: 'failed',
        errorCode: 131026,
        messageId: expect.any(String),
      }),
    ]);
    const optedOut = (await s.api(`/api/campaigns/${id}/recipients?reason=opted_out&limit=500`)).body;
    expect(optedOut.items.length).toBe(100);
    expect(new Set(optedOut.items.map((r: Loose) => r.reason))).toEqual(new Set(['opted_out']));
    // By the error code of failed messages, as /results lists them.
    const byCode = (await s.api(`/api/campaigns/${id}/recipients?code=131026`)).body;
    expect(byCode.items.map((r: Loose) => r.waId)).toEqual([failing]);
    expect((await s.api(`/api/campaigns/${id}/recipients?code=131049`)).body.items).toEqual([]);
    const read = (await s.api(`/api/campaigns/${id}/recipients?status=read&limit=1`)).body.items[0];
    expect(read).toMatchObject({
      status: 'read',
      queuedAt: expect.any(String),
      sentAt: expect.any(String),
      deliveredAt: expect.any(String),
      readAt: expect.any(String),
      repliedAt: null,
    });
    // Listed newest first; a completed campaign can be deleted, a running one cannot.
    expect((await s.api('/api/campaigns')).body.items[0].id).toBe(id);
    expect((await s.api(`/api/campaigns/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await s.api(`/api/campaigns/${id}`)).status).toBe(404);
  }, 240_000);
});

describe('campaign requests', () => {
  const base = { name: 'X', channelId: 'default', audience: { filter: {} } };

  it('refuse an unknown or unapproved template, wrong parameters, unknown segment or flow, bad hours', async () => {
    const unknown = await create({ ...base, template: { name: 'no_such', language: 'es' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toBe('invalid_campaign');
    expect(unknown.body.problems).toEqual([
      { path: '$.body.template.name', message: 'no template named "no_such" on this channel\'s account' },
    ]);
    const paused = await create({
      ...base,
      template: { name: 'black_friday_2025', language: 'es', body: { params: ['x'] } },
    });
    expect(paused.status).toBe(422);
    expect(paused.body.message).toContain('is PAUSED: only APPROVED templates can be sent');
    const short = await create({
      ...base,
      template: { ...CART_TEMPLATE, body: { params: ['{{contact.name}}'] } },
    });
    expect(short.status).toBe(422);
    expect(short.body.problems[0].path).toBe('$.body.template.body.params');
    expect(short.body.problems[0].message).toContain('the body takes 3 parameter(s), 1 given');
    const placeholder = await create({
      ...base,
      template: { ...CART_TEMPLATE, body: { params: ['{{contact.nombre}}', 'a', 'b'] } },
    });
    expect(placeholder.body.problems).toEqual([
      {
        path: '$.body.template.body.params[0]',
        message: expect.stringContaining('unknown placeholder "{{contact.nombre}}"'),
      },
    ]);
    const refs = await create({
      ...base,
      template: CART_TEMPLATE,
      audience: { segmentId: 'nope' },
      replyFlowId: 'no-flow',
      schedule: { startAt: 'tomorrow', localHours: { from: '9:00', to: '25:00' } },
    });
    expect(refs.status).toBe(422);
    expect(refs.body.problems.map((p: Loose) => p.path)).toEqual([
      '$.body.audience.segmentId',
      '$.body.replyFlowId',
      '$.body.schedule.startAt',
      '$.body.schedule.localHours.from',
      '$.body.schedule.localHours.to',
    ]);
    const shape = await create({ ...base, template: CART_TEMPLATE, audience: { everyone: true } });
    expect(shape.status).toBe(400);
  });

  it('list newest first a page at a time, of one status when asked', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const ids: string[] = [];
    for (const name of ['L1', 'L2', 'L3']) {
      const made = await create({
        ...base,
        name,
        template: CART_TEMPLATE,
        audience: { filter: { tags: { all: ['nobody-has-this'] } } },
        schedule: { startAt: later, localHours: null },
      });
      ids.push(made.body.id as string);
    }
    const [first, second, third] = ids as [string, string, string];
    const started = await s.api(`/api/campaigns/${second}/start`, { method: 'POST' });
    expect(started.body.status).toBe('scheduled');
    const all = (await s.api('/api/campaigns?limit=500')).body;
    expect(all.nextCursor).toBeNull();
    const times = all.items.map((c: Loose) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // Page by page: the same campaigns in the same order, each once.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Loose = (
        await s.api(`/api/campaigns?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items.map((c: Loose) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.items.map((c: Loose) => c.id));
    expect(paged).toEqual(expect.arrayContaining(ids));
    // By status.
    const scheduled = (await s.api('/api/campaigns?status=scheduled')).body;
    expect(scheduled).toEqual({ items: [expect.objectContaining({ id: second })], nextCursor: null });
    const drafts = (await s.api('/api/campaigns?status=draft&limit=500')).body.items as Loose[];
    expect(drafts.every((c) => c.status === 'draft')).toBe(true);
    expect(drafts.map((c) => c.id)).toEqual(expect.arrayContaining([first, third]));
    expect(drafts.map((c) => c.id)).not.toContain(second);
    expect((await s.api('/api/campaigns?status=bogus')).status).toBe(400);
    const bad = await s.api('/api/campaigns?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
    await s.api(`/api/campaigns/${second}/cancel`, { method: 'POST' });
    for (const id of ids)
      expect((await s.api(`/api/campaigns/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('allow only the transitions of their status (409 otherwise)', async () => {
    await seedContacts(s.rt, many(3, 'ok'), 'transitions');
    const audience = { filter: { tags: { all: ['transitions'] } } };
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const created = await create({
      ...base,
      template: CART_TEMPLATE,
      audience,
      schedule: { startAt: later, localHours: null },
    });
    const id = created.body.id as string;
    const post = (action: string) => s.api(`/api/campaigns/${id}/${action}`, { method: 'POST' });
    expect((await post('pause')).status).toBe(409);
    expect((await post('resume')).status).toBe(409);
    expect((await post('cancel')).status).toBe(409);
    const renamed = await s.api(`/api/campaigns/${id}`, { method: 'PATCH', json: { name: 'Renamed' } });
    expect(renamed.body.name).toBe('Renamed');
    const scheduled = await post('start');
    expect(scheduled.body).toMatchObject({
      status: 'scheduled',
      waiting: { reason: 'scheduled', until: later },
      counts: { pending: 3 },
    });
    expect((await s.api(`/api/campaigns/${id}`, { method: 'DELETE' })).status).toBe(409);
    expect(
      (await s.api(`/api/campaigns/${id}`, { method: 'PATCH', json: { audience: { filter: {} } } })).status,
    ).toBe(409);
    expect((await post('pause')).body.status).toBe('paused');
    const patched = await s.api(`/api/campaigns/${id}`, { method: 'PATCH', json: { name: 'Again' } });
    expect(patched.status).toBe(409);
    expect(patched.body.error).toBe('not_editable');
    expect((await post('resume')).body.status).toBe('scheduled');
    const cancelled = await post('cancel');
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      counts: { pending: 0, cancelled: 3 },
      waiting: null,
    });
    expect((await post('resume')).status).toBe(409);
    expect((await post('start')).status).toBe(409);
    expect((await s.api(`/api/campaigns/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await s.api('/api/campaigns/nope')).status).toBe(404);
  });
});

describe('replies to a campaign message', () => {
  it('are counted and start the campaign’s reply flow, with the campaign in its trigger data', async () => {
    const [waId] = await seedContacts(s.rt, many(2, 'ok'), 'replies', 5000);
    await s.install(
      flowDoc(
        'campaign-sales',
        [
          {
            id: 'wants',
            type: 'condition.if',
            params: { left: '{{ trigger.message.payload }}', operator: 'equals', right: 'OFERTA' },
          },
          {
            id: 'offer',
            type: 'whatsapp.sendText',
            params: { text: 'Oferta de {{ trigger.campaign.name }} para ti' },
          },
        ],
        ['start->wants', 'wants.true->offer'],
      ),
      false,
    );
    const created = await create({
      name: 'Semana',
      channelId: 'default',
      template: {
        name: 'ofertas_semana',
        language: 'es',
        buttons: [
          { index: 0, subType: 'quick_reply', payload: 'OFERTA' },
          { index: 1, subType: 'quick_reply', payload: 'NO' },
        ],
      },
      audience: { filter: { tags: { all: ['replies'] } } },
      replyFlowId: 'campaign-sales',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await s.api(`/api/campaigns/${id}/start`, { method: 'POST' });
    const sent = await eventually(async () => {
      const c = await campaign(id);
      return c.counts.read === 2 ? c : undefined;
    }, 30_000);
    expect(sent.counts.replied).toBe(0);
    const tap = (n: number, message: Record<string, unknown>) =>
      s.hook(metaBytes(inbound(waId!, `wamid.reply.${n}`, new Date().toISOString(), message)));
    expect(
      (await tap(1, { type: 'button', button: { payload: 'OFERTA', text: 'Quiero la oferta' } })).status,
    ).toBe(200);
    const offer = await eventually(() =>
      s.rt.sandbox.sends.find(
        (x) =>
          (x.body as Loose).to === `+${waId}` && (x.body as Loose).text?.body === 'Oferta de Semana para ti',
      ),
    );
    expect(offer).toBeDefined();
    const replied = await eventually(async () => {
      const c = await campaign(id);
      return c.counts.replied === 1 ? c : undefined;
    });
    expect(replied.counts.read).toBe(2);
    const item = (await s.api(`/api/campaigns/${id}/recipients?limit=1`)).body.items[0];
    expect(item).toMatchObject({ waId, repliedAt: expect.any(String) });
    // Only the first reply answers the campaign: a second one starts no second offer.
    await tap(2, { type: 'button', button: { payload: 'OFERTA', text: 'Quiero la oferta' } });
    await new Promise((r) => setTimeout(r, 500));
    const offers = s.rt.sandbox.sends.filter(
      (x) => (x.body as Loose).text?.body === 'Oferta de Semana para ti',
    );
    expect(offers.length).toBe(1);
    expect((await campaign(id)).counts.replied).toBe(1);
  }, 60_000);
});
