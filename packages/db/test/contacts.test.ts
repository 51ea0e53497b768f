import { describe, expect, it } from 'vitest';
import { openDb } from '../src/connection.js';
import { ContactRepository } from '../src/contact-repo.js';

const derive = (waId: string) => ({ phone: `+${waId}`, country: waId.startsWith('34') ? 'ES' : null });

describe('contact repository', () => {
  it('creates a contact once, keeps the latest inbound time and never moves it back', () => {
    const repo = new ContactRepository(openDb({ path: ':memory:' }));
    const first = repo.ensure({ waId: '34600000001', at: '2026-01-01T00:00:00.000Z', derive });
    expect(repo.ensure({ waId: '34600000001', at: '2026-01-02T00:00:00.000Z', derive }).id).toBe(first.id);
    const fields = derive('34600000001');
    repo.recordMessage({ waId: '34600000001', name: 'Ana', at: '2026-01-05T10:00:00.000Z', ...fields });
    repo.recordMessage({ waId: '34600000001', name: null, at: '2026-01-05T09:00:00.000Z', ...fields }); // late, out of order
    expect(repo.get('34600000001')?.id).toBe(first.id);
    expect(repo.get('34600000001')).toMatchObject({
      name: 'Ana',
      phone: '+34600000001',
      country: 'ES',
      lastInboundAt: '2026-01-05T10:00:00.000Z',
    });
  });

  it('keeps the later consent decision per category', () => {
    const repo = new ContactRepository(openDb({ path: ':memory:' }));
    repo.ensure({ waId: '34600000001', at: '2026-01-01T00:00:00.000Z', derive });
    const stop = { optedIn: false, source: 'keyword', at: '2026-01-03T00:00:00.000Z' };
    expect(repo.setConsent({ waId: '34600000001', category: 'all', record: stop })).toBe(true);
    expect(
      repo.setConsent({
        waId: '34600000001',
        category: 'all',
        record: { optedIn: true, source: 'keyword', at: '2026-01-02T00:00:00.000Z' },
      }),
    ).toBe(false);
    expect(repo.get('34600000001')?.consent).toEqual({ all: stop });
    expect(repo.setConsent({ waId: 'nobody', category: 'all', record: stop })).toBe(false);
  });

  it('patches attributes and tags, and lists by search and tag', () => {
    const repo = new ContactRepository(openDb({ path: ':memory:' }));
    for (const waId of ['34600000001', '34600000002', '5215512345678'])
      repo.ensure({ waId, at: '2026-01-01T00:00:00.000Z', derive });
    repo.patch(
      '34600000002',
      { name: 'Lucía', tags: ['vip'], attributes: { tier: 'gold' }, timezone: 'Europe/Madrid' },
      '2026-01-02T00:00:00.000Z',
    );
    expect(repo.get('34600000002')).toMatchObject({
      tags: ['vip'],
      attributes: { tier: 'gold' },
      timezone: 'Europe/Madrid',
    });
    expect(repo.list({ tag: 'vip' }).map((c) => c.waId)).toEqual(['34600000002']);
    expect(repo.list({ search: 'lucí' }).map((c) => c.waId)).toEqual(['34600000002']);
    expect(repo.list({ search: '52155' }).map((c) => c.waId)).toEqual(['5215512345678']);
    expect(repo.list({ limit: 2 }).map((c) => c.waId)).toEqual(['34600000001', '34600000002']);
    expect(repo.list({ after: '34600000002' }).map((c) => c.waId)).toEqual(['5215512345678']);
  });
});
