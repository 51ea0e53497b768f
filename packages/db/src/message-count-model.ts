import { type DayBucket, dayIndexer, type StatusCountRow } from './analytics-model.js';

// How the messaging report reads the pre-aggregated message counts (schema-message-counts.ts), shared by
// both databases. A range is cut into a body of whole grains (15-minute slots, or UTC days), read from
// the counts and the changes not yet folded, and at most two edges, read from the messages themselves.

export const SLOT_MS = 15 * 60_000;
export const DAY_MS = 86_400_000;
/** Changes folded into the counts per transaction, so a backlog never holds the database for long. */
export const FOLD_BATCH = 10_000;

export interface Span {
  from: string;
  to: string;
}

/** `[from, to)` as whole grains (`body`, null when none fits) and the parts outside them (`edges`). */
export function splitRange(from: string, to: string, grainMs: number): { body: Span | null; edges: Span[] } {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const a = Math.ceil(start / grainMs) * grainMs;
  const b = Math.floor(end / grainMs) * grainMs;
  if (a >= b) return { body: null, edges: [{ from, to }] };
  const iso = (ms: number) => new Date(ms).toISOString();
  const edges: Span[] = [];
  if (start < a) edges.push({ from, to: iso(a) });
  if (b < end) edges.push({ from: iso(b), to });
  return { body: { from: iso(a), to: iso(b) }, edges };
}

/** A count at a time: a slot's start for counted rows, the message's own time for edge rows. */
export interface TimedCount {
  t: string | number | Date;
  status: string;
  n: number | string;
}

/**
 * Timed counts as per-local-day rows. Exact because a slot never spans two local days: every time
 * zone's offset is a whole number of quarter hours, so local midnights are slot boundaries.
 */
export function countsByDay(buckets: DayBucket[], rows: TimedCount[]): StatusCountRow[] {
  const dayOf = dayIndexer(buckets);
  // Slots repeat once per status: parse each time once.
  const parsed = new Map<string, number>();
  const msOf = (t: TimedCount['t']) => {
    if (t instanceof Date) return t.getTime();
    if (typeof t === 'number') return t;
    let ms = parsed.get(t);
    if (ms === undefined) {
      ms = Date.parse(t);
      parsed.set(t, ms);
    }
    return ms;
  };
  const sums = new Map<string, StatusCountRow & { n: number }>();
  for (const row of rows) {
    const index = dayOf(msOf(row.t));
    if (index < 0) continue;
    const day = buckets[index]!.day;
    const k = `${day}|${row.status}`;
    const sum = sums.get(k) ?? { key: day, status: row.status, n: 0 };
    sum.n += Number(row.n);
    sums.set(k, sum);
  }
  return [...sums.values()].filter((s) => s.n !== 0);
}

/** Rows keyed '' in the counts (no flow, no template name) as the message queries key them: null. */
export function nullKeys<T extends { key: string | null }>(rows: T[]): T[] {
  return rows.map((r) => (r.key === '' ? { ...r, key: null } : r));
}

/** How many messages of per-day rows were read (or played): the time-to-read sample's population. */
export function readCount(rows: StatusCountRow[]): number {
  let reads = 0;
  for (const r of rows) if (r.status === 'read' || r.status === 'played') reads += Number(r.n);
  return reads;
}
