import { describe, expect, it } from 'vitest';
import { isTimeZone, zonedTimeToIso } from './clock';

describe('zonedTimeToIso', () => {
  it('reads a wall time in the given zone, summer and winter', () => {
    expect(zonedTimeToIso('2026-07-06T09:30', 'Europe/Madrid')).toBe('2026-07-06T07:30:00.000Z');
    expect(zonedTimeToIso('2026-01-05T09:30', 'Europe/Madrid')).toBe('2026-01-05T08:30:00.000Z');
    expect(zonedTimeToIso('2026-01-05T09:30', 'America/Mexico_City')).toBe('2026-01-05T15:30:00.000Z');
    expect(zonedTimeToIso('2026-01-05T23:15', 'UTC')).toBe('2026-01-05T23:15:00.000Z');
  });

  it('refuses a bad time or zone', () => {
    expect(zonedTimeToIso('tomorrow', 'UTC')).toBeNull();
    expect(zonedTimeToIso('2026-01-05T09:30', 'Mars/Olympus')).toBeNull();
    expect(isTimeZone('')).toBe(false);
  });
});
