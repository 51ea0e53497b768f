/**
 * The analytics page's date range and links, pure: local days in the chosen time zone become the ISO
 * instants `/api/analytics/*` takes (`from` inclusive, `to` exclusive), and the CSV export is the same
 * address with `format=csv`.
 */

export const REPORTS = ['messaging', 'flows', 'routing', 'consent'] as const;
export type Report = (typeof REPORTS)[number];

export const PRESETS = [7, 30, 90] as const;
export type Preset = (typeof PRESETS)[number] | 'custom';

/** The server refuses longer ranges (a year and a day). */
export const MAX_DAYS = 367;

/** Local dates, both included: `2026-05-01` to `2026-05-31`. */
export interface DateRange {
  fromDate: string;
  toDate: string;
}

const DAY_MS = 86_400_000;

function wallClock(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const p of format.formatToParts(new Date(ms)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** The local date (`YYYY-MM-DD`) in `timeZone` at instant `ms`. */
export function localDate(ms: number, timeZone: string): string {
  return new Date(wallClock(ms, timeZone)).toISOString().slice(0, 10);
}

/** `date` moved by `days` whole days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The first instant of local date `date` in `timeZone` (local midnight, or the first that exists). */
export function startOfLocalDay(date: string, timeZone: string): number {
  const midnight = Date.parse(`${date}T00:00:00.000Z`);
  let t = midnight - (wallClock(midnight, timeZone) - midnight);
  t = midnight - (wallClock(t, timeZone) - t);
  const quarter = 15 * 60_000;
  while (localDate(t, timeZone) < date) t += quarter;
  while (localDate(t - quarter, timeZone) === date) t -= quarter;
  return t;
}

/** The last `days` local days, today included. */
export function presetRange(days: number, now: number, timeZone: string): DateRange {
  const toDate = localDate(now, timeZone);
  return { fromDate: addDays(toDate, -(days - 1)), toDate };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with a range (an i18n key), or null. */
export function rangeProblem(
  range: DateRange,
): 'analytics.range.missing' | 'analytics.range.order' | 'analytics.range.tooLong' | null {
  if (!DATE.test(range.fromDate) || !DATE.test(range.toDate)) return 'analytics.range.missing';
  if (range.fromDate > range.toDate) return 'analytics.range.order';
  const days = (Date.parse(range.toDate) - Date.parse(range.fromDate)) / DAY_MS + 1;
  return days > MAX_DAYS ? 'analytics.range.tooLong' : null;
}

/** The range as the API takes it: from the first local day's start to the day after the last's. */
export function rangeInstants(range: DateRange, timeZone: string): { from: string; to: string } {
  return {
    from: new Date(startOfLocalDay(range.fromDate, timeZone)).toISOString(),
    to: new Date(startOfLocalDay(addDays(range.toDate, 1), timeZone)).toISOString(),
  };
}

/**
 * `/api/analytics/<report>?from&to&tz[&flowId]`; with `csvTable`, that table of the report as CSV
 * (`&format=csv&table=<name>`: days, flows, templates, failures… as the server names them).
 */
export function reportUrl(
  report: Report,
  range: DateRange,
  timeZone: string,
  options: { flowId?: string | null; csvTable?: string } = {},
): string {
  const { from, to } = rangeInstants(range, timeZone);
  const query = new URLSearchParams({ from, to, tz: timeZone });
  if (options.flowId) query.set('flowId', options.flowId);
  if (options.csvTable) {
    query.set('format', 'csv');
    query.set('table', options.csvTable);
  }
  return `/api/analytics/${report}?${query}`;
}

/** The file a CSV export is saved as: `messaging-failures-2026-05-01-2026-05-31.csv`. */
export function csvFileName(report: Report, table: string, range: DateRange): string {
  return `${report}-${table}-${range.fromDate}-${range.toDate}.csv`;
}

/** The browser's time zone (the default), or UTC when it does not say. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The zones to pick from: every IANA zone the browser knows, with `current` and UTC surely in it. */
export function timeZoneOptions(current: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const known = intl.supportedValuesOf?.('timeZone') ?? [];
  return [...new Set([current, 'UTC', ...known])].sort((a, b) => a.localeCompare(b));
}

/** A rate (0…1) as a percentage with one decimal, or a dash when nothing was counted. */
export function percent(rate: number | null | undefined, lang: string): string {
  if (rate === null || rate === undefined) return '—';
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** A duration in ms as "45 s", "12 min", "3.5 h"; a dash when unknown. */
export function shortDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}
