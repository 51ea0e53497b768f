import { describe, expect, it } from 'vitest';
import { contactBody, draftFromContact, NEW_CONTACT } from './contact-draft';

describe('contactBody', () => {
  it('builds the PUT body from the form, normalising the number and country', () => {
    const check = contactBody({
      ...NEW_CONTACT,
      waId: '+34 600-000-001',
      country: 'es',
      tier: 'vip',
      lastMessageHoursAgo: '25,5',
      timezone: 'Europe/Madrid',
      attributes: '{"plan":"gold"}',
    });
    expect(check).toEqual({
      ok: true,
      waId: '34600000001',
      body: {
        name: 'Ana',
        country: 'ES',
        tier: 'vip',
        optedIn: true,
        lastMessageHoursAgo: 25.5,
        timezone: 'Europe/Madrid',
        attributes: { plan: 'gold' },
      },
    });
  });

  it('sends emptied fields as null ("never wrote", no tier) and leaves an empty country to the server', () => {
    const check = contactBody({ ...NEW_CONTACT, name: ' ', country: '' });
    expect(check).toEqual({
      ok: true,
      waId: '34600000001',
      body: {
        name: null,
        tier: null,
        optedIn: true,
        lastMessageHoursAgo: null,
        timezone: null,
        attributes: {},
      },
    });
  });

  it('names each field that is wrong', () => {
    const check = contactBody({
      ...NEW_CONTACT,
      waId: '12',
      country: 'Spain',
      lastMessageHoursAgo: '-1',
      timezone: 'Nowhere/City',
      attributes: '[1]',
    });
    expect(check).toEqual({
      ok: false,
      errors: {
        waId: 'sim.contact.error.waId',
        country: 'sim.contact.error.country',
        lastMessageHoursAgo: 'sim.contact.error.hours',
        timezone: 'sim.contact.error.timezone',
        attributes: 'sim.contact.error.attributes',
      },
    });
  });
});

describe('draftFromContact', () => {
  it('derives the hours since the last message when the server gives a time', () => {
    const now = Date.parse('2026-01-02T12:00:00.000Z');
    const draft = draftFromContact(
      {
        waId: '34600000002',
        name: 'Bo',
        optedIn: false,
        lastInboundAt: '2026-01-01T12:00:00.000Z',
        attributes: {},
      },
      now,
    );
    expect(draft).toMatchObject({
      waId: '34600000002',
      name: 'Bo',
      lastMessageHoursAgo: '24',
      attributes: '',
    });
  });
});
