import { isRecord } from './json-schema';

/**
 * Business hours as a weekday grid (per day: open or not, and one or more from–to intervals) and back
 * to the node's `schedule` (intervals that share their hours share one entry with several days).
 */
export const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof WEEK)[number];

export interface Hours {
  from: string;
  to: string;
}

export type WeekGrid = Record<Day, Hours[]>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function emptyGrid(): WeekGrid {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

/**
 * The grid of a `schedule` param, or null when the value is something the grid cannot show without
 * losing it (bad times, unknown days): the form then shows the plain list instead.
 */
export function weekGrid(schedule: unknown): WeekGrid | null {
  const grid = emptyGrid();
  if (schedule === undefined) return grid;
  if (!Array.isArray(schedule)) return null;
  for (const item of schedule) {
    if (!isRecord(item) || !Array.isArray(item.days)) return null;
    const { from, to } = item;
    if (typeof from !== 'string' || typeof to !== 'string') return null;
    if (!TIME.test(from) || !(TIME.test(to) || to === '24:00')) return null;
    for (const day of item.days) {
      if (!(WEEK as readonly unknown[]).includes(day)) return null;
      const hours = grid[day as Day];
      if (!hours.some((h) => h.from === from && h.to === to)) hours.push({ from, to });
    }
  }
  for (const day of WEEK) grid[day].sort(byStart);
  return grid;
}

/** The `schedule` param of a grid: one entry per distinct interval, with the days that have it. */
export function scheduleOf(grid: WeekGrid): Array<{ days: Day[]; from: string; to: string }> {
  const byHours = new Map<string, { days: Day[]; from: string; to: string }>();
  const all = WEEK.flatMap((day) => grid[day].map((h) => ({ day, ...h }))).sort(byStart);
  for (const { day, from, to } of all) {
    const key = `${from}-${to}`;
    const entry = byHours.get(key) ?? { days: [], from, to };
    if (!entry.days.includes(day)) entry.days.push(day);
    byHours.set(key, entry);
  }
  for (const entry of byHours.values()) entry.days.sort((a, b) => WEEK.indexOf(a) - WEEK.indexOf(b));
  // Read as a week: entries starting on Monday first, then by opening time.
  const firstDay = (e: { days: Day[] }) => WEEK.indexOf(e.days[0]!);
  return [...byHours.values()].sort((a, b) => firstDay(a) - firstDay(b) || byStart(a, b));
}

function byStart(a: Hours, b: Hours): number {
  return a.from.localeCompare(b.from) || a.to.localeCompare(b.to);
}

/** Why an interval cannot be used (an i18n key), or null. */
export function hoursProblem(hours: Hours, sameDay: readonly Hours[]): string | null {
  if (toMinutes(hours.to) <= toMinutes(hours.from)) return 'hours.closesBeforeOpen';
  const overlaps = sameDay.some(
    (o) => o !== hours && toMinutes(o.from) < toMinutes(hours.to) && toMinutes(hours.from) < toMinutes(o.to),
  );
  return overlaps ? 'hours.overlap' : null;
}

export function toMinutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Ready-made weeks for the picker. */
export const HOURS_PRESETS: Record<string, WeekGrid> = {
  officeHours: weekOf(['mon', 'tue', 'wed', 'thu', 'fri'], [{ from: '09:00', to: '18:00' }]),
  splitShift: weekOf(
    ['mon', 'tue', 'wed', 'thu', 'fri'],
    [
      { from: '09:00', to: '14:00' },
      { from: '16:00', to: '19:00' },
    ],
  ),
  shop: weekOf(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], [{ from: '10:00', to: '20:00' }]),
  always: weekOf([...WEEK], [{ from: '00:00', to: '24:00' }]),
};

function weekOf(days: Day[], hours: Hours[]): WeekGrid {
  const grid = emptyGrid();
  for (const day of days) grid[day] = hours.map((h) => ({ ...h }));
  return grid;
}

/** A day's hours copied onto other days (e.g. Monday onto every open weekday). */
export function copyDay(grid: WeekGrid, from: Day, to: readonly Day[]): WeekGrid {
  const next = { ...grid };
  for (const day of to) if (day !== from) next[day] = grid[from].map((h) => ({ ...h }));
  return next;
}
