import { describe, expect, it } from 'vitest';
import { fakeWhatsApp, runFlow } from '../../test/harness.js';

describe('whatsapp.sendTemplate', () => {
  it('fills body parameters from references and adds quick-reply payloads', async () => {
    const wa = fakeWhatsApp();
    await runFlow(
      [
        {
          id: 't',
          type: 'whatsapp.sendTemplate',
          params: {
            to: '{{ trigger.phone }}',
            name: 'cart_reminder',
            language: 'es_MX',
            category: 'marketing',
            bodyParams: ['{{ trigger.name }}', '{{ trigger.total }} €'],
            quickReplyPayloads: ['buy', 'stop'],
          },
        },
      ],
      ['start->t'],
      { phone: '+5215512345678', name: 'Lucía', total: 59.9 },
      { services: wa.services },
    );
    expect(wa.sent[0]).toMatchObject({
      to: '5215512345678',
      message: {
        type: 'template',
        name: 'cart_reminder',
        language: 'es_MX',
        category: 'marketing',
        body: { params: ['Lucía', '59.9 €'] },
        buttons: [
          { index: 0, subType: 'quick_reply', payload: 'buy' },
          { index: 1, subType: 'quick_reply', payload: 'stop' },
        ],
      },
    });
  });

  it('fills a text header’s parameters from references', async () => {
    const wa = fakeWhatsApp();
    await runFlow(
      [
        {
          id: 't',
          type: 'whatsapp.sendTemplate',
          params: {
            to: '{{ trigger.phone }}',
            name: 'weekly_offers',
            language: 'es',
            headerParams: ['{{ trigger.name }}'],
            bodyParams: ['10%'],
          },
        },
      ],
      ['start->t'],
      { phone: '+34600000001', name: 'Ana' },
      { services: wa.services },
    );
    expect(wa.sent[0]?.message).toMatchObject({
      header: { type: 'text', params: ['Ana'] },
      body: { params: ['10%'] },
    });
    expect(wa.sent[0]?.message).not.toHaveProperty('buttons');
  });
});
