import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeWebhook } from '../src/inbound/normalize.js';
import { WhatsAppSandbox } from '../src/sandbox/sandbox.js';
import { seedTemplates } from '../src/sandbox/template-seed.js';
import { verifySignature } from '../src/signature.js';
import { TemplateClient } from '../src/templates/client.js';
import { validateNewTemplate } from '../src/templates/definition.js';
import { checkTemplateSend } from '../src/templates/params.js';
import { templateWebhookChange } from '../src/templates/webhook.js';

const seeds = seedTemplates();

describe('checkTemplateSend', () => {
  const send = (name: string, language: string, rest: Record<string, unknown> = {}) =>
    checkTemplateSend(seeds, { name, language, ...rest });

  it('accepts an approved template with exactly its parameters', () => {
    expect(send('order_confirmation', 'es_MX', { body: { params: ['Ana', 'A-1', '10 €'] } }).ok).toBe(true);
    expect(send('seguimiento', 'es').ok).toBe(true);
    const named = send('bienvenida_cliente', 'es', {
      header: { type: 'text', params: ['Ana'] },
      body: {
        params: [
          { name: 'first_name', value: 'Ana' },
          { name: 'discount_code', value: 'HOLA10' },
        ],
      },
    });
    expect(named.ok).toBe(true);
  });

  it('refuses an unknown name, a missing language and a paused template, naming it', () => {
    expect(send('nope', 'es')).toMatchObject({ ok: false, reason: 'template_unknown' });
    const language = send('seguimiento', 'fr');
    expect(language).toMatchObject({ ok: false, reason: 'template_language' });
    expect(!language.ok && language.message).toContain('it has es');
    const paused = send('black_friday_2025', 'es', { body: { params: ['X'] } });
    expect(paused).toMatchObject({ ok: false, reason: 'template_not_approved' });
    expect(!paused.ok && paused.message).toBe(
      'template "black_friday_2025" (es) is PAUSED: only APPROVED templates can be sent',
    );
  });

  it('says which parameter is missing or extra', () => {
    const missing = send('order_confirmation', 'es_MX', { body: { params: ['Ana'] } });
    expect(missing).toMatchObject({ ok: false, reason: 'template_params' });
    expect(!missing.ok && missing.problems).toEqual([
      {
        path: '$.body.params',
        message: 'missing: the body takes 3 parameter(s), 1 given (no value for {{2}})',
      },
    ]);
    const extra = send('seguimiento', 'es', { body: { params: ['x'] } });
    expect(!extra.ok && extra.problems[0]).toEqual({
      path: '$.body.params[0]',
      message: 'extra: the body takes 0 parameter(s), 1 given',
    });
    const named = send('bienvenida_cliente', 'es', {
      header: { type: 'text', params: ['Ana'] },
      body: {
        params: [
          { name: 'first_name', value: 'Ana' },
          { name: 'coupon', value: 'X' },
        ],
      },
    });
    expect(!named.ok && named.problems.map((p) => p.message)).toEqual([
      'missing parameter "discount_code"',
      'unknown parameter "coupon"',
    ]);
    const otp = send('verification_code', 'en_US', { body: { params: ['123456'] } });
    expect(!otp.ok && otp.problems[0]?.message).toBe(
      'missing: button 0 ("Copy code") needs its URL parameter',
    );
    const wrongButton = send('ofertas_semana', 'es', {
      buttons: [{ index: 5, subType: 'quick_reply', payload: 'x' }],
    });
    expect(!wrongButton.ok && wrongButton.problems[0]?.path).toBe('$.buttons[0]');
  });
});

describe('validateNewTemplate', () => {
  const good = {
    name: 'aviso_envio',
    language: 'es',
    category: 'UTILITY',
    components: [{ type: 'BODY', text: 'Tu pedido {{1}} sale hoy', example: { body_text: [['A-1']] } }],
  };
  it('accepts a well-formed template', () => expect(validateNewTemplate(good).ok).toBe(true));
  it('names each broken rule', () => {
    const bad = validateNewTemplate({ ...good, name: 'Aviso Envío', category: 'PROMO' });
    expect(!bad.ok && bad.problems.map((p) => p.path)).toEqual(['$.name', '$.category']);
    const noExample = validateNewTemplate({
      ...good,
      components: [{ type: 'BODY', text: 'Hola {{1}} y {{2}}' }],
    });
    expect(!noExample.ok && noExample.problems).toEqual([
      {
        path: '$.components[0].example.body_text',
        message: '2 example value(s) are required, one for each parameter',
      },
    ]);
    const empty = validateNewTemplate({
      ...good,
      components: [{ type: 'BODY', text: 'Hola {{1}}', example: { body_text: [['  ']] } }],
    });
    expect(!empty.ok && empty.problems[0]?.path).toBe('$.components[0].example.body_text');
    const gap = validateNewTemplate({
      ...good,
      components: [{ type: 'BODY', text: 'Hola {{2}}', example: { body_text: [['x']] } }],
    });
    expect(!gap.ok && gap.problems[0]?.message).toBe('positional parameters must be {{1}}, {{2}}… in order');
    const long = validateNewTemplate({ ...good, name: 'a'.repeat(513) });
    expect(!long.ok && long.problems[0]).toEqual({ path: '$.name', message: 'at most 512 characters' });
  });
});

describe('sandbox templates through the Graph client', () => {
  const business = {
    phoneNumberId: '100000000000000',
    displayPhoneNumber: '15550000000',
    wabaId: '42',
    appSecret: 's3cret',
  };
  const received: unknown[] = [];
  let ingress: Server;
  let url = '';
  beforeAll(async () => {
    ingress = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        if (verifySignature(raw, req.headers['x-hub-signature-256'] as string, business.appSecret))
          received.push(JSON.parse(raw.toString()));
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => ingress.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(ingress.address() as AddressInfo).port}/webhooks/whatsapp`;
  });
  afterAll(() => ingress.close());

  const setup = () => {
    const sandbox = new WhatsAppSandbox({
      business: () => business,
      phoneNumbersOfWaba: (id) => (id === '42' ? [business.phoneNumberId] : []),
      ingressUrl: () => url,
      statusDelaysMs: [5, 10, 15],
      templateReviewDelayMs: 20,
    });
    const client = new TemplateClient({
      apiUrl: 'http://sandbox.test',
      apiVersion: 'v23.0',
      wabaId: '42',
      accessToken: 'token-12345',
      request: async (u, init) => {
        const wabaId = new URL(u).pathname.split('/')[2] ?? '';
        const answer = sandbox.handleTemplates({
          method: init.method,
          wabaId,
          authorization: init.headers.authorization,
          url: u,
          body: init.body ? JSON.parse(init.body) : undefined,
        });
        return { status: answer.status, headers: answer.headers ?? {}, text: JSON.stringify(answer.body) };
      },
      maxPages: 10,
    });
    return { sandbox, client };
  };

  it('lists every seeded template across pages, in Meta’s shape', async () => {
    const { client } = setup();
    const listed = await client.list();
    expect(listed.map((t) => `${t.name}/${t.language}`)).toEqual(seeds.map((t) => `${t.name}/${t.language}`));
    expect(new Set(listed.map((t) => t.category))).toEqual(
      new Set(['UTILITY', 'MARKETING', 'AUTHENTICATION']),
    );
  });

  it('creates a template PENDING, then approves it and posts the status webhook', async () => {
    const { client, sandbox } = setup();
    received.length = 0;
    const created = await client.create({
      name: 'aviso_envio',
      language: 'es',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Tu pedido {{1}} sale hoy', example: { body_text: [['A-1']] } }],
    });
    expect(created.status).toBe('PENDING');
    await expect(
      client.create({
        name: 'aviso_envio',
        language: 'es',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'x' }],
      }),
    ).rejects.toThrow(/already exists/);
    await expect(
      client.create({ name: 'Bad Name', language: 'es', category: 'UTILITY', components: [] }),
    ).rejects.toThrow(/\$\.name/);
    const bad = await client.create({
      name: 'casino_night',
      language: 'en_US',
      category: 'MARKETING',
      components: [{ type: 'BODY', text: 'Win at the casino tonight' }],
    });
    await new Promise((r) => setTimeout(r, 200));
    const changes = received.flatMap((body) => {
      const events = normalizeWebhook(body).events;
      return events.flatMap((e) =>
        e.type === 'webhook.other' ? [templateWebhookChange(e.field, e.value)] : [],
      );
    });
    expect(changes).toEqual(
      expect.arrayContaining([
        { providerId: created.id, name: 'aviso_envio', language: 'es', status: 'APPROVED', reason: null },
        {
          providerId: bad.id,
          name: 'casino_night',
          language: 'en_US',
          status: 'REJECTED',
          reason: 'ABUSIVE_CONTENT',
        },
      ]),
    );
    expect((await client.list()).find((t) => t.id === created.id)?.status).toBe('APPROVED');
    sandbox.close();
  });
});
