import { describe, expect, it } from 'vitest';
import { registry } from '../../test/harness.js';

describe('WhatsApp event triggers', () => {
  it('start on chosen statuses (default: failed)', () => {
    const t = registry.get('trigger.whatsappStatus')!;
    expect(t.listensTo).toEqual(['message.status']);
    expect(t.matches({}, { type: 'message.status', status: 'failed' })).toBe(true);
    expect(t.matches({}, { type: 'message.status', status: 'read' })).toBe(false);
    expect(t.matches({ statuses: ['read'] }, { type: 'message.status', status: 'read' })).toBe(true);
  });

  it('start on opt-outs, opt-ins or both', () => {
    const t = registry.get('trigger.whatsappConsent')!;
    expect(t.matches({}, { type: 'contact.opted_out' })).toBe(true);
    expect(t.matches({}, { type: 'contact.opted_in' })).toBe(false);
    expect(t.matches({ direction: 'any' }, { type: 'contact.opted_in' })).toBe(true);
  });
});
