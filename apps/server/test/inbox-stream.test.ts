import { signBody } from '@switchboard/whatsapp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './auth-helpers.js';
import { freshPostgresEnv, startInProcess, TEST_REDIS_URL, TEST_SERVER_ON_POSTGRES } from './in-process.js';
import { customerSays, type InboxPeople, openStream, routeTo, setUpTeams } from './inbox-helpers.js';
import {
  APP_SECRET,
  BUSINESS,
  eventually,
  inbound,
  KEY,
  metaBytes,
  PHONE_NUMBER_ID,
  startWhatsAppServer,
  VERIFY_TOKEN,
} from './wa-helpers.js';

// GET /api/inbox/stream: live updates for the agent inbox (Server-Sent Events), on SQLite and, in the
// Postgres pass, through LISTEN/NOTIFY.

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
let people: InboxPeople;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const stream = (key: string) => openStream(`${s.base}/api/inbox/stream`, bearer(key));

beforeAll(async () => {
  s = await startWhatsAppServer();
  people = await setUpTeams(s.rt, s.api);
});
afterAll(() => s?.close());

describe('inbox stream', () => {
  it('speaks text/event-stream: a retry hint, then `ready`; without credentials it answers 401', async () => {
    expect((await fetch(`${s.base}/api/inbox/stream`)).status).toBe(401);
    const owner = await stream(KEY);
    expect(owner.status).toBe(200);
    expect(owner.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(owner.headers['cache-control']).toContain('no-cache');
    await owner.next((e) => e.event === 'ready');
    expect(owner.raw[0]).toMatch(/^retry: \d+$/);
    // Owners hear every team: no scope.
    expect(owner.events[0]).toEqual({ event: 'ready', data: { teams: null } });
    owner.close();
    const ana = await stream(people.ana.key);
    expect(await ana.next((e) => e.event === 'ready')).toEqual({
      event: 'ready',
      data: { teams: ['billing'] },
    });
    ana.close();
  });

  it('an agent of Sales does not hear Billing’s conversations or messages; Billing’s agent and the owner do', async () => {
    const ana = await stream(people.ana.key);
    const bob = await stream(people.bob.key);
    const owner = await stream(KEY);
    await Promise.all([ana, bob, owner].map((c) => c.next((e) => e.event === 'ready')));

    const billingWa = '34600100001';
    await customerSays(s.hook, billingWa, 'hola, una factura');
    // Before routing, the contact belongs to nobody's inbox: only the owner hears the message.
    await owner.next((e) => e.event === 'message' && e.data.waId === billingWa);
    const billing = await routeTo(s.rt, 'billing', billingWa);
    const assigned = await ana.next((e) => e.event === 'conversation' && e.data.id === billing);
    expect(assigned.data).toMatchObject({
      id: billing,
      teamId: 'billing',
      agentId: 'ana',
      state: 'assigned',
    });
    await owner.next((e) => e.event === 'conversation' && e.data.id === billing);

    const wamid = await customerSays(s.hook, billingWa, '¿me la reenviáis?');
    const heard = await ana.next((e) => e.event === 'message' && e.data.messageId === wamid);
    expect(heard.data).toEqual({
      conversationId: billing,
      waId: billingWa,
      channel: 'default',
      direction: 'in',
      messageId: wamid,
    });

    // Ana answers from the inbox: everyone who sees the conversation hears the outgoing message.
    const sent = await s.api('/api/messages', {
      method: 'POST',
      headers: bearer(people.ana.key),
      json: { to: billingWa, message: { type: 'text', text: 'Claro, ahora mismo' } },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    const out = await ana.next((e) => e.event === 'message' && e.data.messageId === sent.body.id);
    expect(out.data).toMatchObject({ conversationId: billing, direction: 'out', status: 'queued' });
    // …and its status ticks as the (sandbox) API accepts and delivers it.
    await ana.next(
      (e) => e.event === 'message' && e.data.messageId === sent.body.id && e.data.status === 'delivered',
    );

    // Sales gets something too, so Bob's stream is shown alive: he hears that, and nothing of Billing's.
    const salesWa = '34600100002';
    const sales = await routeTo(s.rt, 'sales', salesWa);
    await bob.next((e) => e.event === 'conversation' && e.data.id === sales);
    await owner.next((e) => e.event === 'conversation' && e.data.id === sales);
    const bobsHeard = JSON.stringify(bob.events);
    expect(bobsHeard).not.toContain(billing);
    expect(bobsHeard).not.toContain(billingWa);
    expect(JSON.stringify(ana.events)).not.toContain(sales);
    for (const c of [ana, bob, owner]) c.close();
  });

  it('tells the old team’s agents when a conversation is transferred away, and notes, hand-backs and closes', async () => {
    const ana = await stream(people.ana.key);
    const bob = await stream(people.bob.key);
    await Promise.all([ana, bob].map((c) => c.next((e) => e.event === 'ready')));
    const wa = '34600100003';
    const id = await routeTo(s.rt, 'billing', wa);
    await ana.next((e) => e.event === 'conversation' && e.data.id === id);

    const note = await s.api(`/api/conversations/${id}/notes`, {
      method: 'POST',
      headers: bearer(people.ana.key),
      json: { text: 'Cliente pide duplicado' },
    });
    expect(note.status).toBe(201);
    await ana.next((e) => e.event === 'conversation' && e.data.id === id && e.data.reason === 'note');

    expect(
      (await s.api(`/api/conversations/${id}/transfer`, { method: 'POST', json: { team: 'sales' } })).status,
    ).toBe(200);
    // Ana no longer sees it, but hears that it left (to Sales, where Bob took it in the same commit).
    const left = await ana.next(
      (e) => e.event === 'conversation' && e.data.id === id && e.data.teamId === 'sales',
    );
    expect(left.data).toMatchObject({ fromTeamId: 'billing', agentId: 'bob' });
    await bob.next((e) => e.event === 'conversation' && e.data.id === id && e.data.teamId === 'sales');

    expect(
      (await s.api(`/api/conversations/${id}/hand-back`, { method: 'POST', headers: bearer(people.bob.key) }))
        .status,
    ).toBe(200);
    const back = await bob.next(
      (e) => e.event === 'conversation' && e.data.id === id && e.data.reason === 'handed_back',
    );
    expect(back.data.state).toBe('closed');
    for (const c of [ana, bob]) c.close();
  });

  it('lets the browser authenticate with its session cookie, and stops listening when the client goes', async () => {
    const client = new Client(s.base);
    expect((await client.signIn('ana@example.com', 'ana-password-0123456789')).status).toBe(200);
    const before = s.rt.inbox.listenerCount();
    const viaCookie = await openStream(`${s.base}/api/inbox/stream`, { cookie: client.cookie! });
    expect(await viaCookie.next((e) => e.event === 'ready')).toEqual({
      event: 'ready',
      data: { teams: ['billing'] },
    });
    expect(s.rt.inbox.listenerCount()).toBe(before + 1);
    viaCookie.close();
    await eventually(() => s.rt.inbox.listenerCount() === before);
  });
});

// Scale-out: a customer's message reaches a web process, a worker handles it (and routes it); the stream
// a browser holds on the web process hears both through Postgres LISTEN/NOTIFY.
describe.runIf(TEST_SERVER_ON_POSTGRES)('inbox stream across processes (Postgres)', () => {
  it('a web process’s stream hears the messages and routing a worker handled', async () => {
    const database = await freshPostgresEnv();
    const schema = database.env.SWITCHBOARD_DATABASE_SCHEMA!;
    const shared = {
      ...database.env,
      REDIS_URL: TEST_REDIS_URL,
      SWITCHBOARD_REDIS_PREFIX: `${schema}:`,
      SWITCHBOARD_SEED_EXAMPLES: 'false',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_WABA_ID: BUSINESS.wabaId,
      WHATSAPP_DISPLAY_PHONE_NUMBER: BUSINESS.displayPhoneNumber,
    };
    const worker = await startInProcess(
      { ...shared, SWITCHBOARD_ROLE: 'worker' },
      { prefix: 'inbox-worker' },
    );
    const web = await startInProcess({ ...shared, SWITCHBOARD_ROLE: 'web' }, { prefix: 'inbox-web' });
    const key = database.env.SWITCHBOARD_API_KEY!;
    try {
      expect(web.rt.dispatcher).toBeUndefined();
      const made = await fetch(`${web.base}/api/teams`, {
        method: 'POST',
        headers: { ...bearer(key), 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'billing', name: 'Billing', timezone: 'UTC' }),
      });
      expect(made.status).toBe(201);
      const owner = await openStream(`${web.base}/api/inbox/stream`, bearer(key));
      await owner.next((e) => e.event === 'ready');

      const wa = '34600100009';
      const raw = metaBytes(
        inbound(wa, 'wamid.scale-out-1', new Date().toISOString(), { type: 'text', text: { body: 'hola' } }),
      );
      const posted = await fetch(`${web.base}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) },
        body: raw,
      });
      expect(posted.status).toBe(200);
      const heard = await owner.next((e) => e.event === 'message' && e.data.waId === wa, 20_000);
      expect(heard.data).toMatchObject({ direction: 'in', messageId: 'wamid.scale-out-1' });

      const id = await routeTo(worker.rt, 'billing', wa);
      const routed = await owner.next((e) => e.event === 'conversation' && e.data.id === id);
      expect(routed.data).toMatchObject({ teamId: 'billing', state: 'queued' });
      owner.close();
    } finally {
      await web.close();
      await worker.close();
      await database.drop();
    }
  });
});
