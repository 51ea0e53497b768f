import { Cron } from 'croner';

/**
 * Cron expressions and their occurrences in a time zone, over `croner` (no dependencies, Vixie-cron DST
 * rules): a local time that a spring-forward skips fires at the first valid time after the gap; one that
 * occurs twice at fall-back fires once, on its first occurrence; interval patterns keep their pace
 * through the repeated hour. Day of month and day of week combine with OR, as in classic cron.
 */
export interface CronSpec {
  cron: string;
  /** IANA time zone the expression's wall-clock times are read in. */
  timezone: string;
}

const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

const NICKNAMES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

const cache = new Map<string, Cron>();

function cronOf({ cron, timezone }: CronSpec): Cron {
  const key = `${cron}\u0000${timezone}`;
  let job = cache.get(key);
  if (!job) {
    // `paused`: croner only evaluates here; it never arms a timer of its own (the server's loop fires).
    job = new Cron(cron, { paused: true, timezone, mode: '5-or-6-parts' });
    if (cache.size > 1_000) cache.clear();
    cache.set(key, job);
  }
  return job;
}

/**
 * Why `cron` is not a usable expression, or null when it is. Checks numeric ranges itself so the
 * message names the field in cron's own numbering (croner reports months and days zero-based).
 *
 * @example
 * cronProblem('61 * * * *'); // 'minute 61 out of range (0-59)'
 */
export function cronProblem(cron: string): string | null {
  const text = cron.trim();
  if (text.startsWith('@')) {
    if (!NICKNAMES.includes(text.toLowerCase()))
      return `unknown shortcut ${text} (use ${NICKNAMES.join(', ')})`;
  } else {
    const parts = text.split(/\s+/).filter(Boolean);
    if (parts.length !== 5 && parts.length !== 6) {
      return `expected 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; got ${parts.length}`;
    }
    const fields = parts.length === 6 ? FIELDS : FIELDS.slice(1);
    for (const [i, part] of parts.entries()) {
      const field = fields[i]!;
      for (const item of part.split(',')) {
        const range = item.split('/')[0] ?? '';
        for (const bound of range.split('-')) {
          if (!/^\d+$/.test(bound)) continue;
          const n = Number(bound);
          if (n < field.min || n > field.max)
            return `${field.name} ${n} out of range (${field.min}-${field.max})`;
        }
      }
    }
  }
  try {
    if (cronOf({ cron: text, timezone: 'UTC' }).nextRun(new Date('2000-01-01T00:00:00Z')) === null)
      return 'it never matches a date (e.g. 30 February)';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/^CronPattern:\s*/, '').replace(/^./, (c) => c.toLowerCase());
  }
  return null;
}

/** The first occurrence strictly after `after`, or null if there is none. */
export function nextOccurrence(spec: CronSpec, after: Date): Date | null {
  return cronOf(spec).nextRun(after);
}

/** The last occurrence at or before `at`, or null if there is none. */
export function latestOccurrence(spec: CronSpec, at: Date): Date | null {
  // croner's previousRuns looks strictly before the whole second it is given; occurrences fall on
  // whole seconds, so asking from the next second includes one at `at` itself.
  const nextSecond = new Date(Math.floor(at.getTime() / 1000) * 1000 + 1000);
  return cronOf(spec).previousRuns(1, nextSecond)[0] ?? null;
}
