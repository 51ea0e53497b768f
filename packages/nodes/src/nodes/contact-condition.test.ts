import { describe, expect, it } from 'vitest';
import { fakeContacts, inboundEvent, runFlow } from '../../test/harness.js';

const contacts = fakeContacts({
  '34600000001': {
    tags: ['vip'],
    attributes: { tier: 'Gold' },
    consent: { marketing: { optedIn: true, source: 'web', at: '2026-01-01T00:00:00Z' } },
    lastInboundAt: '2026-05-04T07:00:00.000Z',
  },
  '34600000002': { lastInboundAt: '2026-05-02T07:00:00.000Z' },
});

async function check(waId: string, params: object) {
  const run = await runFlow(
    [{ id: 'c', type: 'condition.contact', params }],
    ['start->c'],
    inboundEvent(waId, { type: 'text', text: 'hola' }),
    {
      services: contacts.services,
      trigger: 'trigger.whatsappMessage',
    },
  );
  return run.portsOf('c')[0];
}

describe('condition.contact', () => {
  it('checks tags, attributes (case-insensitive), consent and the 24-hour window of the contact who wrote', async () => {
    expect(await check('34600000001', { check: 'hasTag', tag: 'vip' })).toBe('yes');
    expect(await check('34600000002', { check: 'hasTag', tag: 'vip' })).toBe('no');
    expect(await check('34600000001', { check: 'attributeEquals', attribute: 'tier', value: 'gold' })).toBe(
      'yes',
    );
    expect(await check('34600000001', { check: 'optedIn' })).toBe('yes');
    expect(await check('34600000002', { check: 'optedIn' })).toBe('no');
    expect(await check('34600000001', { check: 'windowOpen' })).toBe('yes');
    expect(await check('34600000002', { check: 'windowOpen' })).toBe('no');
    expect(await check('34699999999', { check: 'windowOpen' })).toBe('no');
  });
});
