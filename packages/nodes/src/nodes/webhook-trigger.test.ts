import { describe, expect, it } from 'vitest';
import { registry, runFlow } from '../../test/harness.js';

describe('trigger.webhook', () => {
  it('starts only for its own path and hands the body to the flow', async () => {
    const t = registry.get('trigger.webhook')!;
    expect(t.listensTo).toEqual(['webhook.received']);
    expect(t.matches({ path: 'shop-orders' }, { path: 'shop-orders' })).toBe(true);
    expect(t.matches({ path: 'shop-orders' }, { path: 'other' })).toBe(false);
    const run = await runFlow(
      [
        {
          id: 'log',
          type: 'action.log',
          params: { message: 'order {{ trigger.body.order.id }} for {{ trigger.body.order.phone }}' },
        },
      ],
      ['start->log'],
      { path: 'shop-orders', body: { order: { id: 'A-1001', phone: '+34600000001' } } },
      { trigger: 'trigger.webhook', triggerParams: { path: 'shop-orders' } },
    );
    expect(run.logger.lines.some((l) => l.msg === 'flow log: order A-1001 for +34600000001')).toBe(true);
  });

  it('keeps secrets out of the flow: only an environment variable name is accepted', () => {
    const p = registry.get('trigger.webhook')!.params;
    expect(p.safeParse({ path: 'shop-orders', secretFrom: 'env:SHOP_SECRET' }).success).toBe(true);
    expect(p.safeParse({ path: 'shop-orders', secretFrom: 's3cr3t' }).success).toBe(false);
    expect(p.safeParse({ path: 'Shop Orders' }).success).toBe(false);
  });
});
