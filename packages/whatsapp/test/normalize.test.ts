import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type InboundMessage, type NormalizedEvent, normalizeWebhook } from '../src/inbound/index.js';

type Received = Extract<NormalizedEvent, { type: 'message.received' }>;
type Status = Extract<NormalizedEvent, { type: 'message.status' }>;

const load = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/inbound/${name}.json`, import.meta.url), 'utf8'));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const WABA = '102290129340398';
const CHANNEL = { phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881' };
const SENT_AT = '2025-06-08T20:59:43.000Z';
const CUSTOMER = '16505551234';
const BIZ_REPLY = {
  replyToId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJCQkVGQjNGOEQ5MkU0QjIzNUEA',
  from: '15550783881',
  forwarded: false,
  frequentlyForwarded: false,
  referredProduct: null,
};
const ERROR_HREF = 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';

const received = (over: Partial<Received> & Pick<Received, 'messageId' | 'message'>): Received => ({
  type: 'message.received',
  dedupeKey: `msg:${over.messageId}`,
  timestamp: SENT_AT,
  wabaId: WABA,
  channel: CHANNEL,
  waId: CUSTOMER,
  userId: null,
  profileName: 'Sheena Nelson',
  context: null,
  referral: null,
  ...over,
});

const status = (over: Partial<Status> & Pick<Status, 'messageId' | 'status' | 'timestamp'>): Status => ({
  type: 'message.status',
  dedupeKey: `status:${over.messageId}:${over.status}`,
  wabaId: WABA,
  channel: CHANNEL,
  recipientWaId: CUSTOMER,
  errors: [],
  pricing: null,
  conversation: null,
  bizOpaqueCallbackData: null,
  ...over,
});

/** A one-message webhook body for the edge cases that need no fixture. */
const messageBody = (message: Record<string, unknown>, value: Record<string, unknown> = {}) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: WABA,
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
            contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: CUSTOMER }],
            messages: [{ from: CUSTOMER, id: 'wamid.k1', timestamp: '1749416383', ...message }],
            ...value,
          },
        },
      ],
    },
  ],
});
const textBody = (text: string) => messageBody({ type: 'text', text: { body: text } });

const media = (mediaId: string, mimeType: string, sha256: string, url: string | null = null) => ({
  mediaId,
  mimeType,
  sha256,
  url,
});

const messageCases: Array<[string, Partial<Received> & Pick<Received, 'messageId' | 'message'>]> = [
  [
    'text-referral-context',
    {
      messageId: 'wamid.text01',
      message: { type: 'text', text: 'Is this still available?' },
      context: {
        ...BIZ_REPLY,
        referredProduct: { catalogId: '194836987003835', productRetailerId: 'sku-blue-42' },
      },
      referral: {
        sourceUrl: 'https://fb.me/3cr4Wqqkv',
        sourceId: '120226305854810726',
        sourceType: 'ad',
        headline: 'Chat with us',
        body: 'Summer sale: 20% off all sneakers',
        mediaType: 'image',
        ctwaClid:
          'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
        raw: {
          source_url: 'https://fb.me/3cr4Wqqkv',
          source_id: '120226305854810726',
          source_type: 'ad',
          body: 'Summer sale: 20% off all sneakers',
          headline: 'Chat with us',
          media_type: 'image',
          image_url: 'https://scontent.xx.fbcdn.net/v/t45.1600-4/ad.png',
          ctwa_clid:
            'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
          welcome_message: { text: 'Hi! How can we help?' },
        },
      },
    },
  ],
  [
    'interactive-button-reply',
    {
      messageId: 'wamid.button01',
      message: { type: 'button_reply', id: 'confirm_yes', title: 'Yes, confirm' },
      context: BIZ_REPLY,
    },
  ],
  [
    'interactive-list-reply',
    {
      messageId: 'wamid.list01',
      message: {
        type: 'list_reply',
        id: 'slot_10am',
        title: '10:00',
        description: 'Tomorrow, Main St. store',
      },
      context: BIZ_REPLY,
    },
  ],
  [
    'interactive-nfm-reply',
    {
      messageId: 'wamid.flow01',
      message: {
        type: 'flow_reply',
        name: 'flow',
        body: 'Sent',
        response: { flow_token: 'booking-7781', screen_0_date: '2026-06-12', screen_0_party_size: '4' },
        flowToken: 'booking-7781',
      },
      context: BIZ_REPLY,
    },
  ],
  [
    'template-button',
    {
      messageId: 'wamid.tplbutton01',
      message: { type: 'template_button', payload: 'TRACK_ORDER_8812', text: 'Track my order' },
      context: BIZ_REPLY,
    },
  ],
  [
    'image',
    {
      messageId: 'wamid.image01',
      message: {
        type: 'image',
        caption: 'My receipt',
        ...media(
          '1003383421387256',
          'image/jpeg',
          'ZDN2Q3hJc2p2U0JrQ0k0N0hEWnR4Q2F3QWtZb2k2bw==',
          'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256',
        ),
      },
      context: {
        replyToId: null,
        from: null,
        forwarded: true,
        frequentlyForwarded: false,
        referredProduct: null,
      },
    },
  ],
  [
    'video',
    {
      messageId: 'wamid.video01',
      message: {
        type: 'video',
        caption: null,
        ...media('2167284070405617', 'video/mp4', 'bXZ2cGZ6c1RrQm1wM1Y3b1JpR2h6d2pWd1dqNm5wSQ=='),
      },
      context: {
        replyToId: null,
        from: null,
        forwarded: false,
        frequentlyForwarded: true,
        referredProduct: null,
      },
    },
  ],
  [
    'audio-voice',
    {
      messageId: 'wamid.audio01',
      message: {
        type: 'audio',
        voice: true,
        ...media(
          '1398431104561253',
          'audio/ogg; codecs=opus',
          'Y2JmR3N4b0R2a0l0R2dJc2Z2T0ZJb2N6Q0NvS3k0bw==',
        ),
      },
    },
  ],
  [
    'document',
    {
      messageId: 'wamid.document01',
      message: {
        type: 'document',
        caption: 'Signed contract',
        filename: 'contract-2026.pdf',
        ...media(
          '1094431895497345',
          'application/pdf',
          'a2J4Z3F6b1BvRWZrN3pOQkZ4c0Y2cWFlR3R3S0pTbw==',
          'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1094431895497345',
        ),
      },
    },
  ],
  [
    'sticker',
    {
      messageId: 'wamid.sticker01',
      message: {
        type: 'sticker',
        animated: true,
        ...media('1235672981196340', 'image/webp', 'c3RpY2tlcnNoYTI1NmJhc2U2NGVuY29kZWRoYXNoPT0='),
      },
    },
  ],
  [
    'location',
    {
      messageId: 'wamid.location01',
      message: {
        type: 'location',
        latitude: 40.4168,
        longitude: -3.7038,
        name: 'Puerta del Sol',
        address: 'Plaza de la Puerta del Sol, 28013 Madrid',
        url: 'https://maps.example.com/sol',
      },
    },
  ],
  [
    'contacts',
    {
      messageId: 'wamid.contacts01',
      message: {
        type: 'contacts',
        contacts: [
          {
            name: { formatted_name: 'Pablo Morales', first_name: 'Pablo', last_name: 'Morales' },
            phones: [{ phone: '+1 (650) 555-1235', wa_id: '16505551235', type: 'MOBILE' }],
            emails: [{ email: 'pablo@example.com', type: 'WORK' }],
            org: { company: 'Lucky Shrub' },
          },
          { name: { formatted_name: 'Front desk' }, phones: [{ phone: '+34 910 000 000', type: 'WORK' }] },
        ],
      },
    },
  ],
  [
    'reaction',
    {
      messageId: 'wamid.reaction01',
      message: {
        type: 'reaction',
        messageId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJBQUFBQUFBQUFBQUFBQUFBQUEA',
        emoji: '\u{1F44D}',
      },
    },
  ],
  [
    'reaction-removed',
    {
      messageId: 'wamid.reaction02',
      message: {
        type: 'reaction',
        messageId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJBQUFBQUFBQUFBQUFBQUFBQUEA',
        emoji: null,
      },
    },
  ],
  [
    'order',
    {
      messageId: 'wamid.order01',
      message: {
        type: 'order',
        catalogId: '194836987003835',
        text: 'Please deliver before noon',
        items: [
          { productRetailerId: 'sku-blue-42', quantity: 2, itemPrice: 59.9, currency: 'EUR' },
          { productRetailerId: 'sku-socks', quantity: 1, itemPrice: 7, currency: 'EUR' },
        ],
      },
    },
  ],
  [
    'system',
    {
      messageId: 'wamid.system01',
      profileName: null,
      message: {
        type: 'system',
        body: 'User Sheena Nelson changed from 16505551234 to 16505559999',
        systemType: 'user_changed_number',
        newWaId: '16505559999',
      },
    },
  ],
  [
    'unsupported',
    {
      messageId: 'wamid.unsupported01',
      message: {
        type: 'unsupported',
        originalType: 'poll_creation',
        errors: [
          {
            code: 131051,
            title: 'Message type unknown',
            message: 'Message type unknown',
            details: 'Message type is currently not supported.',
            href: null,
          },
        ],
      },
    },
  ],
  [
    'text-message-username-bsuid',
    {
      messageId: 'wamid.bsuid01',
      waId: null,
      userId: 'US.13491208655302741918',
      message: { type: 'text', text: 'Hi, I found you by username' },
    },
  ],
];

describe('normalizeWebhook: inbound messages', () => {
  it.each(messageCases)('normalizes %s', (fixture, expected) => {
    expect(normalizeWebhook(load(fixture))).toStrictEqual({ events: [received(expected)], problems: [] });
  });

  it('keeps the good messages of a body when one of them is malformed', () => {
    const { events, problems } = normalizeWebhook(load('malformed-message'));
    expect(events).toStrictEqual([
      received({ messageId: 'wamid.good01', message: { type: 'text', text: 'first' } }),
      received({ messageId: 'wamid.good02', message: { type: 'text', text: 'third' } }),
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^entry\[0\]\.changes\[0\]\.value\.messages\[1\] is malformed \(.*id:.*text\.body:/,
    );
  });

  it('maps types it does not know, or whose object is missing, without losing the rest', () => {
    expect(normalizeWebhook(messageBody({ type: 'poll', poll: { question: '?' } })).events).toStrictEqual([
      received({ messageId: 'wamid.k1', message: { type: 'unsupported', originalType: 'poll', errors: [] } }),
    ]);
    const missing = normalizeWebhook(messageBody({ type: 'image' }));
    expect(missing).toStrictEqual({
      events: [],
      problems: ['entry[0].changes[0].value.messages[0].image is missing'],
    });
  });

  it('accepts stringified order numbers and an unparsable flow response', () => {
    const order = { product_items: [{ product_retailer_id: 'x', quantity: '3', item_price: '9.5' }] };
    const { events } = normalizeWebhook(messageBody({ type: 'order', order }));
    expect(events[0]).toMatchObject({
      message: { items: [{ productRetailerId: 'x', quantity: 3, itemPrice: 9.5, currency: null }] },
    });
    const flow = { type: 'nfm_reply', nfm_reply: { response_json: '{not json' } };
    const message: InboundMessage = {
      type: 'flow_reply',
      name: null,
      body: null,
      response: null,
      flowToken: null,
    };
    expect(normalizeWebhook(messageBody({ type: 'interactive', interactive: flow })).events).toStrictEqual([
      received({ messageId: 'wamid.k1', message }),
    ]);
  });

  it('falls back to the current time, with a problem, when the timestamp is missing or invalid', () => {
    vi.useFakeTimers({ now: new Date('2026-06-10T12:00:00.000Z') });
    const { events, problems } = normalizeWebhook(
      messageBody({ type: 'text', text: { body: 'hi' }, timestamp: 'soon' }),
    );
    expect(events[0]?.timestamp).toBe('2026-06-10T12:00:00.000Z');
    expect(problems).toEqual([
      'entry[0].changes[0].value.messages[0].timestamp is missing or invalid; used the current time',
    ]);
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('normalizeWebhook: statuses', () => {
  const pricing = { billable: true, model: 'PMP', type: 'regular', category: 'utility' };

  it('normalizes sent (pricing and conversation), delivered and read', () => {
    expect(normalizeWebhook(load('status-sent'))).toStrictEqual({
      events: [
        status({
          messageId: 'wamid.out01',
          status: 'sent',
          timestamp: '2025-06-08T21:00:00.000Z',
          pricing,
          conversation: {
            id: 'b1e9b2c3d4e5f6a7b8c9d0e1f2a3b4c5',
            originType: 'utility',
            expiresAt: '2025-06-09T21:00:00.000Z',
          },
          bizOpaqueCallbackData: 'order-8812',
        }),
      ],
      problems: [],
    });
    expect(normalizeWebhook(load('status-delivered')).events).toStrictEqual([
      status({
        messageId: 'wamid.out01',
        status: 'delivered',
        timestamp: '2025-06-08T21:00:05.000Z',
        pricing,
      }),
    ]);
    expect(normalizeWebhook(load('status-read')).events).toStrictEqual([
      status({ messageId: 'wamid.out01', status: 'read', timestamp: '2025-06-08T21:01:00.000Z' }),
    ]);
  });

  it('turns a failed 131050 into a marketing opt-out as well', () => {
    const text =
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business';
    const timestamp = '2025-06-08T21:01:40.000Z';
    expect(normalizeWebhook(load('status-failed-131050'))).toStrictEqual({
      events: [
        status({
          messageId: 'wamid.out02',
          status: 'failed',
          timestamp,
          errors: [{ code: 131050, title: text, message: text, details: text, href: ERROR_HREF }],
        }),
        {
          type: 'contact.opted_out',
          dedupeKey: 'status:wamid.out02:failed:131050',
          timestamp,
          wabaId: WABA,
          channel: CHANNEL,
          waId: CUSTOMER,
          category: 'marketing',
          source: 'error_131050',
          detail: text,
        },
      ],
      problems: [],
    });
  });

  it('keeps other failures as statuses only', () => {
    expect(normalizeWebhook(load('status-failed-131026')).events).toStrictEqual([
      status({
        messageId: 'wamid.out03',
        status: 'failed',
        timestamp: '2025-06-08T21:03:20.000Z',
        errors: [
          {
            code: 131026,
            title: 'Message undeliverable',
            message: 'Message undeliverable',
            details: 'Message Undeliverable.',
            href: ERROR_HREF,
          },
        ],
      }),
    ]);
  });

  it('skips the 131050 opt-out when the recipient is unknown (username users)', () => {
    const body = load('status-failed-131050') as {
      entry: [{ changes: [{ value: { statuses: [object] } }] }];
    };
    const [failed] = body.entry[0].changes[0].value.statuses;
    body.entry[0].changes[0].value.statuses = [{ ...failed, recipient_id: undefined }];
    expect(normalizeWebhook(body).events.map((e) => e.type)).toEqual(['message.status']);
  });
});

describe('normalizeWebhook: batches, errors and other fields', () => {
  it('walks every entry and change of a batch, routing each on its own metadata', () => {
    const { events, problems } = normalizeWebhook(load('batch'));
    expect(problems).toEqual([]);
    expect(
      events.map((e) => [e.type, e.dedupeKey, e.wabaId, 'channel' in e ? e.channel?.phoneNumberId : null]),
    ).toEqual([
      ['message.received', 'msg:wamid.batch01', WABA, '106540352242922'],
      ['message.received', 'msg:wamid.batch02', WABA, '106540352242922'],
      ['message.status', 'status:wamid.out10:delivered', WABA, '106540352242922'],
      ['message.status', 'status:wamid.out11:read', WABA, '106540352242922'],
      ['message.received', 'msg:wamid.batch03', '987654321098765', '209876543210987'],
      ['message.received', 'msg:wamid.batch04', '987654321098765', '209876543210987'],
      ['contact.opted_out', 'msg:wamid.batch04:opt_out', '987654321098765', '209876543210987'],
      ['message.status', 'status:wamid.out12:sent', '987654321098765', '209876543210987'],
    ]);
    const senders = events.flatMap((e) => (e.type === 'message.received' ? [[e.waId, e.profileName]] : []));
    expect(senders).toEqual([
      ['16505551235', 'Pablo Morales'],
      [CUSTOMER, 'Sheena Nelson'],
      ['34600000001', 'Lucía García'],
      ['34600000001', 'Lucía García'],
    ]);
    expect(events[1]).toMatchObject({
      timestamp: '2025-06-08T20:53:22.000Z',
      message: { emoji: '\u2764\uFE0F' },
    });
  });

  it('reports value.errors as one channel.error per change', () => {
    const body = load('value-errors') as { entry: [{ changes: [{ value: { errors: unknown } }] }] };
    vi.useFakeTimers({ now: new Date('2026-06-10T12:00:00.000Z') });
    expect(normalizeWebhook(body)).toStrictEqual({
      events: [
        {
          type: 'channel.error',
          dedupeKey: `error:106540352242922:${sha256(JSON.stringify(body.entry[0].changes[0].value.errors))}`,
          timestamp: '2026-06-10T12:00:00.000Z',
          wabaId: WABA,
          channel: CHANNEL,
          errors: [
            {
              code: 130429,
              title: 'Rate limit hit',
              message: 'Rate limit hit',
              details: 'Cloud API message throughput has been reached.',
              href: ERROR_HREF,
            },
          ],
        },
      ],
      problems: [],
    });
  });

  it('turns user_preferences stop/resume into marketing opt-out/in', () => {
    const pref = (
      type: 'contact.opted_out' | 'contact.opted_in',
      value: string,
      at: number,
      timestamp: string,
    ) => ({
      type,
      dedupeKey: `pref:${CUSTOMER}:marketing_messages:${value}:${at}`,
      timestamp,
      wabaId: WABA,
      channel: CHANNEL,
      waId: CUSTOMER,
      category: 'marketing',
      source: 'user_preferences',
      detail: `User requested to ${value} marketing messages`,
    });
    expect(normalizeWebhook(load('user-preferences'))).toStrictEqual({
      events: [
        pref('contact.opted_out', 'stop', 1749416700, '2025-06-08T21:05:00.000Z'),
        pref('contact.opted_in', 'resume', 1749503100, '2025-06-09T21:05:00.000Z'),
      ],
      problems: [],
    });
  });

  it('keeps any other field whole as webhook.other', () => {
    vi.useFakeTimers({ now: new Date('2026-06-10T12:00:00.000Z') });
    const value = { phone_number: '15550783881', event: 'VERIFIED_ACCOUNT' };
    expect(normalizeWebhook(load('account-update'))).toStrictEqual({
      events: [
        {
          type: 'webhook.other',
          dedupeKey: `other:account_update:${sha256(JSON.stringify(value))}`,
          timestamp: '2026-06-10T12:00:00.000Z',
          wabaId: WABA,
          field: 'account_update',
          value,
        },
      ],
      problems: [],
    });
  });

  it('gives Meta re-deliveries the same dedupe keys', () => {
    for (const fixture of [
      'batch',
      'value-errors',
      'account-update',
      'user-preferences',
      'status-failed-131050',
    ]) {
      const keys = () => normalizeWebhook(load(fixture)).events.map((e) => e.dedupeKey);
      expect(keys()).toEqual(keys());
    }
  });

  it('skips the messages of a change without metadata and names its path', () => {
    const good = messageBody({ type: 'text', text: { body: 'kept' } }).entry[0]!.changes[0]!;
    const { metadata: _, ...withoutMetadata } = good.value;
    const noMetadata = { field: 'messages', value: withoutMetadata };
    const body = { object: 'whatsapp_business_account', entry: [{ id: WABA, changes: [good, noMetadata] }] };
    const { events, problems } = normalizeWebhook(body);
    expect(events.map((e) => e.dedupeKey)).toEqual(['msg:wamid.k1']);
    expect(problems).toEqual(['entry[0].changes[1].value.metadata is missing']);
  });
});

describe('normalizeWebhook: keyword opt-out and opt-in', () => {
  const optEvent = (type: 'contact.opted_out' | 'contact.opted_in', detail: string) => ({
    type,
    dedupeKey: `msg:wamid.k1:${type === 'contact.opted_out' ? 'opt_out' : 'opt_in'}`,
    timestamp: SENT_AT,
    wabaId: WABA,
    channel: CHANNEL,
    waId: CUSTOMER,
    category: 'all',
    source: 'keyword',
    detail,
  });

  it.each([
    ['  Baja ', 'contact.opted_out'],
    ['stop', 'contact.opted_out'],
    ['ALTA', 'contact.opted_in'],
  ] as const)('emits the message and then an opt event for %j', (text, type) => {
    expect(normalizeWebhook(textBody(text)).events).toStrictEqual([
      received({
        messageId: 'wamid.k1',
        message: { type: 'text', text },
        consentKeyword: type === 'contact.opted_out' ? 'opt_out' : 'opt_in',
      }),
      optEvent(type, text),
    ]);
  });

  it('needs the whole message to be the keyword', () => {
    expect(normalizeWebhook(textBody('stop please')).events.map((e) => e.type)).toEqual(['message.received']);
  });

  it('matches template quick replies and reply buttons by payload/id or label', () => {
    const template = messageBody({
      type: 'button',
      button: { payload: 'STOP', text: 'Unsubscribe from Promos' },
    });
    expect(normalizeWebhook(template).events[1]).toStrictEqual(optEvent('contact.opted_out', 'STOP'));
    const reply = { type: 'button_reply', button_reply: { id: 'resubscribe', title: 'Start' } };
    const events = normalizeWebhook(messageBody({ type: 'interactive', interactive: reply })).events;
    expect(events[1]).toStrictEqual(optEvent('contact.opted_in', 'Start'));
  });

  it('uses custom keywords, compared without case or accents', () => {
    const options = { optOutKeywords: ['Désabonner'], optInKeywords: [] };
    expect(normalizeWebhook(textBody('DESABONNER'), options).events[1]).toStrictEqual(
      optEvent('contact.opted_out', 'DESABONNER'),
    );
    expect(normalizeWebhook(textBody('stop'), options).events).toHaveLength(1);
    expect(normalizeWebhook(textBody('alta'), options).events).toHaveLength(1);
  });

  it('emits no opt event when the sender has no wa_id', () => {
    const body = messageBody({ from: undefined, type: 'text', text: { body: 'STOP' } }, { contacts: [] });
    expect(normalizeWebhook(body).events.map((e) => e.type)).toEqual(['message.received']);
  });
});

describe('normalizeWebhook: garbage in', () => {
  it.each([
    null,
    undefined,
    [],
    'entry',
    42,
    {},
    { entry: 'x' },
    {
      entry: [null, { changes: 'x' }, { changes: [null, { field: 1 }, { field: 'messages', value: null }] }],
    },
    { entry: [{ changes: [{ field: 'messages', value: { messages: 'x', statuses: [1, null] } }] }] },
    { entry: [{ changes: [{ field: 'user_preferences', value: { user_preferences: [{}] } }] }] },
  ])('never throws and reports a problem for %j', (body) => {
    const result = normalizeWebhook(body);
    expect(result.events).toEqual([]);
    expect(result.problems.length).toBeGreaterThan(0);
  });
});
