import { describe, expect, it } from 'vitest';
import { fakeWhatsApp, inboundEvent, runFlow } from '../../test/harness.js';

describe('whatsapp.markRead and whatsapp.react', () => {
  it('mark the trigger message as read and react to it', async () => {
    const wa = fakeWhatsApp();
    const event = inboundEvent('34600000001', { type: 'text', text: '¡Gracias!' });
    await runFlow(
      [
        { id: 'read', type: 'whatsapp.markRead' },
        { id: 'like', type: 'whatsapp.react', params: { emoji: '❤️' } },
      ],
      ['start->read', 'read->like'],
      event,
      { services: wa.services, trigger: 'trigger.whatsappMessage' },
    );
    const messageId = (event as { messageId: string }).messageId;
    expect(wa.sent.map((s) => s.message)).toEqual([
      { type: 'markRead', messageId },
      { type: 'reaction', messageId, emoji: '❤️' },
    ]);
  });
});
