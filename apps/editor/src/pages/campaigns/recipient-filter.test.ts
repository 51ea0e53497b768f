import { describe, expect, it } from 'vitest';
import { codeValue, reasonValue, recipientFilterOptions, recipientFilterQuery } from './recipient-filter';

describe('the recipients reason-or-error filter', () => {
  it('offers the known skip reasons, any other the results name, and the failures’ codes', () => {
    expect(recipientFilterOptions(null)).toEqual({
      reasons: ['opted_out', 'not_opted_in', 'blocked_region', 'missing_parameter'],
      codes: [],
    });
    const options = recipientFilterOptions({
      counts: {} as never,
      skipped: [
        { reason: 'opted_out', count: 3 },
        { reason: 'window_closed', count: 1 },
      ],
      failed: [
        { code: 131026, title: 'Message undeliverable', count: 2 },
        { code: 'unknown', title: '', count: 1 },
      ],
    });
    expect(options.reasons.at(-1)).toBe('window_closed');
    expect(options.reasons.filter((r) => r === 'opted_out')).toHaveLength(1);
    expect(options.codes).toEqual(['131026', 'unknown']);
  });

  it('asks the server for a reason or a code, never both', () => {
    expect(recipientFilterQuery(reasonValue('opted_out'))).toEqual({ reason: 'opted_out' });
    expect(recipientFilterQuery(codeValue('131026'))).toEqual({ code: '131026' });
    expect(recipientFilterQuery('')).toEqual({});
  });
});
