import { describe, expect, it } from 'vitest';
import { localPartOf, offsetMinutes, zonedIso } from './zoned-time';

describe('zoned time', () => {
  it('writes a wall-clock time in a zone as ISO with its offset, across DST', () => {
    expect(zonedIso('2026-05-04T09:00', 'Europe/Madrid')).toBe('2026-05-04T09:00:00+02:00');
    expect(zonedIso('2026-01-15T09:00', 'Europe/Madrid')).toBe('2026-01-15T09:00:00+01:00');
    expect(zonedIso('2026-01-15T09:00', 'America/Mexico_City')).toBe('2026-01-15T09:00:00-06:00');
    expect(zonedIso('2026-01-15T09:00', 'Asia/Kolkata')).toBe('2026-01-15T09:00:00+05:30');
    expect(zonedIso('nope', 'UTC')).toBeNull();
  });

  it('reads the wall-clock part back and knows offsets', () => {
    expect(localPartOf('2026-05-04T09:00:00+02:00')).toBe('2026-05-04T09:00');
    expect(localPartOf('2026-05-04T09:00:00.5Z')).toBe('2026-05-04T09:00');
    expect(localPartOf('{{ vars.date }}')).toBeNull();
    expect(offsetMinutes(Date.UTC(2026, 6, 1), 'Europe/Madrid')).toBe(120);
  });
});
