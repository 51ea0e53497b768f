import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeWebhook } from '../src/inbound/normalize.js';
import { WhatsAppSandbox } from '../src/sandbox/sandbox.js';
import { verifySignature } from '../src/signature.js';

const business = {
  phoneNumberId: '100000000000000',
  displayPhoneNumber: '15550000000',
  wabaId: '42',
  appSecret: 'sandbox-secret',
};
const received: Array<{ raw: Buffer; valid: boolean }> = [];
let ingress: Server;
let url = '';

beforeAll(async () => {
  ingress = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({
        raw,
        valid: verifySignature(raw, req.headers['x-hub-signature-256'] as string, business.appSecret),
      });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => ingress.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(ingress.address() as AddressInfo).port}/webhooks/whatsapp`;
});
afterAll(() => ingress.close());

const sandbox = () =>
  new WhatsAppSandbox({
    business: (id) => (id === business.phoneNumberId ? business : undefined),
    ingressUrl: () => url,
    statusDelaysMs: [5, 10, 15],
  });

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('WhatsApp sandbox', () => {
  it('accepts a send like Graph does and posts signed sent, delivered and read webhooks for it', async () => {
    received.length = 0;
    const sb = sandbox();
    const answer = await sb.handleSend(business.phoneNumberId, 'Bearer sandbox-token-1', {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+34600000001',
      type: 'text',
      text: { body: 'hola' },
    });
    expect(answer.status).toBe(200);
    const body = answer.body as { contacts: Array<{ wa_id: string }>; messages: Array<{ id: string }> };
    expect(body.contacts[0]?.wa_id).toBe('34600000001');
    const wamid = body.messages[0]!.id;
    expect(wamid).toMatch(/^wamid\./);
    await waitFor(() => received.length === 3);
    expect(received.every((r) => r.valid)).toBe(true);
    const statuses = received.flatMap((r) => normalizeWebhook(JSON.parse(r.raw.toString())).events);
    expect(
      statuses.map((e) => (e.type === 'message.status' ? [e.messageId, e.status, e.recipientWaId] : e.type)),
    ).toEqual([
      [wamid, 'sent', '34600000001'],
      [wamid, 'delivered', '34600000001'],
      [wamid, 'read', '34600000001'],
    ]);
    sb.close();
  });

  it('answers queued faults in order with Graph-shaped errors and Retry-After, then succeeds', async () => {
    const sb = sandbox();
    sb.injectFaults([
      { status: 429, code: 130429, retryAfterSeconds: 2 },
      { status: 400, code: 131047, message: 'Re-engagement message' },
    ]);
    const send = () =>
      sb.handleSend(business.phoneNumberId, 'Bearer sandbox-token-1', {
        messaging_product: 'whatsapp',
        to: '34600000001',
        type: 'text',
        text: { body: 'x' },
      });
    const first = await send();
    expect([
      first.status,
      first.headers?.['retry-after'],
      (first.body as { error: { code: number } }).error.code,
    ]).toEqual([429, '2', 130429]);
    const second = await send();
    expect((second.body as { error: { code: number; message: string } }).error).toMatchObject({
      code: 131047,
      message: '(#131047) Re-engagement message',
    });
    expect((await send()).status).toBe(200);
    expect(sb.sends.map((x) => x.status)).toEqual([429, 400, 200]);
    sb.close();
  });

  it('refuses sends without a token, for unknown numbers, or without a recipient, like Graph', async () => {
    const sb = sandbox();
    expect((await sb.handleSend(business.phoneNumberId, undefined, {})).status).toBe(401);
    expect((await sb.handleSend('999', 'Bearer sandbox-token-1', {})).status).toBe(400);
    expect(
      (
        await sb.handleSend(business.phoneNumberId, 'Bearer sandbox-token-1', {
          messaging_product: 'whatsapp',
          type: 'text',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await sb.handleSend(business.phoneNumberId, 'Bearer sandbox-token-1', {
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: 'wamid.x',
        })
      ).body,
    ).toEqual({ success: true });
    sb.close();
  });

  it('posts customer messages signed through the ingress, and fails sends to a chosen recipient', async () => {
    received.length = 0;
    const sb = sandbox();
    const { status, messageId } = await sb.customerMessage({
      phoneNumberId: business.phoneNumberId,
      from: '34600000002',
      name: 'Lucía',
      message: { type: 'text', text: { body: '¿Hay stock?' } },
    });
    expect(status).toBe(200);
    expect(received[0]?.valid).toBe(true);
    expect(received[0]?.raw.toString()).toContain('\\u00bf'); // escaped like Meta's
    const [event] = normalizeWebhook(JSON.parse(received[0]!.raw.toString())).events;
    expect(event).toMatchObject({
      type: 'message.received',
      messageId,
      waId: '34600000002',
      profileName: 'Lucía',
      message: { type: 'text', text: '¿Hay stock?' },
    });
    received.length = 0;
    sb.failRecipient('34600000003', { code: 131026, title: 'Message undeliverable' });
    await sb.handleSend(business.phoneNumberId, 'Bearer sandbox-token-1', {
      messaging_product: 'whatsapp',
      to: '34600000003',
      type: 'text',
      text: { body: 'x' },
    });
    await waitFor(() => received.length === 1);
    const [failed] = normalizeWebhook(JSON.parse(received[0]!.raw.toString())).events;
    expect(failed).toMatchObject({ type: 'message.status', status: 'failed', errors: [{ code: 131026 }] });
    sb.close();
  });

  it('fails only the next `times` sends to a recipient of one business number, then succeeds again', async () => {
    received.length = 0;
    const sb = sandbox();
    sb.failRecipient(
      '34600000004',
      { code: 131047, title: 'Re-engagement message' },
      {
        times: 1,
        phoneNumberId: business.phoneNumberId,
      },
    );
    const send = () =>
      sb.handleSend(business.phoneNumberId, 'Bearer sandbox-token-1', {
        messaging_product: 'whatsapp',
        to: '34600000004',
        type: 'text',
        text: { body: 'x' },
      });
    await send();
    await waitFor(() => received.length === 1);
    await send();
    await waitFor(() => received.length === 4);
    const statuses = received.map((r) => {
      const [e] = normalizeWebhook(JSON.parse(r.raw.toString())).events;
      return e?.type === 'message.status' ? `${e.status}${e.errors[0] ? `:${e.errors[0].code}` : ''}` : '?';
    });
    expect(statuses).toEqual(['failed:131047', 'sent', 'delivered', 'read']);
    sb.close();
  });

  it('checks the bearer token of a business number that names one', async () => {
    const sb = new WhatsAppSandbox({
      business: (id) =>
        id === business.phoneNumberId ? { ...business, accessToken: 'the-token-123' } : undefined,
      ingressUrl: () => url,
      statusDelaysMs: [5, 10, 15],
    });
    const body = { messaging_product: 'whatsapp', to: '34600000005', type: 'text', text: { body: 'x' } };
    expect((await sb.handleSend(business.phoneNumberId, 'Bearer another-token-1', body)).status).toBe(401);
    expect((await sb.handleSend(business.phoneNumberId, 'Bearer the-token-123', body)).status).toBe(200);
    sb.close();
  });
});
