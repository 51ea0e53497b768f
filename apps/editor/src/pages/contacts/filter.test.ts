import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, fromFilter, toFilter } from './filter';

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

  it('reads a stored filter back into the form, so editing and saving it again keeps it', () => {
    const stored = {
      tags: { any: ['vip', 'es'] },
      attributes: [
        { key: 'score', op: 'gte', value: 50 },
        { key: 'churned', op: 'equals', value: false },
        { key: 'email', op: 'exists' },
      ],
      country: { notIn: ['US'] },
      optedIn: 'marketing',
      lastInteraction: { olderThanDays: 7 },
    };
    const form = fromFilter(stored);
    expect(form.tagsAny).toBe('vip, es');
    expect(form.attributes[1]).toEqual({ key: 'churned', op: 'equals', value: 'false' });
    expect(toFilter(form)).toEqual(stored);
    expect(fromFilter({})).toEqual(EMPTY_FORM);
  });
});
