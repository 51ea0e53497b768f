import { expect, it } from 'vitest';
import type { ContactRepository } from '../../src/contact-repo.js';
import type { AsyncOf } from '../../src/ports.js';

type Contacts = AsyncOf<ContactRepository>;

export const derive = (waId: string) => ({
  phone: `+${waId}`,
  country: waId.startsWith('34') ? 'ES' : null,
});

export function contactRepoContract(make: () => Promise<Contacts>): void {
  it('creates a contact once, keeps the latest inbound time and never moves it back', async () => {
    const repo = await make();
    const first = await repo.ensure({ waId: '34600000001', at: '2026-01-01T00:00:00.000Z', derive });
    expect(first).toMatchObject({
      channel: 'default',
      waId: '34600000001',
      name: null,
      phone: '+34600000001',
      country: 'ES',
      consent: {},
      attributes: {},
      tags: [],
      timezone: null,
      lastInboundAt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect((await repo.ensure({ waId: '34600000001', at: '2026-01-02T00:00:00.000Z', derive })).id).toBe(
      first.id,
    );
    const fields = derive('34600000001');
    await repo.recordMessage({ waId: '34600000001', name: 'Ana', at: '2026-01-05T10:00:00.000Z', ...fields });
    // Late, out of order, and without a profile name.
    await repo.recordMessage({ waId: '34600000001', name: '', at: '2026-01-05T09:00:00.000Z', ...fields });
    expect(await repo.get('34600000001')).toMatchObject({
      id: first.id,
      name: 'Ana',
      phone: '+34600000001',
      country: 'ES',
      lastInboundAt: '2026-01-05T10:00:00.000Z',
      updatedAt: '2026-01-05T09:00:00.000Z',
    });
  });

  it('creates the contact on its first inbound message, per channel', async () => {
    const repo = await make();
    const fields = derive('5215512345678');
    await repo.recordMessage({
      waId: '5215512345678',
      channel: 'mx',
      name: 'Luis',
      at: '2026-01-05T10:00:00.000Z',
      ...fields,
    });
    expect(await repo.get('5215512345678')).toBeUndefined();
    expect(await repo.get('5215512345678', 'mx')).toMatchObject({
      channel: 'mx',
      name: 'Luis',
      phone: '+5215512345678',
      country: null,
      lastInboundAt: '2026-01-05T10:00:00.000Z',
      createdAt: '2026-01-05T10:00:00.000Z',
    });
  });

  it('keeps the later consent decision per category', async () => {
    const repo = await make();
    await repo.ensure({ waId: '34600000001', at: '2026-01-01T00:00:00.000Z', derive });
    const stop = { optedIn: false, source: 'keyword', at: '2026-01-03T00:00:00.000Z' };
    expect(await repo.setConsent({ waId: '34600000001', category: 'all', record: stop })).toBe(true);
    expect(
      await repo.setConsent({
        waId: '34600000001',
        category: 'all',
        record: { optedIn: true, source: 'keyword', at: '2026-01-02T00:00:00.000Z' },
      }),
    ).toBe(false);
    const marketing = { optedIn: true, source: 'form', at: '2026-01-01T00:00:00.000Z' };
    expect(await repo.setConsent({ waId: '34600000001', category: 'marketing', record: marketing })).toBe(
      true,
    );
    expect(await repo.get('34600000001')).toMatchObject({
      consent: { all: stop, marketing },
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(await repo.setConsent({ waId: 'nobody', category: 'all', record: stop })).toBe(false);
  });

  it('patches attributes and tags, and lists by search and tag', async () => {
    const repo = await make();
    for (const waId of ['34600000001', '34600000002', '5215512345678'])
      await repo.ensure({ waId, at: '2026-01-01T00:00:00.000Z', derive });
    const patched = await repo.patch(
      '34600000002',
      { name: 'Lucía', tags: ['vip'], attributes: { tier: 'gold' }, timezone: 'Europe/Madrid' },
      '2026-01-02T00:00:00.000Z',
    );
    expect(patched).toMatchObject({
      tags: ['vip'],
      attributes: { tier: 'gold' },
      timezone: 'Europe/Madrid',
      updatedAt: '2026-01-02T00:00:00.000Z',
    });
    expect(await repo.get('34600000002')).toEqual(patched);
    expect(await repo.patch('nobody', { name: 'x' }, '2026-01-02T00:00:00.000Z')).toBeUndefined();
    expect((await repo.list({ tag: 'vip' })).map((c) => c.waId)).toEqual(['34600000002']);
    expect((await repo.list({ search: 'lucí' })).map((c) => c.waId)).toEqual(['34600000002']);
    expect((await repo.list({ search: 'LUCÍ' })).map((c) => c.waId)).toEqual([]); // ASCII case only
    expect((await repo.list({ search: '52155' })).map((c) => c.waId)).toEqual(['5215512345678']);
    expect((await repo.list({ search: '%' })).map((c) => c.waId)).toEqual([]); // a literal percent
    expect((await repo.list({ limit: 2 })).map((c) => c.waId)).toEqual(['34600000001', '34600000002']);
    expect((await repo.list({ after: '34600000002' })).map((c) => c.waId)).toEqual(['5215512345678']);
  });

  it('lists one channel, all but one, or none for no teams', async () => {
    const repo = await make();
    await repo.ensure({ waId: '34600000001', at: '2026-01-01T00:00:00.000Z', derive });
    await repo.ensure({ waId: '34600000002', channel: 'simulator', at: '2026-01-01T00:00:00.000Z', derive });
    expect((await repo.list({ channel: 'simulator' })).map((c) => c.waId)).toEqual(['34600000002']);
    expect((await repo.list({ exceptChannel: 'simulator' })).map((c) => c.waId)).toEqual(['34600000001']);
    expect(await repo.list({ teams: [] })).toEqual([]);
  });

  it('sets the last inbound time as given when patched, even backwards', async () => {
    const repo = await make();
    const fields = derive('34600000001');
    await repo.recordMessage({ waId: '34600000001', name: null, at: '2026-01-05T10:00:00.000Z', ...fields });
    await repo.patch(
      '34600000001',
      { lastInboundAt: '2026-01-01T00:00:00.000Z' },
      '2026-01-06T00:00:00.000Z',
    );
    expect((await repo.get('34600000001'))?.lastInboundAt).toBe('2026-01-01T00:00:00.000Z');
  });
}
