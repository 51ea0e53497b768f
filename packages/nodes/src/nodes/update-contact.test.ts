import { describe, expect, it } from 'vitest';
import { fakeContacts, inboundEvent, runFlow } from '../../test/harness.js';

describe('data.updateContact', () => {
  it('sets attributes from references, adds and removes tags, and records consent', async () => {
    const contacts = fakeContacts({ '34600000001': { tags: ['lead'] } });
    await runFlow(
      [
        {
          id: 'u',
          type: 'data.updateContact',
          params: {
            attributes: [{ name: 'lastTopic', value: '{{ trigger.message.text }}' }],
            addTags: ['customer'],
            removeTags: ['lead'],
            consent: { category: 'marketing', optedIn: true },
          },
        },
      ],
      ['start->u'],
      inboundEvent('34600000001', { type: 'text', text: 'facturas' }),
      { services: contacts.services, trigger: 'trigger.whatsappMessage' },
    );
    expect(contacts.store.get('34600000001')).toMatchObject({
      tags: ['customer'],
      attributes: { lastTopic: 'facturas' },
      consent: { marketing: { optedIn: true, source: 'flow' } },
    });
  });
});
