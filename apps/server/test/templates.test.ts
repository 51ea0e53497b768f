import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, flowDoc, type Loose, logNode, startWhatsAppServer } from './wa-helpers.js';

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
beforeAll(async () => {
  s = await startWhatsAppServer({ WHATSAPP_SANDBOX_TEMPLATE_REVIEW_MS: '100' });
});
afterAll(() => s.close());

const templates = async (query = '') => (await s.api(`/api/templates${query}`)).body;
const byName = async (name: string, language: string): Promise<Loose> =>
  (await templates(`?q=${name}&language=${language}`)).items.find((t: Loose) => t.name === name);
const send = (message: Record<string, unknown>, to = '34611000001') =>
  s.api('/api/messages', { method: 'POST', json: { to, message: { type: 'template', ...message } } });

describe('templates', () => {
  it('are synced from the account at start and filtered by status, category, language and name', async () => {
    const all = await templates();
    expect(all.syncs).toEqual([
      expect.objectContaining({ channelId: 'default', lastError: null, syncedAt: expect.any(String) }),
    ]);
    // The editor simulator's channel is synced too, and listed only when asked for.
    expect(new Set(all.items.map((t: Loose) => t.channelId))).toEqual(new Set(['default']));
    const simulator = await templates('?channelId=simulator');
    expect(simulator.syncs).toEqual([expect.objectContaining({ channelId: 'simulator', lastError: null })]);
    expect(simulator.items.length).toBe(all.items.length);
    const own = all.items;
    expect(own.length).toBeGreaterThanOrEqual(14);
    expect(new Set(own.map((t: Loose) => t.category))).toEqual(
      new Set(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
    );
    const marketingEs = await templates('?channelId=default&category=marketing&language=es&status=approved');
    expect(marketingEs.items.map((t: Loose) => t.name)).toEqual([
      'bienvenida_cliente',
      'carrito_abandonado',
      'ofertas_semana',
    ]);
    const reminder = await templates('?channelId=default&q=REMINDER');
    expect(reminder.items.map((t: Loose) => t.language)).toEqual(['en_US', 'es']);
    // One template, with what a send must give.
    const named = await byName('bienvenida_cliente', 'es');
    const one = (await s.api(`/api/templates/${named.id}`)).body;
    expect(one).toMatchObject({
      wabaId: '102290129340398',
      status: 'APPROVED',
      quality: 'GREEN',
      parameterFormat: 'NAMED',
    });
    expect(one.parameters).toEqual({
      header: { kind: 'text', params: ['first_name'] },
      body: ['first_name', 'discount_code'],
      named: true,
      buttons: [
        { index: 0, type: 'quick_reply', text: 'Ver ofertas', needsParam: false },
        { index: 1, type: 'quick_reply', text: 'Más tarde', needsParam: false },
      ],
    });
    expect((await s.api('/api/templates/nope')).status).toBe(404);
  });

  it('a send with an unknown or paused template, or the wrong parameters, is refused before Meta, naming it', async () => {
    const unknown = await send({ name: 'no_such_template', language: 'es' });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({
      error: 'template_refused',
      message: 'no template named "no_such_template" on this channel\'s account',
      problems: [{ path: '$.message.name', reason: 'template_unknown' }],
    });
    const paused = await send({ name: 'black_friday_2025', language: 'es', body: { params: ['BF'] } });
    expect(paused.body.problems[0].reason).toBe('template_not_approved');
    expect(paused.body.message).toContain('"black_friday_2025" (es) is PAUSED');
    const short = await send({ name: 'order_confirmation', language: 'es_MX', body: { params: ['Ana'] } });
    expect(short.status).toBe(422);
    expect(short.body.problems).toEqual([
      {
        path: '$.message.body.params',
        message: 'missing: the body takes 3 parameter(s), 1 given (no value for {{2}})',
        reason: 'template_params',
      },
    ]);
    expect(short.body.message).toContain('template "order_confirmation" (es_MX)');
    // Nothing of these reached the fake Graph API or the outbox.
    expect((await s.api('/api/messages?waId=34611000001')).body.items).toEqual([]);
    // Right parameters: queued; Meta's category (marketing) replaces the sender's guess for the policy.
    const ok = await send({
      name: 'order_confirmation',
      language: 'es_MX',
      body: { params: ['Ana', 'A-1', '10 €'] },
    });
    expect(ok.status).toBe(202);
    const guessed = await send(
      { name: 'ofertas_semana', language: 'es', category: 'utility' },
      '34611000002',
    );
    expect(guessed.status).toBe(422);
    expect(guessed.body.error).toBe('policy_refused');
  });

  it('a template-send node with a missing parameter takes its error output, naming the template', async () => {
    await s.install(
      flowDoc(
        'tpl-node',
        [
          {
            id: 'send',
            type: 'whatsapp.sendTemplate',
            params: { to: '34611000003', name: 'shipping_update', language: 'es_MX', bodyParams: [] },
          },
          logNode('sent'),
          logNode('refused'),
        ],
        ['start->send', 'send->sent', 'send.error->refused'],
      ),
    );
    const run = await s.settled(await s.startRun('tpl-node', {}));
    const step = run.steps.find((x: Loose) => x.nodeId === 'send');
    expect(run.steps.map((x: Loose) => x.nodeId)).toEqual(['start', 'send', 'refused']);
    expect(step.output).toMatchObject({ reason: 'template_params' });
    expect(JSON.stringify(step)).toContain('template \\"shipping_update\\" (es_MX)');
    expect(JSON.stringify(step)).toContain('template_params');
  });

  it('creates a template (422 naming each broken field), which the review approves by webhook', async () => {
    const bad = await s.api('/api/templates', {
      method: 'POST',
      json: {
        name: 'Aviso Envío',
        language: 'es',
        category: 'utility',
        components: [{ type: 'BODY', text: 'Hola {{1}}' }],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.problems.map((p: Loose) => p.path)).toEqual(['$.body.name']);
    const noExample = await s.api('/api/templates', {
      method: 'POST',
      json: {
        name: 'aviso_envio',
        language: 'es',
        category: 'utility',
        components: [{ type: 'BODY', text: 'Hola {{1}}' }],
      },
    });
    expect(noExample.body.problems).toEqual([
      {
        path: '$.body.components[0].example.body_text',
        message: '1 example value(s) are required, one for each parameter',
      },
    ]);
    const created = await s.api('/api/templates', {
      method: 'POST',
      json: {
        name: 'aviso_envio',
        language: 'es',
        category: 'utility',
        components: [{ type: 'BODY', text: 'Tu pedido {{1}} sale hoy', example: { body_text: [['A-1']] } }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'aviso_envio', status: 'PENDING', category: 'UTILITY' });
    // Pending templates cannot be sent yet.
    expect(
      (await send({ name: 'aviso_envio', language: 'es', body: { params: ['A-9'] } })).body.problems[0]
        .reason,
    ).toBe('template_not_approved');
    const approved = await eventually(async () => {
      const t = (await s.api(`/api/templates/${created.body.id}`)).body;
      return t.status === 'APPROVED' ? t : undefined;
    });
    expect(approved.rejectedReason).toBeNull();
    // The webhook says nothing of quality; the next sync brings Meta's rating.
    await s.api('/api/templates/sync', { method: 'POST', json: { channelId: 'default' } });
    expect((await s.api(`/api/templates/${created.body.id}`)).body.quality).toBe('GREEN');
    expect(
      (await send({ name: 'aviso_envio', language: 'es', body: { params: ['A-9'] } }, '34611000004')).status,
    ).toBe(202);
    // The same name and language again: Meta's refusal, as a 422.
    const again = await s.api('/api/templates', { method: 'POST', json: { ...created.body, id: undefined } });
    expect(again.status).toBe(422);
  });

  it('a pause (and a reinstatement) arrives by webhook and changes what can be sent', async () => {
    // Subscribers of template.status hear of it too.
    const got: Loose[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        got.push(JSON.parse(body));
        res.writeHead(200).end();
      });
    }).listen(0, '127.0.0.1');
    await new Promise((r) => receiver.once('listening', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    expect(
      (await s.api('/api/subscriptions', { method: 'POST', json: { url, eventTypes: ['template.status'] } }))
        .status,
    ).toBe(201);
    const t = await byName('seguimiento', 'es');
    const pause = await s.api(`/api/sandbox/templates/${t.id}/status`, {
      method: 'POST',
      json: { status: 'PAUSED', reason: 'LOW_QUALITY' },
    });
    expect(pause.status).toBe(204);
    await eventually(async () =>
      (await s.api(`/api/templates/${t.id}`)).body.status === 'PAUSED' ? true : undefined,
    );
    expect((await s.api(`/api/templates/${t.id}`)).body.rejectedReason).toBe('LOW_QUALITY');
    expect((await send({ name: 'seguimiento', language: 'es' })).body.problems[0].reason).toBe(
      'template_not_approved',
    );
    await s.api(`/api/sandbox/templates/${t.id}/status`, { method: 'POST', json: { status: 'REINSTATED' } });
    await eventually(async () =>
      (await s.api(`/api/templates/${t.id}`)).body.status === 'APPROVED' ? true : undefined,
    );
    const events = await eventually(async () => (got.length >= 2 ? got : undefined));
    expect(events.map((e: Loose) => [e.type, e.data.name, e.data.status, e.data.reason])).toEqual([
      ['template.status', 'seguimiento', 'PAUSED', 'LOW_QUALITY'],
      ['template.status', 'seguimiento', 'APPROVED', null],
    ]);
    expect(events[0].data).toMatchObject({ channel: 'default', templateId: t.providerId, language: 'es' });
    receiver.close();
    // A second pause repeats the first webhook's value: it is a new event all the same.
    await new Promise((r) => setTimeout(r, 1_100));
    await s.api(`/api/sandbox/templates/${t.id}/status`, {
      method: 'POST',
      json: { status: 'PAUSED', reason: 'LOW_QUALITY' },
    });
    await eventually(async () =>
      (await s.api(`/api/templates/${t.id}`)).body.status === 'PAUSED' ? true : undefined,
    );
  });

  it('a message waiting in the outbox when its template is paused is refused at send time, not sent', async () => {
    const t = await byName('shipping_update', 'es_MX');
    // Meta answers the first attempt with a 429 that says to come back in 2 s: the message waits queued.
    await s.api('/api/sandbox/faults', {
      method: 'POST',
      json: { faults: [{ status: 429, retryAfterSeconds: 2 }] },
    });
    const queued = await send(
      { name: 'shipping_update', language: 'es_MX', body: { params: ['MX-1'] } },
      '34611000009',
    );
    expect(queued.status).toBe(202);
    await eventually(async () =>
      (await s.api(`/api/messages/${queued.body.id}`)).body.attempts >= 1 ? true : undefined,
    );
    await s.api(`/api/sandbox/templates/${t.id}/status`, { method: 'POST', json: { status: 'DISABLED' } });
    const refused = await eventually(async () => {
      const m = (await s.api(`/api/messages/${queued.body.id}`)).body;
      return m.status === 'refused' ? m : undefined;
    });
    expect(refused.lastError).toMatchObject({ code: 'template_not_approved' });
    expect(refused.lastError.message).toContain('"shipping_update" (es_MX) is DISABLED');
    const sent = (await s.api('/api/sandbox/sends')).body.items.filter(
      (x: Loose) => x.status === 200 && x.body.to === '+34611000009',
    );
    expect(sent).toEqual([]);
  });

  it('POST /api/templates/sync syncs on demand and reports each channel', async () => {
    const r = await s.api('/api/templates/sync', { method: 'POST', json: {} });
    expect(r.body.results).toEqual([
      { channelId: 'default', ok: true, count: expect.any(Number) },
      { channelId: 'simulator', ok: true, count: expect.any(Number) },
    ]);
    expect(
      (await s.api('/api/templates/sync', { method: 'POST', json: { channelId: 'nope' } })).body.results,
    ).toEqual([{ channelId: 'nope', ok: false, error: 'no channel "nope"' }]);
  });
});
