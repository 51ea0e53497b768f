import { pad, zonedParts } from './zoned-time';

/**
 * Cron for the schedule picker: presets that write the expression, reading an expression back into a
 * preset, a description, and the next times it fires (for the preview). The server's `croner` stays the
 * judge of what is valid; this reads the common forms and says "custom" for the rest (L, W, #).
 */
export type CronPreset =
  | { kind: 'everyMinutes'; every: number }
  | { kind: 'hourly'; minute: number }
  | { kind: 'daily'; time: string }
  | { kind: 'weekdays'; time: string }
  | { kind: 'weekly'; days: number[]; time: string }
  | { kind: 'monthly'; day: number; time: string }
  | { kind: 'custom' };

export type PresetKind = CronPreset['kind'];

const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const RANGES = [
  { min: 0, max: 59, names: [] as string[] },
  { min: 0, max: 23, names: [] as string[] },
  { min: 1, max: 31, names: [] as string[] },
  {
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

export interface ParsedCron {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  /** 0 = Sunday (7 is folded into 0). */
  daysOfWeek: Set<number>;
  /** Classic cron: when both day fields are restricted, either one matching is enough. */
  dayOr: boolean;
  /** The five fields, seconds dropped and nicknames expanded. */
  fields: string[];
}

export type CronReading =
  | { ok: true; cron: ParsedCron }
  /** `error`: the expression is wrong; `unsupported`: fine for the server, beyond this reader. */
  | { ok: false; kind: 'error' | 'unsupported'; field?: number; message: string };

export function parseCron(expression: string): CronReading {
  const text = expression.trim();
  if (!text) return { ok: false, kind: 'error', message: 'empty' };
  const nick = NICKNAMES[text.toLowerCase()];
  if (text.startsWith('@') && !nick) return { ok: false, kind: 'error', message: 'nickname' };
  let fields = (nick ?? text).split(/\s+/);
  if (fields.length === 6) fields = fields.slice(1);
  if (fields.length !== 5) return { ok: false, kind: 'error', message: 'fieldCount' };
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const read = parseField(fields[i]!, RANGES[i]!);
    if (typeof read === 'string') {
      return read === 'unsupported'
        ? { ok: false, kind: 'unsupported', field: i, message: read }
        : { ok: false, kind: 'error', field: i, message: read };
    }
    sets.push(read);
  }
  const [minutes, hours, daysOfMonth, months, dow] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  const daysOfWeek = new Set([...dow].map((d) => d % 7));
  const restricted = (f: string) => f !== '*' && f !== '?';
  return {
    ok: true,
    cron: {
      minutes,
      hours,
      daysOfMonth,
      months,
      daysOfWeek,
      dayOr: restricted(fields[2]!) && restricted(fields[4]!),
      fields,
    },
  };
}

/** The values a field allows, or why it cannot be read ('range', 'syntax', 'unsupported'). */
function parseField(field: string, range: (typeof RANGES)[number]): Set<number> | string {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    if (/[LW#]/i.test(part)) return 'unsupported';
    const m = /^(\*|\?|[A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return 'syntax';
    const step = m[3] ? Number(m[3]) : 1;
    if (step < 1) return 'syntax';
    let from: number;
    let to: number;
    if (m[1] === '*' || m[1] === '?') {
      from = range.min;
      to = range.max === 7 ? 6 : range.max;
    } else {
      const a = tokenValue(m[1]!, range);
      if (a === null) return 'syntax';
      from = a;
      to = m[2] ? (tokenValue(m[2], range) ?? Number.NaN) : m[3] ? (range.max === 7 ? 6 : range.max) : a;
      if (Number.isNaN(to)) return 'syntax';
    }
    if (from < range.min || to > range.max || from > to) return 'range';
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function tokenValue(token: string, range: (typeof RANGES)[number]): number | null {
  if (/^\d+$/.test(token)) return Number(token);
  const i = (range.names as readonly string[]).indexOf(token.toUpperCase());
  if (i < 0) return null;
  return range.names.length === 12 ? i + 1 : i;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The expression a preset writes. */
export function cronOf(preset: CronPreset, fallback = '0 9 * * *'): string {
  const [h, m] = timeParts('time' in preset ? preset.time : '09:00');
  switch (preset.kind) {
    case 'everyMinutes':
      return `*/${Math.min(59, Math.max(1, Math.round(preset.every)))} * * * *`;
    case 'hourly':
      return `${Math.min(59, Math.max(0, Math.round(preset.minute)))} * * * *`;
    case 'daily':
      return `${m} ${h} * * *`;
    case 'weekdays':
      return `${m} ${h} * * 1-5`;
    case 'weekly': {
      const days = [...new Set(preset.days)].sort((a, b) => a - b);
      return `${m} ${h} * * ${days.length ? days.join(',') : '1'}`;
    }
    case 'monthly':
      return `${m} ${h} ${Math.min(31, Math.max(1, Math.round(preset.day)))} * *`;
    default:
      return fallback;
  }
}

function timeParts(time: string): [number, number] {
  const m = TIME.exec(time);
  return m ? [Number(m[1]), Number(m[2])] : [9, 0];
}

/** The preset an expression is, so the picker opens on it; `custom` for anything else. */
export function presetOf(expression: string): CronPreset {
  const read = parseCron(expression);
  if (!read.ok) return { kind: 'custom' };
  const [min, hour, dom, mon, dow] = read.cron.fields as [string, string, string, string, string];
  if (mon !== '*' && mon !== '?') return { kind: 'custom' };
  const every = /^\*\/(\d+)$/.exec(min);
  if (every && hour === '*' && dom === '*' && (dow === '*' || dow === '?')) {
    return { kind: 'everyMinutes', every: Number(every[1]) };
  }
  if (!/^\d+$/.test(min)) return { kind: 'custom' };
  if (hour === '*' && dom === '*' && (dow === '*' || dow === '?'))
    return { kind: 'hourly', minute: Number(min) };
  if (!/^\d+$/.test(hour)) return { kind: 'custom' };
  const time = `${pad(Number(hour))}:${pad(Number(min))}`;
  const anyDay = (f: string) => f === '*' || f === '?';
  if (anyDay(dom) && anyDay(dow)) return { kind: 'daily', time };
  if (anyDay(dom) && (dow === '1-5' || dow === 'MON-FRI')) return { kind: 'weekdays', time };
  if (anyDay(dom)) return { kind: 'weekly', days: [...read.cron.daysOfWeek].sort((a, b) => a - b), time };
  if (/^\d+$/.test(dom) && anyDay(dow)) return { kind: 'monthly', day: Number(dom), time };
  return { kind: 'custom' };
}

/** A description to translate: an i18n key, its values, and weekdays (0 = Sunday) to name. */
export interface CronDescription {
  key: string;
  vars: Record<string, string | number>;
  days?: number[];
}

export function describeCron(expression: string): CronDescription | null {
  const read = parseCron(expression);
  if (!read.ok) return null;
  const preset = presetOf(expression);
  switch (preset.kind) {
    case 'everyMinutes':
      return preset.every === 1
        ? { key: 'cron.desc.everyMinute', vars: {} }
        : { key: 'cron.desc.everyMinutes', vars: { n: preset.every } };
    case 'hourly':
      return { key: 'cron.desc.hourly', vars: { minute: pad(preset.minute) } };
    case 'daily':
      return { key: 'cron.desc.daily', vars: { time: preset.time } };
    case 'weekdays':
      return { key: 'cron.desc.weekdays', vars: { time: preset.time } };
    case 'weekly':
      return { key: 'cron.desc.weekly', vars: { time: preset.time }, days: preset.days };
    case 'monthly':
      return { key: 'cron.desc.monthly', vars: { day: preset.day, time: preset.time } };
    default:
      return { key: 'cron.desc.custom', vars: {} };
  }
}

/**
 * The next `count` times (epoch ms) after `from` the expression fires in `timeZone`. Walks wall-clock
 * time, skipping a whole day or hour at a time when it cannot match, so a yearly job costs a few
 * hundred steps; stops after about two years.
 */
export function nextRuns(cron: ParsedCron, timeZone: string, from: number, count: number): number[] {
  const out: number[] = [];
  let t = Math.floor(from / 60_000) * 60_000 + 60_000;
  for (let steps = 0; out.length < count && steps < 50_000; steps++) {
    const p = zonedParts(t, timeZone);
    if (!cron.months.has(p.month) || !dayMatches(cron, p.day, p.weekday)) {
      t += ((23 - p.hour) * 60 + (60 - p.minute)) * 60_000;
    } else if (!cron.hours.has(p.hour)) {
      t += (60 - p.minute) * 60_000;
    } else if (!cron.minutes.has(p.minute)) {
      t += 60_000;
    } else {
      out.push(t);
      t += 60_000;
    }
  }
  return out;
}

function dayMatches(cron: ParsedCron, day: number, weekday: number): boolean {
  const dom = cron.daysOfMonth.has(day);
  const dow = cron.daysOfWeek.has(weekday);
  return cron.dayOr ? dom || dow : dom && dow;
}
