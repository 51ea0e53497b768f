import { describe, expect, it } from 'vitest';
import { inboundEvent, registry } from '../../test/harness.js';

const trigger = registry.get('trigger.whatsappMessage')!;
const text = (t: string) => inboundEvent('34600000001', { type: 'text', text: t });

describe('trigger.whatsappMessage', () => {
  it('listens to received messages and, with no filters, takes any', () => {
    expect(trigger.listensTo).toEqual(['message.received']);
    expect(trigger.matches({}, text('hola'))).toBe(true);
  });

  it('filters by type, keyword (accent-insensitive), button id and channel', () => {
    expect(trigger.matches({ messageTypes: ['image'] }, text('hola'))).toBe(false);
    expect(trigger.matches({ keywords: ['menú', 'menu'] }, text('Quiero ver el MENU'))).toBe(true);
    expect(trigger.matches({ keywords: ['menú'] }, text('hola'))).toBe(false);
    const tap = inboundEvent('34600000001', {
      type: 'button_reply',
      id: 'btn_offer',
      title: 'Quiero la oferta',
    });
    expect(trigger.matches({ buttonIds: ['btn_offer'] }, tap)).toBe(true);
    expect(trigger.matches({ buttonIds: ['other'] }, tap)).toBe(false);
    expect(trigger.matches({ channel: 'sales' }, text('hola'))).toBe(false);
    expect(trigger.matches({ channel: 'default' }, text('hola'))).toBe(true);
  });

  it('leaves opt-out/opt-in keywords to consent triggers, unless it asks for them by keyword or button', () => {
    const stop = { ...(text('BAJA') as object), consentKeyword: 'opt_out' };
    expect(trigger.matches({}, stop)).toBe(false);
    expect(trigger.matches({ messageTypes: ['text'] }, stop)).toBe(false);
    expect(trigger.matches({ keywords: ['baja'] }, stop)).toBe(true);
    const tap = {
      ...(inboundEvent('34600000001', {
        type: 'button_reply',
        id: 'ALTA',
        title: 'Sí, quiero ofertas',
      }) as object),
      consentKeyword: 'opt_in',
    };
    expect(trigger.matches({ buttonIds: ['ALTA'] }, tap)).toBe(true);
  });

  it('does not match when its params are invalid', () => {
    expect(trigger.matches({ messageTypes: ['telegram'] }, text('hola'))).toBe(false);
  });
});
