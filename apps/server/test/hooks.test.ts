import { readFileSync } from 'node:fs';
import { signBody } from '@switchboard/whatsapp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Loose, startWhatsAppServer } from './wa-helpers.js';

const SECRET = 'shop-secret-0123';
const flow = JSON.parse(
  readFileSync(new URL('../../../workflows/order-confirmation.workflow.json', import.meta.url), 'utf8'),
);
let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
beforeAll(async () => {
  process.env.SHOP_WEBHOOK_SECRET = SECRET;
  s = await startWhatsAppServer();
  expect((await s.api('/api/flows', { method: 'POST', json: flow })).status).toBe(201);
  await s.api('/api/flows/order-confirmation/activate', { method: 'POST' });
});
afterAll(async () => {
  await s.close();
  delete process.env.SHOP_WEBHOOK_SECRET;
});

const order = { id: 'MX-2048', total: '1,299.00 MXN', customer: { name: 'Sofía', phone: '+5215512345678' } };
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${s.base}/hooks/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('incoming webhooks for flows (/hooks/<path>)', () => {
  it('runs the flow for a signed order and sends the approved template through the outbox', async () => {
    const raw = JSON.stringify(order);
    const r = await post('shop-orders', raw, {
      'x-signature-256': signBody(raw, SECRET),
      'idempotency-key': 'order-MX-2048',
    });
    expect([r.status, await r.json()]).toEqual([202, { received: 1, duplicates: 0 }]);
    const sent = await eventually(async () => {
      const items = (await s.api('/api/messages?waId=5215512345678')).body.items as Loose[];
      return items[0]?.providerMessageId ? items : undefined;
    });
    expect(sent[0].payload).toMatchObject({
      type: 'template',
      name: 'order_confirmation',
      body: { params: ['Sofía', 'MX-2048', '1,299.00 MXN'] },
    });
    const runs = (await s.api('/api/executions?flowId=order-confirmation')).body.items as Loose[];
    expect(runs.map((x) => x.status)).toEqual(['waiting']); // until 10:00 in Mexico City

    const again = await post('shop-orders', raw, {
      'x-signature-256': signBody(raw, SECRET),
      'idempotency-key': 'order-MX-2048',
    });
    expect(await again.json()).toEqual({ received: 0, duplicates: 1 });
    await new Promise((r) => setTimeout(r, 150));
    expect((await s.api('/api/executions?flowId=order-confirmation')).body.items).toHaveLength(1);
  });

  it('refuses unsigned or wrongly signed bodies, bad JSON, and paths no active flow listens on', async () => {
    const raw = JSON.stringify(order);
    expect((await post('shop-orders', raw)).status).toBe(401);
    expect((await post('shop-orders', raw, { 'x-signature-256': signBody(raw, 'wrong') })).status).toBe(401);
    expect(
      (await post('shop-orders', '{"id":', { 'x-signature-256': signBody('{"id":', SECRET) })).status,
    ).toBe(400);
    const unknown = await post('nobody-listens', raw);
    expect([unknown.status, ((await unknown.json()) as Loose).message]).toEqual([
      404,
      'no active flow listens on /hooks/nobody-listens',
    ]);
  });
});
