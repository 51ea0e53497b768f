import { describe, expect, it } from 'vitest';
import { inboundEvent, runFlow } from '../../test/harness.js';

const route = async (text: string, params: object) => {
  const run = await runFlow(
    [{ id: 'kw', type: 'condition.keyword', params }],
    ['start->kw'],
    inboundEvent('34600000001', { type: 'text', text }),
    { trigger: 'trigger.whatsappMessage' },
  );
  return run.portsOf('kw')[0];
};

describe('condition.keyword', () => {
  it('matches whole words, ignoring case and accents, in Spanish and English', async () => {
    expect(await route('Necesito la FACTURACIÓN de marzo', { keywords: ['facturacion', 'invoice'] })).toBe(
      'match',
    );
    expect(await route('Where is my invoice?', { keywords: ['facturacion', 'invoice'] })).toBe('match');
    expect(await route('refacturado', { keywords: ['facturado'] })).toBe('noMatch');
    expect(await route('refacturado', { keywords: ['facturado'], match: 'contains' })).toBe('match');
  });

  it('needs every keyword in "all" mode, and matches phrases', async () => {
    expect(await route('precio del envío a Canarias', { keywords: ['precio', 'envio'], mode: 'all' })).toBe(
      'match',
    );
    expect(await route('precio', { keywords: ['precio', 'envio'], mode: 'all' })).toBe('noMatch');
    expect(await route('hablar con un agente, por favor', { keywords: ['con un agente'] })).toBe('match');
  });
});
