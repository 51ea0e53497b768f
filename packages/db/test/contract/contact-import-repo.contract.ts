import { expect, it } from 'vitest';
import type { ContactImportRepository, ImportedContact } from '../../src/contact-import-repo.js';
import type { ContactRepository } from '../../src/contact-repo.js';
import type { AsyncOf } from '../../src/ports.js';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-02T10:00:00.000Z';

export interface ImportStores {
  imports: AsyncOf<ContactImportRepository>;
  contacts: AsyncOf<ContactRepository>;
}

const imported = (waId: string, over: Partial<ImportedContact> = {}): ImportedContact => ({
  id: `new-${waId}`,
  channel: 'default',
  waId,
  name: null,
  phone: `+${waId}`,
  country: 'ES',
  consent: {},
  attributes: {},
  tags: [],
  timezone: null,
  ...over,
});

/** Batch reads and upserts of CSV imports, on any database. */
export function contactImportRepoContract(make: () => Promise<ImportStores>): void {
  it('reads a batch by WhatsApp id on every channel, and upserts a batch keeping ids, creation and window', async () => {
    const { imports, contacts } = await make();
    await contacts.recordMessage({
      waId: '34600000001',
      name: 'Ana',
      at: T0,
      phone: '+34600000001',
      country: 'ES',
    });
    await contacts.ensure({
      waId: '34600000001',
      channel: 'second',
      at: T0,
      derive: () => ({ phone: '+34600000001', country: 'ES' }),
    });
    expect((await imports.getMany([])).length).toBe(0);
    const found = await imports.getMany(['34600000001', '34600000009']);
    expect(found.map((c) => c.channel).sort()).toEqual(['default', 'second']);
    const ana = found.find((c) => c.channel === 'default')!;

    await imports.upsertMany(
      [
        imported('34600000001', {
          id: 'ignored-for-existing',
          name: 'Ana María',
          tags: ['vip'],
          attributes: { plan: 'gold' },
          consent: { marketing: { optedIn: true, source: 'web', at: T0 } },
          timezone: 'Europe/Madrid',
        }),
        imported('34600000002', { name: 'Beto', tags: ['lead'] }),
      ],
      T1,
    );
    expect(await contacts.get('34600000001')).toEqual({
      ...ana,
      name: 'Ana María',
      tags: ['vip'],
      attributes: { plan: 'gold' },
      consent: { marketing: { optedIn: true, source: 'web', at: T0 } },
      timezone: 'Europe/Madrid',
      updatedAt: T1,
    });
    expect(await contacts.get('34600000002')).toMatchObject({
      id: 'new-34600000002',
      name: 'Beto',
      tags: ['lead'],
      lastInboundAt: null,
      createdAt: T1,
    });
    // The other channel's contact with the same number is untouched.
    expect((await contacts.get('34600000001', 'second'))?.tags).toEqual([]);
  });
}
