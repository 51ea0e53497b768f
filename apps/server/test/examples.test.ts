import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedContacts } from './campaign-helpers.js';
import { exampleDriver, exampleFlows } from './example-helpers.js';
import { eventually, type Loose, startWhatsAppServer } from './wa-helpers.js';

// Every example in workflows/, imported into a real server in sandbox mode and driven the way it is
// used: customer messages through the signed ingress, signed shop/booking webhooks, manual runs. Waits of
// hours or days are skipped with POST /api/executions/:id/wake (the clock stays real, so the 24-hour
// window and consent are checked exactly as in production).
const SHOP = 'shop-secret-0123';
const BOOKING = 'booking-secret-0123';
let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
let d: ReturnType<typeof exampleDriver>;
const flows = exampleFlows();

beforeAll(async () => {
  process.env.SHOP_WEBHOOK_SECRET = SHOP;
  process.env.BOOKING_WEBHOOK_SECRET = BOOKING;
  s = await startWhatsAppServer();
  d = exampleDriver(s);
});
afterAll(async () => {
  await s.close();
  delete process.env.SHOP_WEBHOOK_SECRET;
  delete process.env.BOOKING_WEBHOOK_SECRET;
});

/** Activates one example for a block, so another example's trigger does not answer the same messages. */
function active(flowId: string) {
  beforeAll(() => d.setActive(flowId, true));
  afterAll(() => d.setActive(flowId, false));
}
const text = (m: Loose) => m.text?.body ?? m.interactive?.body?.text ?? m.template?.name;

describe('every example in workflows/', () => {
  it('imports without a problem or warning', async () => {
    expect(flows.length).toBeGreaterThanOrEqual(7);
    for (const flow of flows) {
      const r = await s.api('/api/flows', { method: 'POST', json: flow });
      expect([flow.id, r.status, r.body.warnings]).toEqual([flow.id, 201, []]);
    }
  });
});

describe('hello-world and order-follow-up (manual runs)', () => {
  it('hello-world greets by name', async () => {
    const r = await s.api('/api/flows/hello-world/runs', {
      method: 'POST',
      json: { payload: { name: 'Ana' } },
    });
    const run = await d.until(r.body.runId, 'succeeded');
    expect(d.path(run)).toEqual(['start', 'remember-name', 'has-name', 'greet-by-name']);
  });

  it('order-follow-up parks on its one-day delay; skipping the wait finishes it, a second skip is refused', async () => {
    const r = await s.api('/api/flows/order-follow-up/runs', {
      method: 'POST',
      json: { payload: { orderId: 'A-1001', language: 'es', total: 129.9 } },
    });
    const waiting = await d.until(r.body.runId, 'waiting');
    expect(new Date(waiting.wakeAt).getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
    await d.wake(r.body.runId);
    const done = await d.until(r.body.runId, 'succeeded');
    expect(d.path(done)).toEqual([
      'order',
      'language',
      'confirm-es',
      'confirmed',
      'next-day',
      'big-order',
      'thank-you-call',
    ]);
    const again = await s.api(`/api/executions/${r.body.runId}/wake`, { method: 'POST' });
    expect([again.status, again.body.error]).toEqual([409, 'not_waiting_on_time']);
    expect((await s.api('/api/executions/nope/wake', { method: 'POST' })).status).toBe(404);
    const anonymous = await fetch(`${s.base}/api/executions/${r.body.runId}/wake`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    const doc = (await (await fetch(`${s.base}/api/openapi.json`)).json()) as Loose;
    expect(Object.keys(doc.paths['/api/executions/{id}/wake'].post.responses)).toEqual(
      expect.arrayContaining(['200', '404', '409']),
    );
  });
});

describe('order-confirmation (signed shop webhook)', () => {
  active('order-confirmation');
  it('sends the order template now and the shipping update when the next morning comes', async () => {
    const before = await d.runs('order-confirmation');
    await d.post(
      'shop-orders',
      { id: 'MX-77', total: '450.00 MXN', customer: { name: 'Sofía', phone: '+5215511112222' } },
      SHOP,
    );
    const run = await d.newRun('order-confirmation', before);
    await d.until(run.id, 'waiting');
    await d.wake(run.id);
    expect(d.path(await d.until(run.id, 'succeeded'))).toEqual([
      'order',
      'confirm',
      'next-morning',
      'shipping',
    ]);
    const rows = await d.settledOutbox('5215511112222', 2);
    expect(rows.map((m) => [m.payload.name, m.status])).toEqual([
      ['order_confirmation', 'read'],
      ['shipping_update', 'read'],
    ]);
    expect((await d.sandboxSends('5215511112222')).map((m) => m.template.name)).toEqual([
      'order_confirmation',
      'shipping_update',
    ]);
  });
});

describe('support-triage (WhatsApp messages)', () => {
  active('support-triage');
  it('asks with buttons and, when nobody answers within the hour, logs a reminder', async () => {
    const before = await d.runs('support-triage');
    await d.customer('34610000101', { text: 'Hola' });
    const run = await d.newRun('support-triage', before);
    await d.until(run.id, 'waiting');
    const asked = await eventually(async () => (await d.sandboxSends('34610000101'))[0]);
    expect(asked.interactive.action.buttons).toHaveLength(2);
    await d.wake(run.id);
    expect(d.path(await d.until(run.id, 'succeeded'))).toEqual([
      'incoming',
      'is-billing',
      'menu',
      'reminder',
    ]);
  });
});

describe('opt-in-welcome (consent keywords)', () => {
  active('opt-in-welcome');
  const marketing = (to: string) =>
    s.api('/api/messages', {
      method: 'POST',
      json: {
        to,
        message: { type: 'template', name: 'ofertas_semana', language: 'es', category: 'marketing' },
      },
    });

  it('ALTA records the marketing opt-in and welcomes; BAJA confirms once; then marketing is refused', async () => {
    const waId = '34611000001';
    let before = await d.runs('opt-in-welcome');
    await d.customer(waId, { text: 'alta' });
    let run = await d.newRun('opt-in-welcome', before);
    expect(d.path(await d.until(run.id, 'succeeded'))).toEqual([
      'consent',
      'direction',
      'record-opt-in',
      'welcome',
    ]);
    const contact = (await s.api(`/api/contacts/${waId}`)).body;
    expect(contact.consent.marketing).toMatchObject({ optedIn: true, source: 'flow' });
    expect(contact.tags).toContain('ofertas');
    expect((await marketing(waId)).status).toBe(202); // opted in: allowed

    before = await d.runs('opt-in-welcome');
    await d.customer(waId, { text: 'BAJA' });
    run = await d.newRun('opt-in-welcome', before);
    const stop = await d.until(run.id, 'succeeded');
    expect(d.path(stop)).toEqual([
      'consent',
      'direction',
      'already-confirmed',
      'confirm-stop',
      'mark-unsubscribed',
    ]);

    before = await d.runs('opt-in-welcome');
    await d.customer(waId, { text: 'Stop' });
    run = await d.newRun('opt-in-welcome', before);
    expect(d.path(await d.until(run.id, 'succeeded'))).toEqual([
      'consent',
      'direction',
      'already-confirmed',
      'not-again',
    ]);

    const refused = await marketing(waId);
    expect([refused.status, refused.body.problems[0].reason]).toEqual([422, 'opted_out']);
    const rows = await d.settledOutbox(waId, 4);
    expect(rows.map((m) => [m.payload.text ?? m.payload.name, m.status, m.lastError?.code ?? null])).toEqual([
      [expect.stringMatching(/^¡Bienvenido\/a!.*Reply STOP/), 'read', null],
      ['ofertas_semana', 'read', null],
      [expect.stringMatching(/^Listo: no volverás a recibir.*Reply START/), 'read', null],
      ['ofertas_semana', 'refused', 'opted_out'],
    ]); // the second STOP got no message
    expect((await d.sandboxSends(waId)).map(text)).toEqual([
      expect.stringMatching(/^¡Bienvenido/),
      'ofertas_semana',
      expect.stringMatching(/^Listo/),
    ]);
  });

  it('a tap on a "Sí, quiero ofertas" button with id ALTA opts in the same way', async () => {
    const before = await d.runs('opt-in-welcome');
    await d.customer('34611000002', {
      message: {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'ALTA', title: 'Sí, quiero ofertas' } },
      },
    });
    const run = await d.newRun('opt-in-welcome', before);
    expect(d.path(await d.until(run.id, 'succeeded')).at(-1)).toBe('welcome');
    expect((await s.api('/api/contacts/34611000002')).body.consent.marketing.optedIn).toBe(true);
  });
});

describe('abandoned-cart (shop webhook, a delay, a marketing template outside the 24-hour window)', () => {
  active('abandoned-cart');
  const cart = (id: string, phone: string, language: string, event = 'cart.abandoned') => ({
    event,
    cart: { id, total: '84,90 €', url: `https://tienda.example.com/carrito/${id}` },
    customer: { name: 'Lucía', phone, language },
  });
  const abandon = async (body: object) => {
    const before = await d.runs('abandoned-cart');
    await d.post('shop-carts', body, SHOP);
    const run = await d.newRun('abandoned-cart', before);
    return d.until(run.id, 'waiting');
  };

  it('an opted-in customer who last wrote 3 days ago gets the template; free-form text is refused', async () => {
    await d.wroteLongAgo('34611223344', 'ALTA', 72); // opted in by keyword, three days ago
    const run = await abandon(cart('CART-1', '+34611223344', 'es'));
    const text = await s.api('/api/messages', {
      method: 'POST',
      json: { to: '34611223344', message: { type: 'text', text: '¿Sigues ahí?' } },
    });
    expect([text.status, text.body.problems[0].reason]).toEqual([422, 'outside_24h_window']);
    await d.wake(run.id);
    const done = await d.until(run.id, 'succeeded');
    expect(d.path(done).slice(-3)).toEqual(['paid-meanwhile', 'language', 'remind-es']);
    // The run goes on once its message is queued; the sandbox has it once the outbox says it was read.
    expect((await d.settledOutbox('34611223344', 2)).map((m) => m.status)).toEqual(['refused', 'read']);
    const [template] = await d.sandboxSends('34611223344');
    expect(template.template).toMatchObject({ name: 'carrito_abandonado', language: { code: 'es' } });
  });

  it('a customer who never opted in to marketing is refused by policy, through the error port', async () => {
    await d.wroteLongAgo('14155550123', 'Hi, is this in stock?', 72);
    const run = await abandon(cart('CART-2', '+14155550123', 'en'));
    await d.wake(run.id);
    const done = await d.until(run.id, 'succeeded');
    expect(d.path(done).slice(-2)).toEqual(['remind-en', 'not-sent']);
    expect(done.steps.find((x: Loose) => x.nodeId === 'not-sent').input.reason).toBe('not_opted_in');
    const [row] = await d.settledOutbox('14155550123', 1);
    expect([row.payload.name, row.status, row.lastError.code]).toEqual([
      'abandoned_cart',
      'refused',
      'not_opted_in',
    ]);
    expect(await d.sandboxSends('14155550123')).toEqual([]);
  });

  it('a cart paid within the hour gets no reminder', async () => {
    const run = await abandon(cart('CART-3', '+34622000111', 'es'));
    const before = await d.runs('abandoned-cart');
    await d.post('shop-carts', cart('CART-3', '+34622000111', 'es', 'order.paid'), SHOP);
    const paid = await d.newRun('abandoned-cart', before);
    expect(d.path(await d.until(paid.id, 'succeeded'))).toEqual([
      'cart-event',
      'event-type',
      'remember-paid',
    ]);
    await d.wake(run.id);
    expect(d.path(await d.until(run.id, 'succeeded')).at(-1)).toBe('already-paid');
    expect(await d.outbox('34622000111')).toEqual([]);
  });
});

describe('appointment-reminder (booking webhook, delay until 24 h before, buttons with a timeout)', () => {
  active('appointment-reminder');
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const book = async (id: string, phone: string, language: string, startsAt: string) => {
    const before = await d.runs('appointment-reminder');
    await d.post(
      'bookings',
      {
        appointment: {
          id,
          startsAt,
          when: 'jueves a las 10:00',
          service: 'corte de pelo',
          rescheduleUrl: `https://citas.example.com/r/${id}`,
        },
        customer: { name: 'Marta', phone, language },
      },
      BOOKING,
    );
    return d.newRun('appointment-reminder', before);
  };

  it('never wrote: the reminder template with quick replies a day before; a tap on Confirmar thanks them', async () => {
    const startsAt = inDays(3);
    const run = await book('CITA-1', '+34622334455', 'es', startsAt);
    const waiting = await d.until(run.id, 'waiting');
    expect(waiting.wakeAt).toBe(new Date(new Date(startsAt).getTime() - 86_400_000).toISOString());
    await d.wake(run.id); // the day before
    await d.parkedAt(run.id, 'ask');
    await eventually(async () => ((await d.sandboxSends('34622334455')).length === 1 ? true : undefined));
    const [reminder] = await d.sandboxSends('34622334455');
    expect(reminder.template.name).toBe('appointment_reminder');
    expect(
      reminder.template.components
        .filter((c: Loose) => c.type === 'button')
        .map((c: Loose) => [c.sub_type, c.index, c.parameters[0].payload]),
    ).toEqual([
      ['quick_reply', '0', 'confirm'],
      ['quick_reply', '1', 'reschedule'],
    ]);
    await d.customer('34622334455', {
      message: { type: 'button', button: { payload: 'confirm', text: 'Confirmar' } },
    });
    expect(d.path(await d.until(run.id, 'succeeded')).slice(-2)).toEqual(['ask', 'thanks']);
    // The contact never wrote: the template went straight away, no free-form attempt was refused first.
    const rows = await d.settledOutbox('34622334455', 2);
    expect(rows.map((m) => [m.payload.type, m.status])).toEqual([
      ['template', 'read'],
      ['text', 'read'],
    ]);
    expect(rows[1].payload.text).toBe('¡Gracias, Marta! Te esperamos el jueves a las 10:00.');
  });

  it('wrote today: buttons in English; Reschedule sends the link', async () => {
    await d.customer('447700900123', { text: 'Hi! I just booked online' });
    const run = await book('APT-1', '+447700900123', 'en', inDays(2));
    await d.until(run.id, 'waiting');
    await d.wake(run.id);
    await d.parkedAt(run.id, 'ask');
    const asked = await eventually(async () => (await d.sandboxSends('447700900123'))[0]);
    expect(asked.interactive.action.buttons.map((b: Loose) => b.reply.title)).toEqual([
      'Confirm',
      'Reschedule',
    ]);
    await d.customer('447700900123', {
      message: {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'reschedule', title: 'Reschedule' } },
      },
    });
    expect(d.path(await d.until(run.id, 'succeeded')).at(-1)).toBe('reschedule-link');
    const rows = await d.settledOutbox('447700900123', 2);
    expect(rows[1].payload.text).toBe(
      'No problem. Pick a new day and time here: https://citas.example.com/r/APT-1',
    );
  });

  it('no answer within 12 hours: a note for the staff, nothing more to the customer', async () => {
    await d.customer('34633445566', { text: 'Hola, acabo de reservar' });
    const run = await book('CITA-2', '+34633445566', 'es', inDays(2));
    await d.until(run.id, 'waiting');
    await d.wake(run.id); // the day before: the question goes out
    await d.parkedAt(run.id, 'ask'); // now waiting for the reply, with a 12-hour timeout
    expect(await d.outbox('34633445566')).toHaveLength(1);
    await d.wake(run.id);
    expect(d.path(await d.until(run.id, 'succeeded')).at(-1)).toBe('no-answer');
    await d.settledOutbox('34633445566', 1); // the question reached the sandbox, and nothing after it
    expect(await d.sandboxSends('34633445566')).toHaveLength(1);
  });
});

describe('campaign-offer-reply (a campaign’s reply flow)', () => {
  it('a tap on "Quiero la oferta" under a campaign message starts it; "Ahora" tags the contact for sales', async () => {
    // Opted in for marketing, tagged for this campaign only.
    const [waId] = await seedContacts(s.rt, ['ok'], 'oferta-semana', 7000);
    const created = await s.api('/api/campaigns', {
      method: 'POST',
      json: {
        name: 'Ofertas de la semana',
        channelId: 'default',
        template: {
          name: 'ofertas_semana',
          language: 'es',
          buttons: [
            { index: 0, subType: 'quick_reply', payload: 'OFERTA' },
            { index: 1, subType: 'quick_reply', payload: 'NO' },
          ],
        },
        audience: { filter: { tags: { all: ['oferta-semana'] } } },
        replyFlowId: 'campaign-offer-reply',
      },
    });
    expect(created.status).toBe(201);
    await s.api(`/api/campaigns/${created.body.id}/start`, { method: 'POST' });
    await d.settledOutbox(waId!, 1);
    const before = await d.runs('campaign-offer-reply');
    await d.customer(waId!, {
      message: { type: 'button', button: { payload: 'OFERTA', text: 'Quiero la oferta' } },
    });
    const run = await d.newRun('campaign-offer-reply', before);
    await d.parkedAt(run.id, 'offer');
    const asked = (await d.sandboxSends(waId!)).at(-1);
    expect(asked.interactive.body.text).toContain('SEMANA10');
    expect(asked.interactive.body.text).toContain('(Ofertas de la semana)');
    await d.customer(waId!, {
      message: {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'CALL_NOW', title: 'Ahora' } },
      },
    });
    expect(d.path(await d.until(run.id, 'succeeded')).slice(-2)).toEqual(['tag-for-sales', 'confirm-call']);
    expect((await s.api(`/api/contacts/${waId}`)).body.tags).toContain('llamar-ventas');
    expect((await s.api(`/api/campaigns/${created.body.id}`)).body.counts.replied).toBe(1);
  });
});
