// What the analytics endpoints add to the database's reports: Meta's meaning of each error code, and the
// CSV export of one table of a report.

import { guardCell } from '../contacts/formula-guard.js';

/**
 * Meta's error codes as the Cloud API documents them ("Error codes", WhatsApp Cloud API), and our own
 * codes for a send that never reached Meta. Codes not listed are shown without a meaning.
 */
const MEANINGS: Record<string, string> = {
  '0': 'Authentication failed (code 0), or no answer from Meta (network error or timeout)',
  '4': 'Too many API calls for the app (rate limit)',
  '10': 'Permission denied: the app lacks a permission or the number is not allowed',
  '100': 'Invalid parameter in the request',
  '190': 'Access token expired or invalid',
  '368': 'Temporarily blocked for policy violations',
  '80007': 'Rate limit of the WhatsApp Business Account reached',
  '130429': 'Throughput limit reached (too many messages per second)',
  '130472': "The customer's number is part of a Meta experiment and did not get the message",
  '130497': 'The business may not message customers in this country',
  '131000': 'Something went wrong at Meta',
  '131005': 'Access denied',
  '131008': 'A required parameter is missing',
  '131009': 'A parameter value is not valid',
  '131016': 'Service temporarily unavailable',
  '131021': 'The recipient is the sending number itself',
  '131026': 'Message undeliverable: not a WhatsApp user, an old app, or terms not accepted',
  '131031': 'The business account is locked',
  '131037': 'The number needs an approved display name',
  '131042': 'Payment problem on the business account',
  '131045': 'The number is not registered (certificate error)',
  '131047': 'More than 24 hours since the customer last wrote: only a template may be sent',
  '131048': 'Spam rate limit: too many messages were blocked or reported',
  '131049': 'Meta did not deliver it to keep engagement healthy (per-user marketing limit)',
  '131050': 'The customer stopped marketing messages from this business',
  '131051': 'Unsupported message type',
  '131052': 'Could not download the media the customer sent',
  '131053': 'Could not upload the media to send',
  '131056': 'Too many messages to the same customer in a short time (pair rate limit)',
  '131057': 'The business account is in maintenance',
  '132000': "The template's parameter count does not match its definition",
  '132001': 'The template does not exist in that language, or is not approved',
  '132005': "The template's text with its parameters is too long",
  '132007': "The template's content breaks WhatsApp's formatting policy",
  '132012': "A template parameter's format does not match",
  '132015': 'The template is paused for low quality',
  '132016': 'The template is disabled for low quality',
  '133010': 'The business number is not registered on the Cloud API',
  no_channel: 'The business number the message was for no longer exists',
  unknown: 'The failure carried no code',
};

export const errorMeaning = (code: string): string | null => MEANINGS[code] ?? null;

type Cell = string | number | boolean | null;

/** A spreadsheet must not run a cell as a formula: text starting like one gets a leading quote. */
function cell(value: Cell): string {
  if (value === null) return '';
  const text = typeof value === 'string' ? guardCell(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV: a header row with `columns`, then one line per row. */
export function toCsv<R extends Record<string, Cell>>(
  columns: ReadonlyArray<keyof R & string>,
  rows: R[],
): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
