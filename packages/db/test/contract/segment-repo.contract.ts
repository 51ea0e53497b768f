import { expect, it } from 'vitest';
import type { Consent, ContactRepository } from '../../src/contact-repo.js';
import type { AsyncOf } from '../../src/ports.js';
import type { SegmentFilter } from '../../src/segment-filter.js';
import type { SegmentRepository } from '../../src/segment-repo.js';

const NOW = '2026-03-01T12:00:00.000Z';
const T0 = '2026-02-01T10:00:00.000Z';
const daysAgo = (d: number) => new Date(Date.parse(NOW) - d * 86_400_000).toISOString();
const yes = (at = T0) => ({ optedIn: true, source: 'web form', at });
const no = (at = T0) => ({ optedIn: false, source: 'STOP', at });

export interface SegmentStores {
  segments: AsyncOf<SegmentRepository>;
  /** Creates contacts with the id `c<n>` (the n-th created), so paging by id is checkable. */
  contacts: AsyncOf<ContactRepository>;
}

interface Seed {
  waId: string;
  channel?: string;
  country: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  consent: Consent;
  lastInboundAt: string | null;
}

// Twelve customers and one simulator test contact; each filter below is checked against these by hand.
const SEEDS: Seed[] = [
  /* c01 */ {
    waId: '34600000001',
    country: 'ES',
    tags: ['vip', 'es'],
    attributes: { plan: 'gold', age: 40 },
    consent: { marketing: yes() },
    lastInboundAt: daysAgo(1),
  },
  /* c02 */ {
    waId: '34600000002',
    country: 'ES',
    tags: ['es'],
    attributes: { plan: 'free', age: 17 },
    consent: { all: yes() },
    lastInboundAt: daysAgo(10),
  },
  /* c03 */ {
    waId: '34600000003',
    country: 'ES',
    tags: [],
    attributes: {},
    consent: { all: yes(), marketing: no() },
    lastInboundAt: null,
  },
  /* c04 */ {
    waId: '5215500000004',
    country: 'MX',
    tags: ['vip'],
    attributes: { plan: 'gold', age: 25.5 },
    consent: { all: no(), marketing: yes() },
    lastInboundAt: daysAgo(3),
  },
  /* c05 */ {
    waId: '5215500000005',
    country: 'MX',
    tags: ['lead'],
    attributes: { age: '30' },
    consent: {},
    lastInboundAt: daysAgo(40),
  },
  /* c06 */ {
    waId: '447700000006',
    country: 'GB',
    tags: ['lead', 'vip'],
    attributes: { plan: null, churned: true },
    consent: { utility: yes() },
    lastInboundAt: daysAgo(6),
  },
  /* c07 */ {
    waId: '447700000007',
    country: 'GB',
    tags: ['newsletter'],
    attributes: { churned: false, age: 65 },
    consent: { marketing: yes(), utility: no() },
    lastInboundAt: daysAgo(8),
  },
  /* c08 */ {
    waId: '15550000008',
    country: null,
    tags: ['lead'],
    attributes: { plan: 'silver' },
    consent: { all: yes() },
    lastInboundAt: daysAgo(100),
  },
  /* c09 */ {
    waId: '15550000009',
    country: 'US',
    tags: [],
    attributes: { age: 18 },
    consent: { marketing: no() },
    lastInboundAt: daysAgo(2),
  },
  /* c10 */ {
    waId: '34600000010',
    country: 'ES',
    tags: ['es', 'lead'],
    attributes: { plan: 'gold' },
    consent: { marketing: yes(), all: yes() },
    lastInboundAt: daysAgo(29),
  },
  /* c11 */ {
    waId: '34600000011',
    channel: 'second',
    country: 'ES',
    tags: ['vip'],
    attributes: { age: 50 },
    consent: { utility: yes() },
    lastInboundAt: daysAgo(31),
  },
  /* c12 */ {
    waId: '34600000012',
    country: 'ES',
    tags: ['VIP'],
    attributes: { plan: 'Gold' },
    consent: {},
    lastInboundAt: daysAgo(5),
  },
  /* c13 */ {
    waId: '34600000013',
    channel: 'simulator',
    country: 'ES',
    tags: ['vip'],
    attributes: { plan: 'gold' },
    consent: { all: yes() },
    lastInboundAt: daysAgo(1),
  },
];

async function seed(stores: SegmentStores): Promise<void> {
  for (const s of SEEDS) {
    const channel = s.channel ?? 'default';
    await stores.contacts.ensure({
      waId: s.waId,
      channel,
      at: T0,
      derive: (w) => ({ phone: `+${w}`, country: s.country }),
    });
    await stores.contacts.patch(
      s.waId,
      { tags: s.tags, attributes: s.attributes, consent: s.consent, lastInboundAt: s.lastInboundAt },
      T0,
      channel,
    );
  }
}

/** Ids of the contacts `filter` selects (customers only: never the simulator's), by resolving page by page. */
async function resolveAll(
  repo: AsyncOf<SegmentRepository>,
  filter: SegmentFilter,
  limit = 2,
): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await repo.resolve(filter, { now: NOW, limit, ...(after ? { after } : {}) });
    ids.push(...page.map((c) => c.id));
    if (page.length < limit) return ids;
    after = page.at(-1)!.id;
  }
}

const CASES: Array<[string, SegmentFilter, string[]]> = [
  [
    'no filter: every customer, no simulator contact',
    {},
    ['c01', 'c02', 'c03', 'c04', 'c05', 'c06', 'c07', 'c08', 'c09', 'c10', 'c11', 'c12'],
  ],
  ['tags, all of', { tags: { all: ['vip', 'lead'] } }, ['c06']],
  ['tags, any of (case matters)', { tags: { any: ['es', 'newsletter'] } }, ['c01', 'c02', 'c07', 'c10']],
  ['tags, none of', { tags: { none: ['vip', 'lead'] } }, ['c02', 'c03', 'c07', 'c09', 'c12']],
  ['tags, all + none', { tags: { all: ['vip'], none: ['es'] } }, ['c04', 'c06', 'c11']],
  [
    'attribute equals a string',
    { attributes: [{ key: 'plan', op: 'equals', value: 'gold' }] },
    ['c01', 'c04', 'c10'],
  ],
  [
    'attribute not equals (missing counts)',
    { attributes: [{ key: 'plan', op: 'not_equals', value: 'gold' }] },
    ['c02', 'c03', 'c05', 'c06', 'c07', 'c08', 'c09', 'c11', 'c12'],
  ],
  ['attribute equals a boolean', { attributes: [{ key: 'churned', op: 'equals', value: true }] }, ['c06']],
  ['attribute equals a number', { attributes: [{ key: 'age', op: 'equals', value: 40 }] }, ['c01']],
  [
    'attribute exists (null does not)',
    { attributes: [{ key: 'plan', op: 'exists' }] },
    ['c01', 'c02', 'c04', 'c08', 'c10', 'c12'],
  ],
  [
    'attribute does not exist',
    { attributes: [{ key: 'age', op: 'not_exists' }] },
    ['c03', 'c06', 'c08', 'c10', 'c12'],
  ],
  [
    'number >= (JSON numbers only, not "30")',
    { attributes: [{ key: 'age', op: 'gte', value: 25.5 }] },
    ['c01', 'c04', 'c07', 'c11'],
  ],
  [
    'number < and > together',
    {
      attributes: [
        { key: 'age', op: 'gt', value: 17 },
        { key: 'age', op: 'lt', value: 50 },
      ],
    },
    ['c01', 'c04', 'c09'],
  ],
  ['number <=', { attributes: [{ key: 'age', op: 'lte', value: 18 }] }, ['c02', 'c09']],
  ['country in', { country: { in: ['MX', 'GB'] } }, ['c04', 'c05', 'c06', 'c07']],
  ['country not in (unknown kept)', { country: { notIn: ['ES', 'MX'] } }, ['c06', 'c07', 'c08', 'c09']],
  [
    'opted in to marketing, opted out of nothing',
    { optedIn: 'marketing' },
    ['c01', 'c02', 'c07', 'c08', 'c10'],
  ],
  ['opted in to utility', { optedIn: 'utility' }, ['c02', 'c03', 'c06', 'c08', 'c10', 'c11']],
  ['opted in to all', { optedIn: 'all' }, ['c02', 'c03', 'c08', 'c10']],
  [
    'last interaction within 7 days',
    { lastInteraction: { withinDays: 7 } },
    ['c01', 'c04', 'c06', 'c09', 'c12'],
  ],
  [
    'last interaction older than 30 days (never counts)',
    { lastInteraction: { olderThanDays: 30 } },
    ['c03', 'c05', 'c08', 'c11'],
  ],
  ['one channel', { channel: 'second' }, ['c11']],
  [
    'everything at once',
    {
      tags: { any: ['vip', 'es'] },
      country: { in: ['ES'] },
      optedIn: 'marketing',
      lastInteraction: { withinDays: 30 },
    },
    ['c01', 'c02', 'c10'],
  ],
];

/** Saved segments and their resolution, on any database. */
export function segmentRepoContract(make: () => Promise<SegmentStores>): void {
  it('stores segments with unique names, updates and removes them', async () => {
    const { segments } = await make();
    const filter: SegmentFilter = { tags: { all: ['vip'] }, optedIn: 'marketing' };
    const created = await segments.create({ id: 's1', name: 'VIPs', description: 'best', filter }, T0);
    expect(created).toEqual({
      id: 's1',
      name: 'VIPs',
      description: 'best',
      filter,
      createdAt: T0,
      updatedAt: T0,
    });
    expect(await segments.get('s1')).toEqual(created);
    expect(await segments.byName('VIPs')).toEqual(created);
    await expect(
      segments.create({ id: 's2', name: 'VIPs', description: '', filter: {} }, T0),
    ).rejects.toThrow();
    await segments.create({ id: 's3', name: 'Leads', description: '', filter: {} }, T0);
    expect((await segments.list()).map((s) => s.name)).toEqual(['Leads', 'VIPs']);
    expect(await segments.update('s1', { name: 'Top', filter: {} }, NOW)).toMatchObject({
      name: 'Top',
      filter: {},
      createdAt: T0,
      updatedAt: NOW,
    });
    expect(await segments.update('nope', { name: 'x' }, NOW)).toBeUndefined();
    expect(await segments.remove('s1')).toBe(true);
    expect(await segments.remove('s1')).toBe(false);
    expect((await segments.list()).map((s) => s.id)).toEqual(['s3']);
  });

  it('resolves every kind of filter to exactly the expected contacts, paged by id, and counts them', async () => {
    const stores = await make();
    await seed(stores);
    for (const [what, filter, expected] of CASES) {
      expect({ what, ids: await resolveAll(stores.segments, filter) }).toEqual({ what, ids: expected });
      expect({ what, count: await stores.segments.count(filter, NOW) }).toEqual({
        what,
        count: expected.length,
      });
    }
    // One big page gives the same contacts as pages of two.
    const all = await stores.segments.resolve({}, { now: NOW, limit: 1000 });
    expect(all.map((c) => c.id)).toEqual(CASES[0]![2]);
    expect(all[0]).toMatchObject({
      waId: '34600000001',
      tags: ['vip', 'es'],
      attributes: { plan: 'gold', age: 40 },
    });
  });
}
