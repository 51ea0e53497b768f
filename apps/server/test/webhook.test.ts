import { signBody } from '@switchboard/whatsapp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_SECRET,
  eventually,
  inbound,
  type Loose,
  messagesBody,
  metaBytes,
  startWhatsAppServer,
  status,
  VERIFY_TOKEN,
} from './wa-helpers.js';

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
beforeAll(async () => {
  // The sandbox's own status webhooks would race the out-of-order ones these tests post: push them far out.
  s = await startWhatsAppServer({ WHATSAPP_SANDBOX_STATUS_DELAYS_MS: '600000,600000,600000' });
});
afterAll(() => s.close());

const events = async (query = '') => (await s.api(`/api/events?limit=500${query}`)).body.items as Loose[];
const processed = (key: string) =>
  eventually(async () => {
    const all = await events();
    const hit = all.find((e) => e.event.dedupeKey === key);
    return hit && hit.status !== 'pending' ? hit : undefined;
  });

/** Every stored event handled (in scale-out, contacts' events are handled in parallel, not as one batch). */
const allProcessed = () =>
  eventually(async () => {
    const all = await events();
    return all.length > 0 && all.every((e) => e.status !== 'pending') ? all : undefined;
  });

describe('webhook handshake', () => {
  it('echoes the challenge as plain text for the right verify token, and answers 403 otherwise', async () => {
    const ok = await fetch(
      `${s.base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([
      200,
      'text/plain; charset=utf-8',
      '1158201444',
    ]);
    for (const q of [
      `hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
      `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
      '',
    ]) {
      expect((await fetch(`${s.base}/webhooks/whatsapp?${q}`)).status).toBe(403);
    }
  });
});

describe('webhook ingress', () => {
  it('refuses missing or wrong signatures with 401 and stores nothing', async () => {
    const raw = metaBytes(
      inbound('34600000009', 'wamid.unsigned', '2026-06-01T10:00:00Z', {
        type: 'text',
        text: { body: 'hola' },
      }),
    );
    const before = await s.rt.events.deliveryCount();
    expect((await s.hook(raw, null)).status).toBe(401);
    expect((await s.hook(raw, `sha256=${'0'.repeat(64)}`)).status).toBe(401);
    expect((await s.hook(raw, signBody(raw, 'another-apps-secret'))).status).toBe(401);
    expect((await s.hook(raw, 'sha1=abc')).status).toBe(401);
    expect(await s.rt.events.deliveryCount()).toBe(before);
    expect((await events()).some((e) => e.event.messageId === 'wamid.unsigned')).toBe(false);
  });

  it('answers 400 to signed malformed JSON and 413 to a body over 1 MiB, and keeps working', async () => {
    expect((await s.hook('{"object":')).status).toBe(400);
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const tooBig = await fetch(`${s.base}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(big, APP_SECRET) },
      body: big,
    });
    expect(tooBig.status).toBe(413);
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
  });

  it('refuses an oversized body sent without a length (chunked) with 413, and stores nothing', async () => {
    const before = await s.rt.events.deliveryCount();
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const body = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 6; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${s.base}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as Loose).error).toBe('body_too_large');
    expect(await s.rt.events.deliveryCount()).toBe(before);
  });

  it('stores the same on the fast path and through Express (trailing slash), and times the route in /metrics', async () => {
    const one = metaBytes(
      inbound('34600000021', 'wamid.fast', '2026-06-01T10:00:00Z', { type: 'text', text: { body: 'a' } }),
    );
    const two = metaBytes(
      inbound('34600000022', 'wamid.slow', '2026-06-01T10:00:00Z', { type: 'text', text: { body: 'b' } }),
    );
    const post = (path: string, raw: Buffer) =>
      fetch(`${s.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) },
        body: raw,
      });
    const fast = await post('/webhooks/whatsapp', one);
    const slow = await post('/webhooks/whatsapp/', two);
    expect([fast.status, await fast.json()]).toEqual([200, { received: 1, duplicates: 0 }]);
    expect([slow.status, await slow.json()]).toEqual([200, { received: 1, duplicates: 0 }]);
    await processed('msg:wamid.fast');
    await processed('msg:wamid.slow');
    const metrics = await (await fetch(`${s.base}/metrics`)).text();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/webhooks\/whatsapp"[^}]*status="200"/,
    );
  });

  it('verifies the raw escaped-unicode bytes Meta signs, and decodes them', async () => {
    const raw = metaBytes(
      inbound(
        '34600000001',
        'wamid.unicode',
        '2026-06-01T10:00:00Z',
        { type: 'text', text: { body: '¿Facturación? J’ai mangé 🍕' } },
        'José',
      ),
    );
    expect(raw.toString()).toContain('\\u00bf');
    expect(await s.hook(raw)).toEqual({ status: 200, body: { received: 1, duplicates: 0 } });
    const e = await processed('msg:wamid.unicode');
    expect(e.event.message).toEqual({ type: 'text', text: '¿Facturación? J’ai mangé 🍕' });
    expect(e.event.profileName).toBe('José');
  });

  it('stores every message, status, error and other field of a batch, each once, and acknowledges re-deliveries without processing them', async () => {
    const batch = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                ...messagesBody({}).entry[0]!.changes[0]!.value,
                contacts: [{ profile: { name: 'Ana' }, wa_id: '34600000002' }],
                messages: [
                  {
                    from: '34600000002',
                    id: 'wamid.b1',
                    timestamp: '1780000000',
                    type: 'text',
                    text: { body: 'uno' },
                  },
                  {
                    from: '34600000002',
                    id: 'wamid.b2',
                    timestamp: '1780000001',
                    type: 'interactive',
                    interactive: { type: 'button_reply', button_reply: { id: 'btn_sales', title: 'Ventas' } },
                  },
                ],
                statuses: [
                  {
                    id: 'wamid.out1',
                    status: 'delivered',
                    timestamp: '1780000002',
                    recipient_id: '34600000002',
                  },
                ],
                errors: [
                  {
                    code: 131000,
                    title: 'Something went wrong',
                    message: 'Something went wrong',
                    error_data: { details: 'x' },
                  },
                ],
              },
            },
            { field: 'account_update', value: { phone_number: '15550783881', event: 'VERIFIED_ACCOUNT' } },
          ],
        },
        {
          id: '102290129340398',
          changes: [
            {
              field: 'user_preferences',
              value: {
                ...messagesBody({}).entry[0]!.changes[0]!.value,
                contacts: [{ profile: { name: 'Ana' }, wa_id: '34600000002' }],
                user_preferences: [
                  {
                    wa_id: '34600000002',
                    detail: 'User requested to stop marketing messages',
                    category: 'marketing_messages',
                    value: 'stop',
                    timestamp: 1780000003,
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    const raw = metaBytes(batch);
    const first = await s.hook(raw);
    expect(first).toEqual({ status: 200, body: { received: 6, duplicates: 0 } });
    const again = await s.hook(raw);
    expect(again).toEqual({ status: 200, body: { received: 0, duplicates: 6 } });
    await allProcessed();
    const mine = (await events('&waId=34600000002')).map((e) => e.event.dedupeKey);
    expect(mine.filter((k) => k === 'msg:wamid.b1')).toHaveLength(1);
    const types = (await events()).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'message.received',
        'message.status',
        'channel.error',
        'webhook.other',
        'contact.opted_out',
      ]),
    );
    const contact = (await s.api('/api/contacts/34600000002')).body;
    expect(contact).toMatchObject({
      name: 'Ana',
      phone: '+34600000002',
      country: 'ES',
      lastInboundAt: '2026-05-28T20:26:41.000Z',
      windowOpen: false,
    });
    expect(contact.consent.marketing).toMatchObject({ optedIn: false, source: 'user_preferences' });
    const metrics = await (await fetch(`${s.base}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_webhook_events_total\{type="message.received",duplicate="true"\} 2/);
  });

  it('opts a contact out on STOP/BAJA keywords and back in on ALTA, accent- and case-insensitively', async () => {
    const at = new Date().toISOString();
    await s.hook(
      metaBytes(inbound('5215512345678', 'wamid.k1', at, { type: 'text', text: { body: '  Baja ' } })),
    );
    await processed('msg:wamid.k1:opt_out');
    let contact = (await s.api('/api/contacts/5215512345678')).body;
    expect(contact.consent.all).toMatchObject({ optedIn: false, source: 'keyword' });
    expect(contact.country).toBe('MX');
    await s.hook(
      metaBytes(
        inbound('5215512345678', 'wamid.k2', new Date(Date.now() + 1000).toISOString(), {
          type: 'text',
          text: { body: 'ALTA' },
        }),
      ),
    );
    await processed('msg:wamid.k2:opt_in');
    contact = (await s.api('/api/contacts/5215512345678')).body;
    expect(contact.consent.all).toMatchObject({ optedIn: true, source: 'keyword' });
  });

  it('lists events newest first, filtered by type and contact, with pagination', async () => {
    const page = await s.api('/api/events?type=message.received&limit=2');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items.every((e: Loose) => e.type === 'message.received')).toBe(true);
    const next = await s.api(`/api/events?type=message.received&limit=2&cursor=${page.body.nextCursor}`);
    expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
    expect(page.body.items[0].receivedAt >= next.body.items[0].receivedAt).toBe(true);
  });

  it('advances an outgoing message only forward when statuses arrive out of order, and records a failure', async () => {
    const to = '34600000003';
    await s.hook(
      metaBytes(
        inbound(to, 'wamid.open', new Date().toISOString(), { type: 'text', text: { body: 'hola' } }),
      ),
    );
    await processed('msg:wamid.open');
    const sent = await s.api('/api/messages', {
      method: 'POST',
      json: { to, message: { type: 'text', text: 'Hola, ¿en qué te ayudo?' } },
    });
    expect(sent.status).toBe(202);
    const accepted = await eventually(async () => {
      const m = (await s.api(`/api/messages/${sent.body.id}`)).body;
      return m.providerMessageId ? m : undefined;
    });
    const wamid = accepted.providerMessageId as string;
    const t = Date.now();
    // Statuses out of order, plus a re-delivered one.
    for (const [st, dt] of [
      ['read', 3],
      ['delivered', 2],
      ['sent', 1],
      ['read', 3],
    ] as const) {
      await s.hook(metaBytes(status(wamid, to, st, new Date(t + dt * 1000).toISOString())));
    }
    const final = await eventually(async () => {
      const m = (await s.api(`/api/messages/${sent.body.id}`)).body;
      return m.history.filter((h: Loose) => h.source === 'webhook').length >= 3 ? m : undefined;
    });
    expect(final.status).toBe('read');
    expect(final.history.map((h: Loose) => h.status)).toEqual(
      expect.arrayContaining(['queued', 'accepted', 'sent', 'delivered', 'read']),
    );
  });
});
