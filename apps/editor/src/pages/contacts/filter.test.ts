import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, toFilter } from './filter';

describe('the segment filter builder', () => {
  it('makes an empty filter (every contact) from an empty form', () => {
    expect(toFilter(EMPTY_FORM)).toEqual({});
  });

  it('turns lists, days and attribute rows into the server’s filter, typing values', () => {
    expect(
      toFilter({
        ...EMPTY_FORM,
        tagsAll: 'vip, es ,',
        tagsNone: 'staff',
        countryIn: 'ES,MX',
        optedIn: 'marketing',
        withinDays: '30',
        attributes: [
          { key: 'plan', op: 'equals', value: 'gold' },
          { key: 'age', op: 'equals', value: '40' },
          { key: 'churned', op: 'not_equals', value: 'true' },
          { key: 'score', op: 'gte', value: '50' },
          { key: 'email', op: 'exists', value: 'ignored' },
          { key: ' ', op: 'equals', value: 'a row without a key is left out' },
        ],
      }),
    ).toEqual({
      tags: { all: ['vip', 'es'], none: ['staff'] },
      attributes: [
        { key: 'plan', op: 'equals', value: 'gold' },
        { key: 'age', op: 'equals', value: 40 },
        { key: 'churned', op: 'not_equals', value: true },
        { key: 'score', op: 'gte', value: 50 },
        { key: 'email', op: 'exists' },
      ],
      country: { in: ['ES', 'MX'] },
      optedIn: 'marketing',
      lastInteraction: { withinDays: 30 },
    });
  });
});
