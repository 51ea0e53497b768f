import { describe, expect, it } from 'vitest';
import { fakeWhatsApp, inboundEvent, runFlow } from '../../test/harness.js';

describe('whatsapp.sendText', () => {
  it('sends to the contact who wrote, with the step’s idempotency key', async () => {
    const wa = fakeWhatsApp();
    const run = await runFlow(
      [
        {
          id: 'reply',
          type: 'whatsapp.sendText',
          params: { text: 'Hola {{ trigger.profileName }}, ¿en qué te ayudo?' },
        },
      ],
      ['start->reply'],
      inboundEvent('34600000001', { type: 'text', text: 'hola' }),
      { services: wa.services, trigger: 'trigger.whatsappMessage' },
    );
    expect(run.status).toBe('succeeded');
    expect(wa.sent).toEqual([
      {
        to: '34600000001',
        channel: 'default',
        message: { type: 'text', text: 'Hola Cliente, ¿en qué te ayudo?', previewUrl: false },
        idempotencyKey: `${run.runId}:reply`,
      },
    ]);
    expect(run.steps.at(-1)?.output).toEqual({ messageId: 'wamid.FAKE1' });
  });

  it('replies from the number the customer wrote to, unless the node names a channel', async () => {
    const wa = fakeWhatsApp();
    await runFlow(
      [
        { id: 'reply', type: 'whatsapp.sendText', params: { text: 'hola' } },
        { id: 'notify', type: 'whatsapp.sendText', params: { text: 'aviso', channel: 'alerts' } },
      ],
      ['start->reply', 'reply->notify'],
      inboundEvent('34600000003', { type: 'text', text: 'hola' }, 'sales-mx'),
      { services: wa.services, trigger: 'trigger.whatsappMessage' },
    );
    expect(wa.sent.map((m) => m.channel)).toEqual(['sales-mx', 'alerts']);
  });

  it('sends a policy refusal out of the error port with its reason', async () => {
    const wa = fakeWhatsApp({ '34600000002': 'outside_24h_window' });
    const run = await runFlow(
      [
        { id: 'reply', type: 'whatsapp.sendText', params: { text: 'hola' } },
        { id: 'fallback', type: 'action.log', params: { message: 'refused: {{ input.reason }}' } },
      ],
      ['start->reply', 'reply.error->fallback'],
      inboundEvent('34600000002', { type: 'text', text: 'hola' }),
      { services: wa.services, trigger: 'trigger.whatsappMessage' },
    );
    expect(run.portsOf('reply')).toEqual(['error']);
    expect(run.logger.lines.some((l) => l.msg === 'flow log: refused: outside_24h_window')).toBe(true);
  });
});
