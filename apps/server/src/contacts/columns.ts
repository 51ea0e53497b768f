import type { Consent, ConsentRecord, Contact } from '@switchboard/db';
import { guardCell } from './formula-guard.js';

// The contacts CSV's columns (docs/contacts.md), shared by export and import so that an exported file
// imports back into the same contacts.

export const CATEGORIES = ['all', 'marketing', 'utility'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The consent columns of one category: opted_in / opted_out / empty, its source and time. */
export const consentColumns = (c: Category) => [`${c}_consent`, `${c}_source`, `${c}_at`] as const;

export const COLUMNS = [
  'phone',
  'name',
  'country',
  'channel',
  'tags',
  // One JSON column, not one per key: values keep their types (numbers, booleans, lists), a key needs no
  // escaping into a header, and the file can be written while streaming without knowing every key first.
  'attributes',
  'timezone',
  ...CATEGORIES.flatMap(consentColumns),
  // Exported for reading; an import ignores it (a 24-hour window opens only with a real message).
  'last_interaction_at',
] as const;

/** Tags are one cell, separated by semicolons. */
export const TAG_SEPARATOR = ';';

// `+` and digits only: as a formula it could only be that number (no function, no cell reference), and
// CRMs and scripts reading the export want plain E.164, so the phone column is left as it is.
const E164 = /^\+\d{1,15}$/;
const PHONE_INDEX = COLUMNS.indexOf('phone');

/**
 * A contact as one CSV row, in COLUMNS order, every cell a spreadsheet would run as a formula guarded
 * (formula-guard.ts) except a phone number that is E.164.
 */
export function contactRow(c: Contact): string[] {
  return rawRow(c).map((cell, i) => (i === PHONE_INDEX && E164.test(cell) ? cell : guardCell(cell)));
}

function rawRow(c: Contact): string[] {
  const consent = (category: Category) => {
    const r: ConsentRecord | undefined = (c.consent as Consent)[category];
    return r ? [r.optedIn ? 'opted_in' : 'opted_out', r.source, r.at] : ['', '', ''];
  };
  return [
    c.phone ?? `+${c.waId}`,
    c.name ?? '',
    c.country ?? '',
    c.channel,
    c.tags.join(TAG_SEPARATOR),
    Object.keys(c.attributes).length > 0 ? JSON.stringify(c.attributes) : '',
    c.timezone ?? '',
    ...CATEGORIES.flatMap(consent),
    c.lastInboundAt ?? '',
  ];
}
