// The filter of a saved segment, as stored and as both dialects' `resolve` read it. The server checks it
// with a zod schema (apps/server/src/contacts/segment-filter.ts); this is the shape it produces.

export type ConsentCategory = 'all' | 'marketing' | 'utility';

export type AttributeCondition =
  | { key: string; op: 'equals' | 'not_equals'; value: string | number | boolean }
  | { key: string; op: 'exists' | 'not_exists' }
  | { key: string; op: 'gt' | 'gte' | 'lt' | 'lte'; value: number };

export interface SegmentFilter {
  /** all: every one of these tags; any: at least one; none: none of them. */
  tags?: { all?: string[]; any?: string[]; none?: string[] };
  /** Every condition holds. Number comparisons match JSON numbers only. */
  attributes?: AttributeCondition[];
  /** ISO 3166 alpha-2 codes; `notIn` keeps contacts whose country is unknown. */
  country?: { in?: string[]; notIn?: string[] };
  /**
   * Contacts a template of this category may be sent to now, as the send policy decides: opted in
   * (to it or to all) and opted out of neither.
   */
  optedIn?: ConsentCategory;
  /**
   * Last inbound message within N days, or older than N days (contacts that never wrote count as
   * older).
   */
  lastInteraction?: { withinDays?: number; olderThanDays?: number };
  /** One channel's contacts only. */
  channel?: string;
}

/** The instant N days before `now` (ISO), which `lastInteraction` compares with. */
export function daysBefore(now: string, days: number): string {
  return new Date(new Date(now).getTime() - days * 86_400_000).toISOString();
}

/** `$."key"` for JSON path functions; keys are limited (zod) to letters, digits, `_` and `-`. */
export function attributePath(key: string): string {
  return `$."${key}"`;
}
