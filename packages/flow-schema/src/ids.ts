import { z } from 'zod';

/** Identifier used for flows, nodes and edges: stable across edits, safe in URLs and JSON paths. */
export const Identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/,
    'use letters, digits and _ . : - (starting with a letter or digit)',
  );

/** Port names are also React Flow handle ids, so they follow the identifier rules. */
export const PortName = z
  .string()
  .min(1, 'must not be empty')
  .max(60, 'must be at most 60 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, _ and -');

const zoneChecks = new Map<string, boolean>();

/** True when the runtime knows this IANA time zone (e.g. "Europe/Madrid"). */
export function isValidTimeZone(zone: string): boolean {
  let known = zoneChecks.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    // Building a DateTimeFormat costs ~0.1 ms; a flow names few zones, checked on every validation.
    if (zoneChecks.size >= 1_000) zoneChecks.clear();
    zoneChecks.set(zone, known);
  }
  return known;
}

export const TimeZone = z.string().refine(isValidTimeZone, {
  message: 'is not a known IANA time zone (e.g. "Europe/Madrid", "America/Mexico_City", "UTC")',
});
