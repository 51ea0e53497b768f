import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  type FlowNode,
  flowDoc,
  type Loose,
  PHONE_NUMBER_ID,
  startWhatsAppServer,
} from './wa-helpers.js';

/** A stand-in for graph.facebook.com: records every send, accepts every one. */
const live: Array<{ url: string; body: Loose }> = [];
let graph: Server;
let s: Awaited<ReturnType<typeof startWhatsAppServer>>;

beforeAll(async () => {
  graph = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      // Sends only: the start's template sync also asks this stand-in (and, not understood, gives up).
      if (req.url?.endsWith('/messages')) live.push({ url: req.url ?? '', body: JSON.parse(text || '{}') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id: `wamid.LIVE${live.length}` }] }),
      );
    });
  });
  await new Promise<void>((r) => graph.listen(0, '127.0.0.1', r));
  s = await startWhatsAppServer({
    WHATSAPP_MODE: 'live',
    WHATSAPP_ACCESS_TOKEN: 'live-access-token-0123',
    WHATSAPP_API_URL: `http://127.0.0.1:${(graph.address() as AddressInfo).port}`,
  });
});
afterAll(async () => {
  await s.close();
  graph.close();
});

function waFlow(id: string, nodes: FlowNode[], edges: string[]) {
  const doc = flowDoc(id, nodes, edges) as Loose;
  doc.nodes[0] = { ...doc.nodes[0], type: 'trigger.whatsappMessage' };
  return doc;
}
const conversationUntil = (waId: string, check: (c: Loose) => boolean) =>
  eventually(async () => {
    const c = (await s.api(`/api/simulator/conversation?waId=${waId}`)).body;
    return check(c) ? c : undefined;
  });
const readReplies = (c: Loose) =>
  c.messages.filter((m: Loose) => m.direction === 'out' && m.status === 'read');

describe('simulator with WHATSAPP_MODE=live: never the production number', () => {
  it('sends a simulated conversation’s replies to the sandbox, not to the live Graph API', async () => {
    await s.install(
      waFlow(
        'live-sim',
        [{ id: 'reply', type: 'whatsapp.sendText', params: { text: 'Hola' } }],
        ['start->reply'],
      ),
      true,
    );
    const waId = '34622000001';
    expect(
      (
        await s.api('/api/simulator/messages', {
          method: 'POST',
          json: { flowId: 'live-sim', from: waId, text: 'hola' },
        })
      ).status,
    ).toBe(200);
    const done = await conversationUntil(waId, (c) => readReplies(c).length === 1);
    expect(done.messages.map((m: Loose) => m.text)).toEqual(['hola', 'Hola']);
    expect(s.rt.sandbox.sends.filter((x) => x.body.to === `+${waId}`)).toHaveLength(1);
    expect(live).toEqual([]);
  });

  it('keeps a simulator run on the sandbox even when its node names the live channel', async () => {
    await s.install(
      waFlow(
        'live-channel',
        [
          {
            id: 'reply',
            type: 'whatsapp.sendText',
            params: { text: 'Por el número real', channel: 'default' },
          },
        ],
        ['start->reply'],
      ),
      false,
    );
    const waId = '34622000002';
    await s.api('/api/simulator/messages', {
      method: 'POST',
      json: { flowId: 'live-channel', from: waId, text: 'hola' },
    });
    const done = await conversationUntil(waId, (c) => readReplies(c).length === 1);
    expect(done.messages.at(-1)).toMatchObject({ text: 'Por el número real', status: 'read' });
    expect(live).toEqual([]);
    // The live wiring itself works: a real send on the default channel reaches the live API.
    const sent = await s.api('/api/messages', {
      method: 'POST',
      json: { to: '34622000003', message: { type: 'template', name: 'hello_world', language: 'en_US' } },
    });
    expect(sent.status).toBe(202);
    await eventually(() => (live.length === 1 ? true : undefined));
    expect(live[0]).toMatchObject({
      url: `/v23.0/${PHONE_NUMBER_ID}/messages`,
      body: { to: '+34622000003' },
    });
  });

  it('keeps the sandbox controls off, and its fake Graph API answers for the simulator only', async () => {
    expect(
      (await s.api('/api/sandbox/messages', { method: 'POST', json: { from: '34622000004', text: 'x' } }))
        .status,
    ).toBe(404);
    const body = { messaging_product: 'whatsapp', to: '34622000004', type: 'text', text: { body: 'x' } };
    const forged = await fetch(`${s.base}/sandbox/graph/v23.0/${PHONE_NUMBER_ID}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer anything-at-all', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(forged.status).toBe(400);
    const simulator = s.rt.channels.get('simulator')!;
    const wrongToken = await fetch(`${s.base}/sandbox/graph/v23.0/${simulator.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer anything-at-all', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(wrongToken.status).toBe(401);
    // The built-in channel cannot be repointed at a real number.
    const repoint = await s.api('/api/channels/simulator', {
      method: 'PUT',
      json: {
        name: 'x',
        phoneNumberId: '123456789',
        accessToken: 'a-token-0123',
        appSecret: 'a-secret',
        verifyToken: 'verify',
      },
    });
    expect(repoint.status).toBe(409);
    expect(repoint.body.error).toBe('builtin_channel');
    expect((await s.api('/api/channels/simulator', { method: 'DELETE' })).status).toBe(409);
  });
});
