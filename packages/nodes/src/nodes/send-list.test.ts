import { describe, expect, it } from 'vitest';
import { fakeWhatsApp, registry, runFlow } from '../../test/harness.js';

const sections = [
  {
    title: 'Pedidos',
    rows: [
      { id: 'track', title: 'Seguir mi pedido' },
      { id: 'return', title: 'Devolver', description: 'Hasta 30 días' },
    ],
  },
  { title: 'Cuenta', rows: [{ id: 'invoice', title: 'Facturas' }] },
];

describe('whatsapp.sendList', () => {
  it('sends a list that passes Meta’s limits', async () => {
    const wa = fakeWhatsApp();
    const run = await runFlow(
      [
        {
          id: 'menu',
          type: 'whatsapp.sendList',
          params: { to: '34600000001', body: '¿Qué necesitas?', buttonText: 'Ver opciones', sections },
        },
      ],
      ['start->menu'],
      null,
      { services: wa.services },
    );
    expect(run.portsOf('menu')).toEqual(['out']);
    expect(wa.sent[0]?.message).toEqual({
      type: 'list',
      body: '¿Qué necesitas?',
      buttonText: 'Ver opciones',
      sections,
    });
  });

  it('refuses more than 10 rows in all', () => {
    const rows = Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, title: `Opción ${i}` }));
    const r = registry.get('whatsapp.sendList')!.params.safeParse({
      body: 'x',
      buttonText: 'Ver',
      sections: [
        { title: 'A', rows },
        { title: 'B', rows },
      ],
    });
    expect(r.error?.issues[0]).toMatchObject({
      path: ['sections'],
      message: 'WhatsApp allows at most 10 rows in all',
    });
  });
});
