import { describe, expect, it } from 'vitest';
import { registry, runFlow } from '../../test/harness.js';

// Mon–Fri 09:00–14:00 and 16:00–19:00, Sat 10:00–13:00.
const schedule = [
  { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '14:00' },
  { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '16:00', to: '19:00' },
  { days: ['sat'], from: '10:00', to: '13:00' },
];

async function at(iso: string, params: object) {
  const run = await runFlow(
    [{ id: 'hours', type: 'condition.businessHours', params: { schedule, ...params } }],
    ['start->hours'],
    null,
    { at: iso },
  );
  return run.portsOf('hours')[0];
}

describe('condition.businessHours', () => {
  it('follows several intervals a day in the given time zone', async () => {
    // 2026-05-04 is a Monday. Madrid is UTC+2 in May.
    expect(await at('2026-05-04T07:30:00Z', { timezone: 'Europe/Madrid' })).toBe('open'); // 09:30 Madrid
    expect(await at('2026-05-04T12:30:00Z', { timezone: 'Europe/Madrid' })).toBe('closed'); // 14:30 lunch
    expect(await at('2026-05-04T16:59:00Z', { timezone: 'Europe/Madrid' })).toBe('open'); // 18:59
    expect(await at('2026-05-04T17:00:00Z', { timezone: 'Europe/Madrid' })).toBe('closed'); // 19:00
  });

  it('uses the time zone, not the server’s clock, for the same instant', async () => {
    // 15:30 UTC on a Monday: 17:30 in Madrid (open), 09:30 in Mexico City (open), 00:30 Tuesday in Tokyo (closed).
    expect(await at('2026-05-04T15:30:00Z', { timezone: 'Europe/Madrid' })).toBe('open');
    expect(await at('2026-05-04T15:30:00Z', { timezone: 'America/Mexico_City' })).toBe('open');
    expect(await at('2026-05-04T15:30:00Z', { timezone: 'Asia/Tokyo' })).toBe('closed');
  });

  it('is closed on holidays and outside the weekly days', async () => {
    expect(await at('2026-05-04T07:30:00Z', { timezone: 'Europe/Madrid', holidays: ['2026-05-04'] })).toBe(
      'closed',
    );
    expect(await at('2026-05-10T09:00:00Z', { timezone: 'Europe/Madrid' })).toBe('closed'); // Sunday
    expect(await at('2026-05-09T09:00:00Z', { timezone: 'Europe/Madrid' })).toBe('open'); // Saturday 11:00
  });

  it('refuses intervals that end before they start', () => {
    const r = registry
      .get('condition.businessHours')!
      .params.safeParse({ schedule: [{ days: ['mon'], from: '22:00', to: '02:00' }] });
    expect(r.error?.issues[0]?.path).toEqual(['schedule', 0, 'to']);
  });
});
