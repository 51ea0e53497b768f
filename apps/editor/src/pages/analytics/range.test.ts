import { describe, expect, it } from 'vitest';
import {
  csvFileName,
  percent,
  presetRange,
  rangeInstants,
  rangeProblem,
  reportUrl,
  shortDuration,
} from './range';

const NOW = Date.parse('2026-03-30T01:30:00Z');

describe('the analytics date range', () => {
  it('presets are the last N local days, today included, in the chosen zone', () => {
    expect(presetRange(7, NOW, 'UTC')).toEqual({ fromDate: '2026-03-24', toDate: '2026-03-30' });
    // Still the 29th in Mexico City at 01:30 UTC.
    expect(presetRange(30, NOW, 'America/Mexico_City')).toEqual({
      fromDate: '2026-02-28',
      toDate: '2026-03-29',
    });
  });

  it('turns local days into the instants the API takes: from midnight to the next day’s midnight', () => {
    expect(rangeInstants({ fromDate: '2026-03-01', toDate: '2026-03-31' }, 'Europe/Madrid')).toEqual({
      from: '2026-02-28T23:00:00.000Z',
      // Madrid moved to summer time on 29 March: midnight of 1 April is 22:00 UTC.
      to: '2026-03-31T22:00:00.000Z',
    });
  });

  it('refuses a range without dates, backwards or over 367 days', () => {
    expect(rangeProblem({ fromDate: '2026-01-01', toDate: '2026-01-31' })).toBeNull();
    expect(rangeProblem({ fromDate: '', toDate: '2026-01-31' })).toBe('analytics.range.missing');
    expect(rangeProblem({ fromDate: '2026-02-01', toDate: '2026-01-31' })).toBe('analytics.range.order');
    expect(rangeProblem({ fromDate: '2025-01-01', toDate: '2026-01-02' })).toBeNull();
    expect(rangeProblem({ fromDate: '2025-01-01', toDate: '2026-01-03' })).toBe('analytics.range.tooLong');
  });
});

describe('report and CSV links', () => {
  const range = { fromDate: '2026-05-01', toDate: '2026-05-07' };

  it('name the report, the range, the zone and the flow', () => {
    const url = new URL(reportUrl('messaging', range, 'UTC', { flowId: 'order-follow-up' }), 'http://x');
    expect(url.pathname).toBe('/api/analytics/messaging');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: '2026-05-01T00:00:00.000Z',
      to: '2026-05-08T00:00:00.000Z',
      tz: 'UTC',
      flowId: 'order-follow-up',
    });
  });

  it('a CSV export is the same report with format=csv and the table, saved under a telling name', () => {
    const url = new URL(reportUrl('routing', range, 'Europe/Madrid', { csvTable: 'agents' }), 'http://x');
    expect(url.pathname).toBe('/api/analytics/routing');
    expect(url.searchParams.get('format')).toBe('csv');
    expect(url.searchParams.get('table')).toBe('agents');
    expect(url.searchParams.get('tz')).toBe('Europe/Madrid');
    expect(url.searchParams.get('from')).toBe('2026-04-30T22:00:00.000Z');
    expect(url.searchParams.has('flowId')).toBe(false);
    expect(csvFileName('routing', 'agents', range)).toBe('routing-agents-2026-05-01-2026-05-07.csv');
  });

  it('JSON reports carry no format', () => {
    const url = new URL(reportUrl('consent', range, 'UTC'), 'http://x');
    expect(url.searchParams.has('format')).toBe(false);
    expect(url.searchParams.has('table')).toBe(false);
  });
});

describe('figures', () => {
  it('rates as percentages and durations in a readable unit; a dash when nothing was counted', () => {
    expect(percent(0.5, 'en')).toBe('50%');
    expect(percent(null, 'en')).toBe('—');
    expect(shortDuration(42_000)).toBe('42 s');
    expect(shortDuration(12 * 60_000)).toBe('12 min');
    expect(shortDuration(3.5 * 3_600_000)).toBe('3.5 h');
    expect(shortDuration(null)).toBe('—');
  });
});
