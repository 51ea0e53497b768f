import type { Consent, ConsentRecord } from '@switchboard/db';
import { isValidTimeZone } from '@switchboard/flow-schema';
import { countryOf } from '@switchboard/whatsapp';
import { CATEGORIES, COLUMNS, consentColumns, TAG_SEPARATOR } from './columns.js';
import { parseCsv } from './csv.js';
import { unguardCell } from './formula-guard.js';

/** What an import writes for one row; an absent field leaves the contact's value as it is. */
export interface ImportRow {
  /** The file's line the row starts on (the header is line 1). */
  line: number;
  waId: string;
  channel: string;
  phone: string;
  country: string | null;
  name?: string;
  tags?: string[];
  attributes?: Record<string, unknown>;
  timezone?: string;
  consent: Consent;
}

/** A problem of one row and column (`row` is the file's line; 1 is the header). */
export interface RowProblem {
  row: number;
  column: string;
  path: string;
  message: string;
}

export const MAX_IMPORT_ROWS = 100_000;
const MAX_TAGS = 100;
const PHONE = /^\+?[1-9]\d{6,14}$/;
const CHANNEL = /^[A-Za-z0-9_-]{1,100}$/;
// Consent times must be real instants with a zone, as the webhook's and the API's are.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Every row of a contacts CSV checked, with every problem by row and column. Rows are returned only
 * when there is no problem at all: an import writes all of them or none.
 */
export function readImport(
  text: string,
  options: { now: Date; simulatorChannel: string },
): { rows: ImportRow[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const problem = (row: number, column: string, message: string) =>
    problems.push({ row, column, path: `$.rows[${row}].${column}`, message });
  const parsed = parseCsv(text);
  if (parsed.error) problem(1, '*', parsed.error);
  const [header, ...records] = parsed.records;
  if (!header) {
    problem(1, '*', 'the file is empty: it needs a header row (phone, name, …) and one row per contact');
    return { rows: [], problems };
  }
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const known = new Set<string>(COLUMNS);
  names.forEach((n, i) => {
    if (!known.has(n))
      problem(1, n || `column ${i + 1}`, `unknown column "${n}"; the columns are ${COLUMNS.join(', ')}`);
    else if (names.indexOf(n) !== i) problem(1, n, `the column "${n}" appears twice`);
  });
  if (!names.includes('phone')) problem(1, 'phone', 'the phone column is required');
  if (records.length > MAX_IMPORT_ROWS)
    problem(1, '*', `${records.length} rows: an import takes ${MAX_IMPORT_ROWS} at most, split the file`);
  if (problems.length > 0) return { rows: [], problems };

  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  const maxConsentAt = options.now.getTime() + 5 * 60_000;
  for (const { line, fields } of records) {
    const before = problems.length;
    if (fields.length !== names.length) {
      problem(line, '*', `${fields.length} fields where the header has ${names.length}`);
      continue;
    }
    // The export's formula guard (a leading `'`) comes off before anything reads the cell.
    const cell = (column: string) => {
      const i = names.indexOf(column);
      return i < 0 ? '' : unguardCell(fields[i]!.trim()).trim();
    };
    const phoneCell = cell('phone').replace(/[\s().-]/g, '');
    let waId = '';
    if (!PHONE.test(phoneCell))
      problem(
        line,
        'phone',
        `"${cell('phone')}" is not a phone number in E.164 (+34600111222) or WhatsApp id digits`,
      );
    else waId = phoneCell.replace(/^\+/, '');
    const channel = cell('channel') || 'default';
    if (!CHANNEL.test(channel)) problem(line, 'channel', `"${channel}" is not a channel id`);
    else if (channel === options.simulatorChannel)
      problem(line, 'channel', 'the simulator’s test contacts cannot be imported');
    const derived = waId ? countryOf(waId) : null;
    const countryCell = cell('country').toUpperCase();
    if (countryCell && !/^[A-Z]{2}$/.test(countryCell))
      problem(line, 'country', `"${cell('country')}" is not an ISO 3166 country code (two letters, e.g. ES)`);
    else if (countryCell && derived && countryCell !== derived)
      problem(line, 'country', `the number +${waId} is from ${derived}, not ${countryCell}`);
    const name = cell('name');
    if (name.length > 200) problem(line, 'name', 'a name has 200 characters at most');
    const tagCell = cell('tags');
    const tags = tagCell
      ? [
          ...new Set(
            tagCell
              .split(TAG_SEPARATOR)
              .map((t) => t.trim())
              .filter(Boolean),
          ),
        ]
      : undefined;
    if (tags && tags.length > MAX_TAGS) problem(line, 'tags', `${tags.length} tags: ${MAX_TAGS} at most`);
    for (const t of tags ?? [])
      if (t.length > 60) problem(line, 'tags', `the tag "${t.slice(0, 20)}…" is longer than 60 characters`);
    let attributes: Record<string, unknown> | undefined;
    const attributeCell = cell('attributes');
    if (attributeCell) {
      try {
        const value: unknown = JSON.parse(attributeCell);
        if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
        attributes = value as Record<string, unknown>;
      } catch {
        problem(line, 'attributes', 'attributes must be a JSON object, e.g. {"plan":"gold","age":40}');
      }
    }
    const timezone = cell('timezone');
    if (timezone && !isValidTimeZone(timezone))
      problem(line, 'timezone', `"${timezone}" is not an IANA time zone`);
    const consent: Consent = {};
    for (const category of CATEGORIES) {
      const [valueColumn, sourceColumn, atColumn] = consentColumns(category);
      const value = cell(valueColumn).toLowerCase();
      const source = cell(sourceColumn);
      const at = cell(atColumn);
      if (!value) {
        if (source || at)
          problem(
            line,
            valueColumn,
            `${sourceColumn} or ${atColumn} without ${valueColumn} (opted_in or opted_out)`,
          );
        continue;
      }
      if (value !== 'opted_in' && value !== 'opted_out') {
        problem(line, valueColumn, `"${value}" is neither opted_in nor opted_out`);
        continue;
      }
      const optedIn = value === 'opted_in';
      // WhatsApp requires proof of consent: an opt-in says where and when it was given.
      if (optedIn && !source)
        problem(line, sourceColumn, 'an opt-in needs its source (where the contact agreed)');
      if (optedIn && !at) problem(line, atColumn, 'an opt-in needs its time (when the contact agreed)');
      if (at && !(ISO.test(at) && Number.isFinite(Date.parse(at))))
        problem(line, atColumn, `"${at}" is not an ISO-8601 time with its zone (2026-03-01T10:00:00Z)`);
      else if (at && Date.parse(at) > maxConsentAt) problem(line, atColumn, `${at} is in the future`);
      if (source.length > 200) problem(line, sourceColumn, 'a source has 200 characters at most');
      // An opt-out without a time is recorded as of now: it then wins over every earlier opt-in.
      const record: ConsentRecord = {
        optedIn,
        source: source || 'import',
        at: at && ISO.test(at) ? new Date(at).toISOString() : options.now.toISOString(),
      };
      consent[category] = record;
    }
    if (waId && CHANNEL.test(channel)) {
      const key = `${channel}/${waId}`;
      const first = seen.get(key);
      if (first !== undefined) problem(line, 'phone', `+${waId} is already on row ${first}`);
      else seen.set(key, line);
    }
    if (problems.length > before) continue;
    rows.push({
      line,
      waId,
      channel,
      phone: `+${waId}`,
      country: derived ?? (countryCell || null),
      ...(name ? { name } : {}),
      ...(tags ? { tags } : {}),
      ...(attributes ? { attributes } : {}),
      ...(timezone ? { timezone } : {}),
      consent,
    });
  }
  return { rows: problems.length > 0 ? [] : rows, problems };
}
