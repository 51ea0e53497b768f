import { describe, expect, it } from 'vitest';
import { durationParts, durationUnitOf } from './duration';

describe('duration hints', () => {
  it('knows duration fields by name', () => {
    expect(durationUnitOf('timeoutSeconds')).toBe('seconds');
    expect(durationUnitOf('timeoutMs')).toBe('ms');
    expect(durationUnitOf('maxAttempts')).toBeNull();
  });

  it('says a duration in its two largest units', () => {
    expect(durationParts(86_400, 'seconds')).toEqual([{ n: 1, unit: 'days' }]);
    expect(durationParts(5_400, 'seconds')).toEqual([
      { n: 1, unit: 'hours' },
      { n: 30, unit: 'minutes' },
    ]);
    expect(durationParts(90_061, 'seconds')).toEqual([
      { n: 1, unit: 'days' },
      { n: 1, unit: 'hours' },
    ]);
    expect(durationParts(1_000, 'ms')).toEqual([]);
  });
});
