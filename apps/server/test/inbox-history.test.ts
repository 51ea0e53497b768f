import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerSays, type InboxPeople, routeTo, setUpTeams } from './inbox-helpers.js';
import { eventually, flowDoc, type Loose, startWhatsAppServer } from './wa-helpers.js';

// What the inbox shows of a conversation: the contact's whole WhatsApp history (in, out with ticks and
// who sent it, notes, routing), the contact and its 24-hour window; the list; agents replying.

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
let people: InboxPeople;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const as =
  (key: string) =>
  (path: string, init: RequestInit & { json?: unknown } = {}) =>
    s.api(path, { ...init, headers: { ...bearer(key), ...(init.headers ?? {}) } });
const text = (body: string) => ({ type: 'text', text: body });

const WA = '34600300001';
let id: string;

beforeAll(async () => {
  s = await startWhatsAppServer();
  people = await setUpTeams(s.rt, s.api);
  await s.install(
    flowDoc(
      'welcome',
      [{ id: 'hi', type: 'whatsapp.sendText', params: { text: '¡Hola! Te paso con una persona' } }],
      ['start->hi'],
      'trigger.whatsappMessage',
    ),
  );
  await customerSays(s.hook, WA, 'Quiero cambiar mi factura');
  await eventually(async () => (await s.api(`/api/messages?waId=${WA}`)).body.items.length === 1);
  id = await routeTo(s.rt, 'billing', WA, { priority: 'high' });
  expect(
    (await s.api(`/api/contacts/${WA}`, { method: 'PATCH', json: { attributes: { tier: 'gold' } } })).status,
  ).toBe(200);
});
afterAll(() => s?.close());

describe('conversation history for the inbox', () => {
  it('merges messages in and out (with who sent them and their ticks), notes and routing, oldest first', async () => {
    const ana = as(people.ana.key);
    expect((await ana(`/api/conversations/${id}/pick-up`, { method: 'POST' })).status).toBe(200);
    const reply = await ana('/api/messages', {
      method: 'POST',
      json: { to: WA, message: text('Ya lo miro') },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    const fromApi = await s.api('/api/messages', {
      method: 'POST',
      json: { to: WA, message: text('Aviso automático') },
    });
    expect(fromApi.status).toBe(202);
    const note = await ana(`/api/conversations/${id}/notes`, {
      method: 'POST',
      json: { text: '  Cliente VIP, revisar  ' },
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({
      kind: 'note',
      data: {
        text: 'Cliente VIP, revisar',
        by: { userId: people.ana.userId, name: 'Ana López', agentId: 'ana' },
      },
    });
    // The sandbox delivers and reads what was sent: the ticks are in the history.
    await eventually(async () => (await s.api(`/api/messages/${reply.body.id}`)).body.status === 'read');
    await customerSays(s.hook, WA, 'Gracias');

    const page = await eventually(async () => {
      const r = (await ana(`/api/conversations/${id}/messages`)).body;
      // Ana owns the conversation: the dispatcher notes that no flow answered it (bot hand-off).
      return r.items?.at(-1)?.kind === 'bot_skipped' ? r : undefined;
    });
    const summary = page.items.map((i: Loose) =>
      i.type === 'event'
        ? `event:${i.kind}`
        : `${i.type}:${i.type === 'out' ? i.source : 'customer'}:${i.preview}`,
    );
    expect(summary).toEqual([
      'in:customer:Quiero cambiar mi factura',
      'out:flow:¡Hola! Te paso con una persona',
      'event:opened',
      'event:assigned',
      'event:picked_up',
      'out:agent:Ya lo miro',
      'out:api:Aviso automático',
      'event:note',
      'in:customer:Gracias',
      'event:bot_skipped',
    ]);
    const times = page.items.map((i: Loose) => i.at);
    expect([...times].sort()).toEqual(times);
    const agentReply = page.items.find((i: Loose) => i.id === reply.body.id);
    expect(agentReply).toMatchObject({
      source: 'agent',
      by: { userId: people.ana.userId, name: 'Ana López' },
      status: 'read',
      runId: null,
    });
    expect(agentReply.statuses.map((t: Loose) => t.status)).toEqual(
      expect.arrayContaining(['queued', 'accepted', 'delivered', 'read']),
    );
    expect(page.items.find((i: Loose) => i.source === 'flow').runId).toEqual(expect.any(String));
    expect(page.items.find((i: Loose) => i.source === 'api').by).toBeNull();
    // The reply is also in the conversation's own history, as Ana's (time to first human reply).
    const own = (await ana(`/api/conversations/${id}`)).body.history;
    expect(own.find((e: Loose) => e.kind === 'replied').data).toMatchObject({
      messageId: reply.body.id,
      by: { name: 'Ana López', agentId: 'ana' },
    });
    expect(own.find((e: Loose) => e.kind === 'note').data.text).toBe('Cliente VIP, revisar');

    expect(page.contact).toMatchObject({
      waId: WA,
      name: 'Cliente',
      phone: `+${WA}`,
      tier: 'gold',
      country: 'ES',
    });
    expect(page.window.open).toBe(true);
    expect(Date.parse(page.window.until) - Date.parse(page.contact.lastInboundAt)).toBe(24 * 3600_000);
    expect(page.conversation).toMatchObject({ id, state: 'open', agentId: 'ana' });
  });

  it('pages back with `before` and forward with `after`, and the pages add up to the whole history', async () => {
    const ana = as(people.ana.key);
    const whole = (await ana(`/api/conversations/${id}/messages?limit=200`)).body.items;
    expect(whole.length).toBeGreaterThan(6);
    const pages: Loose[][] = [];
    let cursor: string | null = null;
    do {
      const r: Loose = (
        await ana(`/api/conversations/${id}/messages?limit=3${cursor ? `&before=${cursor}` : ''}`)
      ).body;
      pages.unshift(r.items);
      cursor = r.olderCursor;
    } while (cursor);
    expect(pages.flat()).toEqual(whole);
    // From the first page's newest entry: everything after it, oldest first.
    const first = (
      await ana(
        `/api/conversations/${id}/messages?limit=3&before=${
          (await ana(`/api/conversations/${id}/messages?limit=${whole.length - 3}`)).body.olderCursor
        }`,
      )
    ).body;
    expect(first.items).toEqual(whole.slice(0, 3));
    const rest = (await ana(`/api/conversations/${id}/messages?limit=200&after=${first.newerCursor}`)).body;
    expect(rest.items).toEqual(whole.slice(3));
    expect(rest.hasNewer).toBe(false);
    const bad = await ana(`/api/conversations/${id}/messages?before=not-a-cursor`);
    expect(bad.status).toBe(400);
    expect(bad.body.problems[0].path).toBe('$.query.before');
  });

  it('refuses free text outside the 24-hour window with a clear error, and accepts a template', async () => {
    const wa = '34600300002';
    // The customer last wrote 25 hours ago.
    const wrote = new Date(Date.now() - 25 * 3600_000);
    wrote.setMilliseconds(0);
    await customerSays(s.hook, wa, 'hola', wrote.toISOString());
    const late = await routeTo(s.rt, 'billing', wa);
    const ana = as(people.ana.key);
    const page = await eventually(async () => {
      const r = (await ana(`/api/conversations/${late}/messages`)).body;
      return r.contact?.lastInboundAt ? r : undefined;
    });
    expect(page.window).toEqual({
      open: false,
      until: new Date(wrote.getTime() + 24 * 3600_000).toISOString(),
    });

    const refused = await ana('/api/messages', {
      method: 'POST',
      json: { to: wa, message: text('¿Sigues ahí?') },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.problems[0].reason).toBe('outside_24h_window');
    expect(refused.body.message).toMatch(/24 hours.*template/);
    const template = await ana('/api/messages', {
      method: 'POST',
      json: {
        to: wa,
        message: { type: 'template', name: 'seguimiento', language: 'es', category: 'utility' },
      },
    });
    expect(template.status, JSON.stringify(template.body)).toBe(202);
    const after = (await ana(`/api/conversations/${late}/messages`)).body.items.filter(
      // (The welcome flow's answer to the old message was refused too: it is the flow's, not Ana's.)
      (i: Loose) => i.type === 'out' && i.source === 'agent',
    );
    expect(after.map((i: Loose) => [i.status, i.source])).toEqual([
      ['refused', 'agent'],
      [expect.stringMatching(/queued|sending|accepted|sent|delivered|read/), 'agent'],
    ]);
  });

  it('keeps an agent to their teams: another team’s conversation, contact and messages are not theirs', async () => {
    const salesWa = '34600300003';
    await customerSays(s.hook, salesWa, 'quiero comprar');
    // Stored before the 200, processed after it: the 24-hour window opens once the dispatcher has it.
    await eventually(async () => (await s.api(`/api/messages?waId=${salesWa}`)).body.items.length >= 1);
    const sales = await routeTo(s.rt, 'sales', salesWa);
    const ana = as(people.ana.key);
    for (const path of [`/api/conversations/${sales}/messages`, `/api/conversations/${sales}`])
      expect((await ana(path)).status).toBe(404);
    for (const path of ['notes', 'hand-back'])
      expect(
        (await ana(`/api/conversations/${sales}/${path}`, { method: 'POST', json: { text: 'x' } })).status,
      ).toBe(404);
    const send = await ana('/api/messages', { method: 'POST', json: { to: salesWa, message: text('hola') } });
    expect(send.status).toBe(404);
    // Bob, in Sales, may.
    const bob = as(people.bob.key);
    expect((await bob(`/api/conversations/${sales}/messages`)).status).toBe(200);
    const bobSends = await bob('/api/messages', {
      method: 'POST',
      json: { to: salesWa, message: text('hola') },
    });
    expect(bobSends.status, JSON.stringify(bobSends.body)).toBe(202);
  });

  it('checks notes: 1 to 4000 characters of text, nothing else', async () => {
    const ana = as(people.ana.key);
    for (const body of [{}, { text: '' }, { text: '   ' }, { text: 'x'.repeat(4001) }, { text: 42 }]) {
      const r = await ana(`/api/conversations/${id}/notes`, { method: 'POST', json: body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.problems.map((p: Loose) => p.path)).toContain('$.body.text');
    }
    const extra = await ana(`/api/conversations/${id}/notes`, {
      method: 'POST',
      json: { text: 'ok', pinned: true },
    });
    expect(extra.status).toBe(400);
    expect(
      (await ana(`/api/conversations/${id}/notes`, { method: 'POST', json: { text: 'x'.repeat(4000) } }))
        .status,
    ).toBe(201);
    expect((await ana('/api/conversations/nope/notes', { method: 'POST', json: { text: 'x' } })).status).toBe(
      404,
    );
  });

  it('lists the inbox by priority then waiting time, with name, number, tier, last message and SLA; assignedTo=me', async () => {
    const urgentWa = '34600300004';
    // Routed first, so the welcome flow does not answer (a person owns the conversation): the
    // customer's message stays the last one however fast the dispatcher is.
    const urgent = await routeTo(s.rt, 'billing', urgentWa, { priority: 'urgent' });
    await customerSays(s.hook, urgentWa, 'URGENTE no puedo pagar');
    const ana = as(people.ana.key);
    const list = await eventually(async () => {
      const items = (await ana('/api/conversations?state=active')).body.items;
      // Once the dispatcher has the contact (its WhatsApp profile name wins over the flow's).
      return items[0]?.contact.name === 'Cliente' && items[0]?.lastMessage?.direction === 'in'
        ? items
        : undefined;
    });
    expect(list[0].id).toBe(urgent);
    const ranks = { urgent: 3, high: 2, normal: 1, low: 0 } as Record<string, number>;
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1], list[i]];
      expect(
        ranks[a.priority]! > ranks[b.priority]! || (a.priority === b.priority && a.openedAt <= b.openedAt),
      ).toBe(true);
    }
    expect(list.every((c: Loose) => c.teamId === 'billing')).toBe(true);
    expect(list[0]).toMatchObject({
      contact: { name: 'Cliente', phone: `+${urgentWa}`, tier: null },
      lastMessage: { direction: 'in', preview: 'URGENTE no puedo pagar' },
      slaDueAt: expect.any(String),
    });
    const mainOne = list.find((c: Loose) => c.id === id);
    expect(mainOne.contact.tier).toBe('gold');
    expect(mainOne.lastMessage).toMatchObject({ direction: 'in', preview: 'Gracias' });

    const mine = (await ana('/api/conversations?assignedTo=me')).body.items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((c: Loose) => c.agentId === 'ana')).toBe(true);
    // Bob holds none of Billing's; the owner's key works as no agent.
    expect(
      (await as(people.bob.key)('/api/conversations?assignedTo=me')).body.items.every(
        (c: Loose) => c.agentId === 'bob',
      ),
    ).toBe(true);
    const owner = await s.api('/api/conversations?assignedTo=me');
    expect(owner.status).toBe(400);
    expect(owner.body.problems[0].path).toBe('$.query.assignedTo');
    expect((await ana('/api/conversations?assignedTo=you')).status).toBe(400);
  });
});
