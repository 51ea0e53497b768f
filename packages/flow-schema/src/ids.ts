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

/** True when the runtime knows this IANA time zone (e.g. "Europe/Madrid"). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z.string().refine(isValidTimeZone, {
  message: 'is not a known IANA time zone (e.g. "Europe/Madrid", "America/Mexico_City", "UTC")',
});
