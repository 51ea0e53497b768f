import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CloudApiClient,
  CloudApiError,
  type CloudApiErrorKind,
  classifyError,
  type OutboundMessage,
  parseGraphError,
  toGraphBody,
  validateOutbound,
} from '../src/outbound/index.js';

const portOf = (server: Server): number => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
  return address.port;
};
const x = (n: number) => 'x'.repeat(n);
type Over = Record<string, unknown>;
const button = (i: number) => ({ id: `b${i}`, title: `Option ${i}` });
const rows = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, title: `Row ${i}` }));
const section = (title: string | undefined, n: number, prefix = title ?? 'r') => ({
  title,
  rows: rows(prefix, n),
});
const text = (over: Over) => ({ type: 'text', text: 'Hola', ...over });
const buttons = (over: Over) => ({
  type: 'buttons',
  body: 'Choose',
  buttons: [button(0), button(1)],
  ...over,
});
const withButtons = (...list: Over[]) => buttons({ buttons: list });
const list = (over: Over) => ({
  type: 'list',
  body: 'Pick',
  buttonText: 'Menu',
  sections: [section('A', 2)],
  ...over,
});
const withSections = (...sections: Over[]) => list({ sections });
const withRow = (over: Over) => withSections({ rows: [{ id: 'a', title: 'A', ...over }] });
const elevenSections = Array.from({ length: 11 }, (_, i) => section(`S${i}`, 1));
const template = (over: Over) => ({ type: 'template', name: 'order_update', language: 'es_MX', ...over });
const withParams = (...params: unknown[]) => template({ body: { params } });
const quickReply = (index: number) => ({ index, subType: 'quick_reply', payload: 'p' });
const urlButton = (index: number) => ({ index, subType: 'url', text: 'orders/1' });
const withTemplateButtons = (...list: Over[]) => template({ buttons: list });
const media = (over: Over) => ({ type: 'media', kind: 'image', mediaId: '1234', ...over });
const reaction = (over: Over) => ({ type: 'reaction', messageId: 'wamid.A', emoji: '👍', ...over });
const markRead = (over: Over) => ({ type: 'markRead', messageId: 'wamid.A', ...over });

describe('validateOutbound', () => {
  it.each<[string, unknown]>([
    ['text', text({ text: x(4096), previewUrl: true, replyTo: 'wamid.A' })],
    ['3 buttons at the limits', withButtons(...[0, 1, 2].map((i) => ({ id: x(255) + i, title: x(19) + i })))],
    [
      'a document header',
      buttons({ header: { type: 'document', link: 'https://example.com/a.pdf' }, footer: x(60) }),
    ],
    ['10 rows across sections', withSections(section('A', 4), section('B', 6))],
    ['one untitled section', withSections({ rows: [{ id: x(200), title: x(24), description: x(72) }] })],
    [
      'a named-parameter template',
      { ...withParams({ name: 'first_name', value: 'Ana' }), category: 'marketing' },
    ],
    ['a language without region', template({ language: 'es', buttons: [quickReply(0), urlButton(9)] })],
    ['a document with filename', media({ kind: 'document', filename: 'menu.pdf', caption: x(1024) })],
    ['audio by link', { type: 'media', kind: 'audio', link: 'https://cdn.example.com/a.ogg' }],
    ['a reaction removal', reaction({ emoji: '' })],
    ['mark as read', markRead({})],
  ])('accepts %s', (_, input) => {
    expect(validateOutbound(input)).toEqual({ ok: true, message: input });
  });

  it.each<[path: string, message: string, input: unknown]>([
    ['$.text', 'must not be empty', text({ text: '' })],
    ['$.text', 'at most 4096 characters', text({ text: x(4097) })],
    ['$.text', 'required', { type: 'text' }],
    ['$.preview_url', 'unknown field', text({ preview_url: true })],
    ['$.type', "Expected 'text'", text({ type: 'location' })],
    ['$.buttons', 'at most 3 buttons', withButtons(...[0, 1, 2, 3].map(button))],
    ['$.buttons', 'at least 1 button', withButtons()],
    ['$.buttons[1].title', 'at most 20 characters', withButtons(button(0), { id: 'b1', title: x(21) })],
    ['$.buttons[0].id', 'at most 256 characters', withButtons({ id: x(257), title: 'A' })],
    ['$.buttons[1].title', 'titles must be unique', withButtons(button(0), { id: 'c', title: 'Option 0' })],
    ['$.buttons[2].id', 'ids must be unique', withButtons(button(0), button(1), { id: 'b0', title: 'C' })],
    ['$.body', 'at most 1024 characters', buttons({ body: x(1025) })],
    ['$.footer', 'at most 60 characters', buttons({ footer: x(61) })],
    ['$.header.text', 'at most 60 characters', buttons({ header: { type: 'text', text: x(61) } })],
    ['$.header.type', "Expected 'text'", buttons({ header: { type: 'audio', mediaId: '1' } })],
    ['$.header.mediaId', 'mediaId or link is required', buttons({ header: { type: 'image' } })],
    ['$.sections', 'at most 10 rows in total', withSections(section('A', 5), section('B', 6))],
    ['$.sections', 'at most 10 sections', withSections(...elevenSections)],
    ['$.sections[0].rows', 'at least 1 row', withSections(section('A', 0))],
    [
      '$.sections[1].title',
      'more than one section',
      withSections(section('A', 1), section(undefined, 1, 'b')),
    ],
    ['$.sections[0].title', 'at most 24 characters', withSections(section(x(25), 1))],
    [
      '$.sections[1].rows[0].id',
      'row ids must be unique',
      withSections(section('A', 2, 'r'), section('B', 1, 'r')),
    ],
    ['$.sections[0].rows[0].id', 'at most 200 characters', withRow({ id: x(201) })],
    ['$.sections[0].rows[0].title', 'at most 24 characters', withRow({ title: x(25) })],
    ['$.sections[0].rows[0].description', 'at most 72 characters', withRow({ description: x(73) })],
    ['$.buttonText', 'at most 20 characters', list({ buttonText: x(21) })],
    ['$.header', 'at most 60 characters', list({ header: x(61) })],
    ['$.name', 'only lowercase letters, digits and _', template({ name: 'Order_Update' })],
    ['$.name', 'only lowercase letters, digits and _', template({ name: 'order-update' })],
    ['$.name', 'at most 512 characters', template({ name: x(513) })],
    ['$.language', 'such as en_US', template({ language: 'en-US' })],
    ['$.language', 'such as en_US', template({ language: 'english' })],
    ['$.category', 'Invalid option', template({ category: 'service' })],
    ['$.body.params', 'all positional or all named', withParams('a', { name: 'b', value: 'c' })],
    ['$.body.params[0]', 'must not be empty', withParams('')],
    ['$.buttons[0].index', 'at most 9', withTemplateButtons(quickReply(10))],
    ['$.buttons[1].index', 'duplicate button index 0', withTemplateButtons(quickReply(0), urlButton(0))],
    ['$.caption', 'audio messages cannot have a caption', media({ kind: 'audio', caption: 'listen' })],
    ['$.caption', 'sticker messages cannot have a caption', media({ kind: 'sticker', caption: 'hi' })],
    ['$.caption', 'at most 1024 characters', media({ caption: x(1025) })],
    ['$.link', 'either mediaId or link, not both', media({ link: 'https://example.com/a.jpg' })],
    ['$.mediaId', 'mediaId or link is required', media({ mediaId: undefined })],
    ['$.link', 'must be an https URL', media({ mediaId: undefined, link: 'http://example.com/a.jpg' })],
    ['$.filename', 'only documents can have a filename', media({ filename: 'a.jpg' })],
    ['$.replyTo', 'a reaction cannot quote a message', reaction({ replyTo: 'wamid.B' })],
    ['$.replyTo', 'mark-as-read cannot quote a message', markRead({ replyTo: 'wamid.B' })],
  ])('rejects at %s: %s', (path, message, input) => {
    const result = validateOutbound(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it('reports every problem, not just the first', () => {
    const result = validateOutbound(buttons({ body: '', buttons: [button(0), { id: 'b1', title: x(21) }] }));
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(['$.body', '$.buttons[1].title']);
  });

  it('rejects input that is not an object', () => {
    expect(validateOutbound(null)).toMatchObject({ ok: false, problems: [{ path: '$' }] });
  });
});

describe('toGraphBody', () => {
  const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+5215512345678' };
  const body = (message: OutboundMessage) => toGraphBody(message, '5215512345678');

  it('builds text, adding the + and the quoted message', () => {
    expect(
      body({ type: 'text', text: 'Hola https://example.com', previewUrl: true, replyTo: 'wamid.IN' }),
    ).toEqual({
      ...envelope,
      context: { message_id: 'wamid.IN' },
      type: 'text',
      text: { body: 'Hola https://example.com', preview_url: true },
    });
    expect(toGraphBody({ type: 'text', text: 'Hi' }, '+16505551234')).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+16505551234',
      type: 'text',
      text: { body: 'Hi' },
    });
  });

  it('builds reply buttons with text and media headers', () => {
    const message: OutboundMessage = {
      type: 'buttons',
      header: { type: 'text', text: 'Your order' },
      body: 'Confirm?',
      footer: 'Shop',
      buttons: [
        { id: 'yes', title: 'Yes' },
        { id: 'no', title: 'No' },
      ],
    };
    expect(body(message)).toEqual({
      ...envelope,
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'text', text: 'Your order' },
        body: { text: 'Confirm?' },
        footer: { text: 'Shop' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'yes', title: 'Yes' } },
            { type: 'reply', reply: { id: 'no', title: 'No' } },
          ],
        },
      },
    });
    const withImage = body({
      ...message,
      header: { type: 'image', link: 'https://cdn.example.com/p.jpg' },
      footer: undefined,
    });
    expect(withImage.interactive).toEqual({
      type: 'button',
      header: { type: 'image', image: { link: 'https://cdn.example.com/p.jpg' } },
      body: { text: 'Confirm?' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'yes', title: 'Yes' } },
          { type: 'reply', reply: { id: 'no', title: 'No' } },
        ],
      },
    });
  });

  it('builds a list', () => {
    const message: OutboundMessage = {
      type: 'list',
      header: 'Menu',
      body: 'What would you like?',
      footer: 'Open 9-18',
      buttonText: 'See options',
      sections: [
        { title: 'Food', rows: [{ id: 'taco', title: 'Taco', description: 'Al pastor' }] },
        { title: 'Drinks', rows: [{ id: 'agua', title: 'Agua fresca' }] },
      ],
      replyTo: 'wamid.IN',
    };
    expect(body(message)).toEqual({
      ...envelope,
      context: { message_id: 'wamid.IN' },
      type: 'interactive',
      interactive: {
        type: 'list',
        header: { type: 'text', text: 'Menu' },
        body: { text: 'What would you like?' },
        footer: { text: 'Open 9-18' },
        action: {
          button: 'See options',
          sections: [
            { title: 'Food', rows: [{ id: 'taco', title: 'Taco', description: 'Al pastor' }] },
            { title: 'Drinks', rows: [{ id: 'agua', title: 'Agua fresca' }] },
          ],
        },
      },
    });
  });

  it('builds a template with positional parameters, a text header and both button kinds', () => {
    const message: OutboundMessage = {
      type: 'template',
      name: 'order_update',
      language: 'es_MX',
      category: 'utility',
      header: { type: 'text', params: ['#1234'] },
      body: { params: ['Ana', 'mañana'] },
      buttons: [
        { index: 0, subType: 'quick_reply', payload: 'CONFIRM_1234' },
        { index: 1, subType: 'url', text: 'orders/1234' },
      ],
    };
    expect(body(message)).toEqual({
      ...envelope,
      type: 'template',
      template: {
        name: 'order_update',
        language: { code: 'es_MX' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: '#1234' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: 'mañana' },
            ],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: 'CONFIRM_1234' }],
          },
          {
            type: 'button',
            sub_type: 'url',
            index: '1',
            parameters: [{ type: 'text', text: 'orders/1234' }],
          },
        ],
      },
    });
  });

  it('builds templates with named parameters, a media header, or nothing to fill in', () => {
    const named = body({
      type: 'template',
      name: 'welcome',
      language: 'en_US',
      header: { type: 'image', mediaId: '987' },
      body: { params: [{ name: 'first_name', value: 'Jessica' }] },
    });
    expect(named.template).toEqual({
      name: 'welcome',
      language: { code: 'en_US' },
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { id: '987' } }] },
        { type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Jessica' }] },
      ],
    });
    expect(body({ type: 'template', name: 'hello_world', language: 'en_US' })).toEqual({
      ...envelope,
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    });
  });

  it('builds media messages of each kind', () => {
    expect(body({ type: 'media', kind: 'image', mediaId: '111', caption: 'Menu' })).toEqual({
      ...envelope,
      type: 'image',
      image: { id: '111', caption: 'Menu' },
    });
    expect(
      body({ type: 'media', kind: 'document', link: 'https://cdn.example.com/m.pdf', filename: 'menu.pdf' }),
    ).toEqual({
      ...envelope,
      type: 'document',
      document: { link: 'https://cdn.example.com/m.pdf', filename: 'menu.pdf' },
    });
    expect(body({ type: 'media', kind: 'audio', mediaId: '222', replyTo: 'wamid.IN' })).toEqual({
      ...envelope,
      context: { message_id: 'wamid.IN' },
      type: 'audio',
      audio: { id: '222' },
    });
    expect(body({ type: 'media', kind: 'sticker', mediaId: '333' })).toEqual({
      ...envelope,
      type: 'sticker',
      sticker: { id: '333' },
    });
  });

  it('builds reactions and mark-as-read', () => {
    expect(body({ type: 'reaction', messageId: 'wamid.IN', emoji: '👍' })).toEqual({
      ...envelope,
      type: 'reaction',
      reaction: { message_id: 'wamid.IN', emoji: '👍' },
    });
    expect(body({ type: 'reaction', messageId: 'wamid.IN', emoji: '' }).reaction).toEqual({
      message_id: 'wamid.IN',
      emoji: '',
    });
    expect(body({ type: 'markRead', messageId: 'wamid.IN' })).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.IN',
    });
  });
});

describe('classifyError', () => {
  const byCode: Record<CloudApiErrorKind, number[]> = {
    rate_limit: [130429, 131056, 4, 80007],
    transient: [131057, 1, 2, 131000, 131016],
    auth: [190, 0, 10, 200, 250, 299],
    permanent: [
      100, 131026, 131047, 131048, 131049, 131050, 131051, 131052, 131053, 132000, 132001, 132999, 368,
    ].concat([131031, 130497]),
  };
  it.each(Object.entries(byCode).flatMap(([kind, codes]) => codes.map((code) => ({ code, kind }))))(
    'code $code → $kind, whatever the HTTP status',
    ({ code, kind }) => {
      for (const status of [400, 403, 429, 500]) {
        expect(classifyError({ status, code })).toEqual({
          kind,
          retryable: kind === 'rate_limit' || kind === 'transient',
          retryAfterMs: null,
        });
      }
    },
  );

  it.each<[status: number, code: number | null, kind: CloudApiErrorKind, retryable: boolean]>([
    [0, null, 'transient', true],
    [500, null, 'transient', true],
    [502, 999999, 'transient', true],
    [503, null, 'transient', true],
    [429, null, 'rate_limit', true],
    [401, null, 'auth', false],
    [403, null, 'auth', false],
    [400, null, 'permanent', false],
    [404, 999999, 'permanent', false],
    [409, null, 'permanent', false],
  ])('HTTP %i with code %s → %s', (status, code, kind, retryable) => {
    expect(classifyError({ status, code })).toEqual({ kind, retryable, retryAfterMs: null });
  });

  it('keeps retryAfterMs only when a retry makes sense', () => {
    expect(classifyError({ status: 429, code: null, retryAfterMs: 5000 }).retryAfterMs).toBe(5000);
    expect(classifyError({ status: 400, code: 131047, retryAfterMs: 5000 }).retryAfterMs).toBeNull();
  });
});

const metaError = (code: number, message: string, details: string) =>
  JSON.stringify({
    error: {
      message,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details },
      error_subcode: 2494010,
      fbtrace_id: 'AbCdEf123',
    },
  });

describe('parseGraphError', () => {
  const now = Date.parse('2026-06-10T12:00:00.000Z');

  it("reads Meta's error JSON", () => {
    const details =
      'Message failed to send because more than 24 hours have passed since the customer last replied.';
    const error = parseGraphError(
      400,
      metaError(131047, '(#131047) Re-engagement message', details),
      new Headers(),
    );
    expect(error).toBeInstanceOf(CloudApiError);
    expect(error).toMatchObject({
      name: 'CloudApiError',
      status: 400,
      code: 131047,
      subcode: 2494010,
      details,
      fbtraceId: 'AbCdEf123',
      retryAfterMs: null,
      kind: 'permanent',
      retryable: false,
    });
    expect(error.message).toContain('(#131047) Re-engagement message');
    expect(error.message).toContain(details);
  });

  it('tolerates bodies that are not JSON or not Meta errors', () => {
    const html = parseGraphError(502, '<html><body>Bad Gateway</body></html>', {});
    expect(html).toMatchObject({
      status: 502,
      code: null,
      details: null,
      fbtraceId: null,
      kind: 'transient',
    });
    expect(html.retryable).toBe(true);
    expect(html.message).toContain('502');
    expect(html.message).toContain('Bad Gateway');
    expect(parseGraphError(400, '{"unexpected":true}', {})).toMatchObject({ code: null, kind: 'permanent' });
    expect(parseGraphError(500, '', {}).message).toBe('WhatsApp Cloud API HTTP 500');
    expect(parseGraphError(400, x(5000), {}).message.length).toBeLessThan(300);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const rate = metaError(
      130429,
      '(#130429) Rate limit hit',
      'Cloud API message throughput has been reached.',
    );
    const seconds = parseGraphError(400, rate, new Headers({ 'Retry-After': '30' }), now);
    expect(seconds).toMatchObject({ retryAfterMs: 30_000, kind: 'rate_limit', retryable: true });
    const date = parseGraphError(429, '', { 'retry-after': 'Wed, 10 Jun 2026 12:01:30 GMT' }, now);
    expect(date).toMatchObject({ retryAfterMs: 90_000, kind: 'rate_limit' });
    expect(
      parseGraphError(429, '', { 'Retry-After': 'Wed, 10 Jun 2026 11:00:00 GMT' }, now).retryAfterMs,
    ).toBe(0);
    expect(parseGraphError(429, '', { 'retry-after': 'soon' }, now).retryAfterMs).toBeNull();
  });
});

interface Recorded {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('CloudApiClient', () => {
  const token = 'EAAG-secret-test-token-42';
  const requests: Recorded[] = [];
  let respond: (res: ServerResponse) => void = () => {};
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      respond(res);
    });
  });
  let apiUrl = '';

  const reply =
    (status: number, payload: unknown, headers: Record<string, string> = {}) =>
    (res: ServerResponse) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
  const client = (over: { timeoutMs?: number; apiUrl?: string } = {}) =>
    new CloudApiClient({
      apiUrl,
      apiVersion: 'v23.0',
      phoneNumberId: '106540352242922',
      accessToken: token,
      ...over,
    });
  const failure = async (promise: Promise<unknown>): Promise<CloudApiError> => {
    const outcome = await promise.then(
      () => new Error('expected the send to fail'),
      (error: unknown) => error,
    );
    if (!(outcome instanceof CloudApiError)) throw outcome;
    expect(outcome.message).not.toContain(token);
    return outcome;
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${portOf(server)}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests.length = 0;
  });

  it('posts the Graph body with the bearer token and returns the ids', async () => {
    respond = reply(200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: '+5215512345678', wa_id: '525512345678' }],
      messages: [{ id: 'wamid.OUT1', message_status: 'accepted' }],
    });
    const message: OutboundMessage = { type: 'text', text: 'Hola', replyTo: 'wamid.IN' };
    const result = await client({ apiUrl: `${apiUrl}/` }).send(message, '5215512345678');
    expect(result).toMatchObject({
      messageId: 'wamid.OUT1',
      waId: '525512345678',
      messageStatus: 'accepted',
    });
    expect(result.raw).toMatchObject({ messaging_product: 'whatsapp' });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v23.0/106540352242922/messages');
    expect(request?.headers.authorization).toBe(`Bearer ${token}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual(toGraphBody(message, '5215512345678'));
  });

  it('sends the callback data Meta echoes in status webhooks, and none with mark-as-read', async () => {
    respond = reply(200, { messaging_product: 'whatsapp', messages: [{ id: 'wamid.OUT2' }] });
    await client().send({ type: 'text', text: 'Hola' }, '+34600000001', { callbackData: 'outbox-1' });
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+34600000001',
      biz_opaque_callback_data: 'outbox-1',
      type: 'text',
      text: { body: 'Hola' },
    });
    respond = reply(200, { success: true });
    await client().send({ type: 'markRead', messageId: 'wamid.IN' }, '', { callbackData: 'outbox-2' });
    expect(JSON.parse(requests[1]?.body ?? '')).not.toHaveProperty('biz_opaque_callback_data');
    const tooLong = await failure(
      client().send({ type: 'text', text: 'Hola' }, '+34600000001', { callbackData: 'x'.repeat(513) }),
    );
    expect(tooLong).toMatchObject({ status: 0, kind: 'permanent', retryable: false });
    expect(requests).toHaveLength(2);
  });

  it('marks a message as read', async () => {
    respond = reply(200, { success: true });
    const result = await client().send({ type: 'markRead', messageId: 'wamid.IN' }, '');
    expect(result).toEqual({ messageId: null, waId: null, messageStatus: null, raw: { success: true } });
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.IN',
    });
  });

  it('refuses an invalid message without calling Meta', async () => {
    const tooMany: OutboundMessage = { type: 'buttons', body: 'Pick', buttons: [0, 1, 2, 3].map(button) };
    const error = await failure(client().send(tooMany, '+34600000001'));
    expect(error).toMatchObject({ status: 0, kind: 'permanent', retryable: false, code: null });
    expect(error.message).toContain('$.buttons: at most 3 buttons');
    expect(requests).toHaveLength(0);
  });

  it('throws a permanent error for 131047', async () => {
    respond = reply(
      400,
      metaError(131047, '(#131047) Re-engagement message', 'More than 24 hours have passed'),
    );
    const error = await failure(client().send({ type: 'text', text: 'Hola' }, '+34600000001'));
    expect(error).toMatchObject({
      status: 400,
      code: 131047,
      subcode: 2494010,
      details: 'More than 24 hours have passed',
      fbtraceId: 'AbCdEf123',
      kind: 'permanent',
      retryable: false,
      retryAfterMs: null,
    });
  });

  it('throws a retryable rate-limit error with Retry-After on 429', async () => {
    respond = reply(429, metaError(130429, '(#130429) Rate limit hit', 'Throughput reached'), {
      'Retry-After': '7',
    });
    const error = await failure(client().send({ type: 'text', text: 'Hola' }, '+34600000001'));
    expect(error).toMatchObject({
      status: 429,
      code: 130429,
      kind: 'rate_limit',
      retryable: true,
      retryAfterMs: 7000,
    });
  });

  it('times out a hanging request as a retryable network error', async () => {
    respond = () => {};
    const started = Date.now();
    const error = await failure(
      client({ timeoutMs: 150 }).send({ type: 'text', text: 'Hola' }, '+34600000001'),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toMatchObject({ status: 0, code: null, kind: 'transient', retryable: true });
    expect(error.message).toContain('timed out after 150 ms');
  });

  it('treats a refused connection as a retryable network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = portOf(closed);
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(
      client({ apiUrl: `http://127.0.0.1:${port}` }).send({ type: 'text', text: 'Hi' }, '1'),
    );
    expect(error).toMatchObject({ status: 0, kind: 'transient', retryable: true });
  });

  it('keeps the token out of errors even when a gateway echoes it', async () => {
    respond = (res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream failed for Authorization: Bearer ${token}`);
    };
    const error = await failure(client().send({ type: 'text', text: 'Hola' }, '+34600000001'));
    expect(error.message).toContain('Bearer [redacted]');
    expect(JSON.stringify(client())).not.toContain(token);
  });
});
