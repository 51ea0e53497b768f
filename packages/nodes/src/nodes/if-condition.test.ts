import { describe, expect, it } from 'vitest';
import { registry, runFlow } from '../../test/harness.js';

const branch = async (params: object, payload: object = {}) => {
  const run = await runFlow([{ id: 'if', type: 'condition.if', params }], ['start->if'], payload as never);
  return run.portsOf('if')[0];
};

describe('condition.if', () => {
  it('compares text ignoring case and accents by default', async () => {
    expect(
      await branch(
        { left: '{{ trigger.text }}', operator: 'equals', right: 'facturacion' },
        { text: 'Facturación' },
      ),
    ).toBe('true');
    expect(
      await branch({ left: 'Facturación', operator: 'equals', right: 'facturacion', ignoreCase: false }),
    ).toBe('false');
    expect(await branch({ left: '¿Dónde está mi pedido?', operator: 'contains', right: 'DONDE' })).toBe(
      'true',
    );
  });

  it('compares numbers, emptiness, truthiness and patterns', async () => {
    expect(
      await branch({ left: '{{ trigger.total }}', operator: 'greaterThan', right: 100 }, { total: '150' }),
    ).toBe('true');
    expect(await branch({ left: '3', operator: 'equals', right: 3 })).toBe('true');
    expect(await branch({ left: '{{ trigger.missing }}', operator: 'isEmpty' })).toBe('true');
    expect(await branch({ left: 'Sí', operator: 'isTrue' })).toBe('true');
    expect(await branch({ left: 'pedido #1234', operator: 'matchesRegex', right: '#\\d{4}' })).toBe('true');
    expect(await branch({ left: ['vip', 'es'], operator: 'contains', right: 'VIP' })).toBe('true');
  });

  it('rejects an invalid regular expression at validation time, naming the field', () => {
    const parsed = registry
      .get('condition.if')!
      .params.safeParse({ left: 'x', operator: 'matchesRegex', right: '(' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['right']);
  });
});
