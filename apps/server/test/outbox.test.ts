import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Loose, startWhatsAppServer } from './wa-helpers.js';

const RATE = 20;
let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
beforeAll(async () => {
  s = await startWhatsAppServer({ WHATSAPP_RATE_PER_SECOND: String(RATE) });
});
afterAll(() => s.close());

const message = async (id: string) => (await s.api(`/api/messages/${id}`)).body;
const utilityTemplate = {
  type: 'template',
  name: 'order_update',
  language: 'es_MX',
  category: 'utility',
  body: { params: ['A-1001'] },
};

/** A customer writes first, opening the 24-hour window. */
async function customerWrites(from: string, text = 'hola') {
  const r = await s.api('/api/sandbox/messages', { method: 'POST', json: { from, name: 'Cliente', text } });
  expect(r.body.ingressStatus).toBe(200);
  await eventually(async () => (await s.api(`/api/contacts/${from}`)).body.lastInboundAt ?? undefined);
}

describe('policy in the send path', () => {
  it('refuses free-form messages outside the 24-hour window, saying to use a template, and records it', async () => {
    const r = await s.api('/api/messages', {
      method: 'POST',
      json: { to: '34611111111', message: { type: 'text', text: 'hola' } },
    });
    expect(r.status).toBe(422);
    expect(r.body.error).toBe('policy_refused');
    expect(r.body.message).toMatch(/template/);
    const refused = (await s.api('/api/messages?waId=34611111111')).body.items[0];
    expect(refused).toMatchObject({ status: 'refused', lastError: { code: 'outside_24h_window' } });
  });

  it('refuses marketing templates without an opt-in, and everything to blocked regions', async () => {
    const marketing = { ...utilityTemplate, name: 'summer_sale', category: 'marketing' };
    expect(
      (await s.api('/api/messages', { method: 'POST', json: { to: '34622222222', message: marketing } })).body
        .problems[0].reason,
    ).toBe('not_opted_in');
    await s.api('/api/contacts/34622222222', { method: 'PATCH', json: { consent: { marketing: true } } });
    expect(
      (await s.api('/api/messages', { method: 'POST', json: { to: '34622222222', message: marketing } }))
        .status,
    ).toBe(202);
    const cuba = await s.api('/api/messages', {
      method: 'POST',
      json: { to: '+5352000000', message: utilityTemplate },
    });
    expect(cuba.body.problems[0].reason).toBe('blocked_region');
    const metrics = await (await fetch(`${s.base}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_policy_refusals_total\{reason="blocked_region"\} 1/);
    expect(metrics).toMatch(/switchboard_policy_refusals_total\{reason="not_opted_in"\} 1/);
  });

  it('checks Meta’s limits before anything is queued, naming the field', async () => {
    const buttons = [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `Opción ${i}` }));
    const r = await s.api('/api/messages', {
      method: 'POST',
      json: { to: '34633333333', message: { type: 'buttons', body: '¿Qué necesitas?', buttons } },
    });
    expect(r.status).toBe(400);
    expect(r.body.problems[0].path).toBe('$.message.buttons');
    expect(r.body.problems[0].message).toMatch(/3/);
  });
});

describe('sending through the sandbox', () => {
  it('replies to a customer and follows the message to read through signed status webhooks', async () => {
    await customerWrites('34644444444', '¿Tenéis envío a Canarias?');
    const sent = await s.api('/api/messages', {
      method: 'POST',
      json: { to: '34644444444', message: { type: 'text', text: 'Sí, en 48 h.' } },
    });
    expect(sent.status).toBe(202);
    // Status webhooks may arrive out of order (the sandbox's come 20 ms apart, as Meta's can cross):
    // every one is kept in the history, and the message's status never moves back from `read`.
    const read = await eventually(async () => {
      const m = await message(sent.body.id);
      return m.status === 'read' && m.history.length >= 5 ? m : undefined;
    });
    const statuses = read.history.map((h: Loose) => h.status);
    expect(statuses.slice(0, 2)).toEqual(['queued', 'accepted']);
    expect([...statuses].sort()).toEqual(['accepted', 'delivered', 'queued', 'read', 'sent']);
    const request = s.rt.sandbox!.sends.find((x) => x.messageId === read.providerMessageId)!;
    expect(request.body).toMatchObject({
      messaging_product: 'whatsapp',
      to: '+34644444444',
      type: 'text',
      text: { body: 'Sí, en 48 h.' },
    });
  });

  it('returns the first message for a repeated idempotency key and sends once', async () => {
    await customerWrites('34655555555');
    const body = {
      to: '34655555555',
      idempotencyKey: 'run-1:send-welcome',
      message: { type: 'text', text: 'Bienvenido' },
    };
    const a = await s.api('/api/messages', { method: 'POST', json: body });
    const b = await s.api('/api/messages', {
      method: 'POST',
      json: { ...body, message: { type: 'text', text: 'otra' } },
    });
    expect(b.body.id).toBe(a.body.id);
    await eventually(async () => ((await message(a.body.id)).providerMessageId ? true : undefined));
    expect(s.rt.sandbox!.sends.filter((x) => x.body.to === '+34655555555')).toHaveLength(1);
  });

  it('retries a 429 and then a 500, delivering the message exactly once', async () => {
    await customerWrites('34666666666');
    await s.api('/api/sandbox/faults', {
      method: 'POST',
      json: { faults: [{ status: 429, code: 130429, retryAfterSeconds: 1 }, { status: 500 }] },
    });
    const sent = await s.api('/api/messages', {
      method: 'POST',
      json: { to: '34666666666', message: { type: 'text', text: 'Tu pedido salió' } },
    });
    const done = await eventually(async () => {
      const m = await message(sent.body.id);
      return m.status === 'read' ? m : undefined;
    });
    const attempts = s.rt.sandbox!.sends.filter((x) => x.body.to === '+34666666666');
    expect(attempts.map((a) => a.status)).toEqual([429, 500, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000); // Retry-After honoured
    expect(done.attempts).toBe(3);
    expect(
      done.history
        .filter((h: Loose) => h.status === 'queued' && h.source === 'retry')
        .map((h: Loose) => h.error.code),
    ).toEqual([130429, 131000]);
    expect(done.history.filter((h: Loose) => h.status === 'delivered')).toHaveLength(1);
  });

  it('ends permanent errors in failed with Meta’s code and text; the dead letter can be retried by hand', async () => {
    await customerWrites('34677777777');
    await s.api('/api/sandbox/faults', {
      method: 'POST',
      json: { faults: [{ status: 400, code: 131026, message: 'Message undeliverable' }] },
    });
    const sent = await s.api('/api/messages', {
      method: 'POST',
      json: { to: '34677777777', message: { type: 'text', text: 'hola' } },
    });
    const failed = await eventually(async () => {
      const m = await message(sent.body.id);
      return m.status === 'failed' ? m : undefined;
    });
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatchObject({ code: 131026 });
    expect(failed.lastError.message).toMatch(/undeliverable/i);
    expect((await s.api('/api/messages?status=failed')).body.items.map((m: Loose) => m.id)).toContain(
      sent.body.id,
    );
    expect((await s.api(`/api/messages/${sent.body.id}/retry`, { method: 'POST' })).status).toBe(200);
    await eventually(async () => ((await message(sent.body.id)).status === 'read' ? true : undefined));
    expect((await s.api(`/api/messages/${sent.body.id}/retry`, { method: 'POST' })).status).toBe(409);
  });

  it('never sends faster than the configured rate (measured from the fake API’s arrival times)', async () => {
    await s.api('/api/sandbox', { method: 'DELETE' });
    const count = 3 * RATE;
    for (let i = 0; i < count; i++) {
      const r = await s.api('/api/messages', {
        method: 'POST',
        json: { to: `3469000${String(i).padStart(4, '0')}`, message: utilityTemplate },
      });
      expect(r.status).toBe(202);
    }
    await eventually(
      () => (s.rt.sandbox!.sends.filter((x) => x.status === 200).length >= count ? true : undefined),
      20_000,
    );
    const times = s.rt.sandbox!.sends.map((x) => x.at).sort((a, b) => a - b);
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(RATE + 1);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((count - RATE - 1) / RATE) * 1000);
  });
});
