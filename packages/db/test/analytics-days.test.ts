import { describe, expect, it } from 'vitest';
import { dayBuckets, readSampleBelow, startOfLocalDay } from '../src/analytics-model.js';

describe('analytics day buckets', () => {
  it('cuts local days at local midnight, so a DST day is 23 or 25 hours long', () => {
    const spring = dayBuckets({
      from: '2026-03-08T05:00:00.000Z',
      to: '2026-03-10T04:00:00.000Z',
      timeZone: 'America/New_York',
    });
    expect(spring).toEqual([
      { day: '2026-03-08', start: '2026-03-08T05:00:00.000Z', end: '2026-03-09T04:00:00.000Z' },
      { day: '2026-03-09', start: '2026-03-09T04:00:00.000Z', end: '2026-03-10T04:00:00.000Z' },
    ]);
    // Madrid's 2026-10-25 runs from 00:00 CEST (22:00Z the day before) to 00:00 CET (23:00Z): 25 hours.
    const autumn = dayBuckets({
      from: '2026-10-24T22:00:00.000Z',
      to: '2026-10-26T23:00:00.000Z',
      timeZone: 'Europe/Madrid',
    });
    expect(autumn).toEqual([
      { day: '2026-10-25', start: '2026-10-24T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z' },
      { day: '2026-10-26', start: '2026-10-25T23:00:00.000Z', end: '2026-10-26T23:00:00.000Z' },
    ]);
  });

  it('starts a day whose midnight a DST change skips at its first existing instant', () => {
    // Chile moves 00:00 → 01:00 on 2026-09-06: that day begins at 01:00 −03 = 04:00 UTC.
    expect(new Date(startOfLocalDay('2026-09-06', 'America/Santiago')).toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });

  it('clips the first and last day to the range', () => {
    expect(
      dayBuckets({ from: '2026-03-02T12:00:00.000Z', to: '2026-03-03T12:00:00.000Z', timeZone: 'UTC' }),
    ).toEqual([
      { day: '2026-03-02', start: '2026-03-02T12:00:00.000Z', end: '2026-03-03T00:00:00.000Z' },
      { day: '2026-03-03', start: '2026-03-03T00:00:00.000Z', end: '2026-03-03T12:00:00.000Z' },
    ]);
  });
});

describe('the time-to-read sample', () => {
  it('takes every read message up to 50,000 and an even share of ids beyond', () => {
    expect(readSampleBelow(50_000)).toBeNull();
    // 200,000 reads: ids ending below "40" (64 of 256 two-hex-digit endings) keep about 50,000.
    expect(readSampleBelow(200_000)).toBe('40');
    expect(readSampleBelow(1_000_000)).toBe('0d');
  });
});
