import { describe, expect, it } from 'vitest';
import { fakeWhatsApp, registry, runFlow } from '../../test/harness.js';

describe('whatsapp.sendButtons', () => {
  it('sends up to three reply buttons', async () => {
    const wa = fakeWhatsApp();
    const buttons = [
      { id: 'sales', title: 'Ventas' },
      { id: 'support', title: 'Soporte' },
    ];
    await runFlow(
      [
        {
          id: 'menu',
          type: 'whatsapp.sendButtons',
          params: { to: '34600000001', body: '¿Con quién quieres hablar?', buttons },
        },
      ],
      ['start->menu'],
      null,
      { services: wa.services },
    );
    expect(wa.sent[0]?.message).toEqual({ type: 'buttons', body: '¿Con quién quieres hablar?', buttons });
  });

  it('refuses a fourth button and titles over 20 characters when the flow is checked', () => {
    const p = registry.get('whatsapp.sendButtons')!.params;
    const four = [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `B${i}` }));
    expect(p.safeParse({ body: 'x', buttons: four }).error?.issues[0]?.message).toBe(
      'WhatsApp allows at most 3 buttons',
    );
    expect(p.safeParse({ body: 'x', buttons: [{ id: 'b', title: 'x'.repeat(21) }] }).success).toBe(false);
  });
});
