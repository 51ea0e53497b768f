import { isRecord } from './json-schema';

/**
 * WhatsApp's limits as the user types: counts against a schema's maxLength / maxItems, the state the
 * counter shows, and rules that span items (unique button titles, 10 list rows in total).
 */
export type LimitState = 'ok' | 'near' | 'over';

export interface Limit {
  count: number;
  max: number;
  state: LimitState;
  /** The text has `{{ }}` references: the sent text will be longer or shorter than counted. */
  approximate: boolean;
}

/** Share of the limit from which the counter warns. */
const NEAR = 0.9;

/** Characters as a person counts them: an emoji or an accented letter is one (code points). */
export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function limitState(count: number, max: number): LimitState {
  if (count > max) return 'over';
  return count >= Math.ceil(max * NEAR) ? 'near' : 'ok';
}

export function textLimit(text: string, max: number): Limit {
  const count = countChars(text);
  return { count, max, state: limitState(count, max), approximate: text.includes('{{') };
}

export function itemsLimit(items: unknown, max: number): Limit {
  const count = Array.isArray(items) ? items.length : 0;
  // Items are counted exactly, so only going over is worth a colour.
  return { count, max, state: count > max ? 'over' : 'ok', approximate: false };
}

/** Nested items over a whole list, e.g. rows across all the sections of a list message. */
export function totalItems(list: unknown, of: string): number {
  if (!Array.isArray(list)) return 0;
  return list.reduce<number>((sum, item) => {
    const nested = isRecord(item) ? item[of] : undefined;
    return sum + (Array.isArray(nested) ? nested.length : 0);
  }, 0);
}

/**
 * Indexes of items whose `field` repeats an earlier item's value (compared trimmed and, for titles, case-
 * insensitively as WhatsApp does). Empty values are left to "required".
 */
export function duplicateIndexes(list: unknown, field: string): number[] {
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  const out: number[] = [];
  list.forEach((item, i) => {
    const raw = isRecord(item) ? item[field] : undefined;
    if (typeof raw !== 'string' || raw.trim() === '') return;
    const key = field === 'title' ? raw.trim().toLowerCase() : raw.trim();
    if (seen.has(key)) out.push(i);
    else seen.add(key);
  });
  return out;
}
