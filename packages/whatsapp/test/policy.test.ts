import { describe, expect, it } from 'vitest';
import { checkSendPolicy, countryOf, type PolicyContact, windowOpen } from '../src/policy.js';

const now = new Date('2026-06-10T12:00:00.000Z');
const contact = (over: Partial<PolicyContact> = {}): PolicyContact => ({
  waId: '34600000001',
  lastInboundAt: '2026-06-10T08:00:00.000Z',
  consent: {},
  ...over,
});
const check = (c: PolicyContact, message: Parameters<typeof checkSendPolicy>[0]['message']) =>
  checkSendPolicy({ contact: c, message, now })?.reason ?? 'ok';

describe('send policy', () => {
  it('allows free-form messages only inside the 24-hour window', () => {
    expect(check(contact(), { type: 'text' })).toBe('ok');
    expect(check(contact({ lastInboundAt: '2026-06-09T12:00:00.001Z' }), { type: 'buttons' })).toBe('ok');
    expect(check(contact({ lastInboundAt: '2026-06-09T12:00:00.000Z' }), { type: 'text' })).toBe(
      'outside_24h_window',
    );
    expect(check(contact({ lastInboundAt: null }), { type: 'media' })).toBe('outside_24h_window');
    const refusal = checkSendPolicy({
      contact: contact({ lastInboundAt: null }),
      message: { type: 'text' },
      now,
    });
    expect(refusal?.message).toMatch(/send an approved template instead/);
  });

  it('allows templates outside the window, marketing ones only with an opt-in and no opt-out', () => {
    const outside = { lastInboundAt: null };
    expect(check(contact(outside), { type: 'template', category: 'utility' })).toBe('ok');
    expect(check(contact(outside), { type: 'template', category: 'marketing' })).toBe('not_opted_in');
    const optedIn = { marketing: { optedIn: true, source: 'web form', at: '2026-01-01T00:00:00.000Z' } };
    expect(
      check(contact({ ...outside, consent: optedIn }), { type: 'template', category: 'marketing' }),
    ).toBe('ok');
    const stopped = {
      marketing: { optedIn: false, source: 'user_preferences', at: '2026-02-01T00:00:00.000Z' },
    };
    expect(check(contact({ consent: stopped }), { type: 'template', category: 'marketing' })).toBe(
      'opted_out',
    );
    expect(check(contact({ consent: stopped }), { type: 'template', category: 'utility' })).toBe('ok');
  });

  it('refuses utility templates to a contact who stopped utility messages, and only those', () => {
    const noUtility = {
      utility: { optedIn: false, source: 'preference center', at: '2026-03-01T00:00:00.000Z' },
      marketing: { optedIn: true, source: 'web form', at: '2026-01-01T00:00:00.000Z' },
    };
    expect(check(contact({ consent: noUtility }), { type: 'template', category: 'utility' })).toBe(
      'opted_out',
    );
    expect(check(contact({ consent: noUtility }), { type: 'template', category: 'marketing' })).toBe('ok');
    expect(check(contact({ consent: noUtility }), { type: 'template', category: 'authentication' })).toBe(
      'ok',
    );
    expect(check(contact({ consent: noUtility }), { type: 'text' })).toBe('ok');
  });

  it('treats a keyword opt-out as stopping every template, while still allowing replies in the window', () => {
    const all = { all: { optedIn: false, source: 'keyword', at: '2026-06-10T09:00:00.000Z' } };
    expect(check(contact({ consent: all }), { type: 'template', category: 'utility' })).toBe('opted_out');
    expect(check(contact({ consent: all }), { type: 'text' })).toBe('ok');
  });

  it('sends nothing to blocked regions, and never blocks marking as read', () => {
    for (const waId of ['5352000000', '989120000000', '850191000000', '963944000000']) {
      expect(check(contact({ waId }), { type: 'template', category: 'utility' })).toBe('blocked_region');
    }
    expect(check(contact({ waId: '5352000000' }), { type: 'markRead' })).toBe('ok');
    expect(
      checkSendPolicy({
        contact: contact({ waId: '447700900000' }),
        message: { type: 'text' },
        now,
        blockedPrefixes: ['44'],
      })?.reason,
    ).toBe('blocked_region');
  });

  it('knows the window boundary and the country of a number', () => {
    expect(windowOpen('2026-06-09T12:00:00.000Z', now)).toBe(false);
    expect(countryOf('34600000001')).toBe('ES');
    expect(countryOf('5215512345678')).toBe('MX');
    expect(countryOf('123')).toBeNull();
  });
});
