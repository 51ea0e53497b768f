/** The names an expression sees, in the order the compiled functions take them. */
export const SCOPE_NAMES = [
  'trigger',
  'input',
  'vars',
  'steps',
  'nodes',
  'run',
  'contact',
  'now',
  'tz',
] as const;

type Compiled = (...args: unknown[]) => unknown;

/**
 * Runs inside the isolate, once per context. Its source is copied in with `Function.prototype.toString`,
 * so it must not use anything from outside itself (nor be instrumented by a coverage tool). It installs the time helpers as read-only globals,
 * removes what expressions never need (shared memory, WebAssembly), freezes every built-in so one
 * expression cannot change what a later one (of another run) sees, and returns the entry points the host
 * calls. Results leave as JSON text; a number instead means "too large" (its length), so the oversized
 * text never crosses into the host.
 */
export function prelude(names: readonly string[], maxOutputChars: number) {
  let scope: Record<string, unknown> = { now: new Date(0).toISOString(), tz: 'UTC' };
  let args: unknown[] = [];
  const fns = new Map<number, Compiled>();
  const formatters = new Map<string, Intl.DateTimeFormat>();
  const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

  const formatter = (zone: string, locale: string, kind: string): Intl.DateTimeFormat => {
    const key = `${zone}|${locale}|${kind}`;
    let f = formatters.get(key);
    if (!f) {
      const base = { timeZone: zone };
      const options: Intl.DateTimeFormatOptions =
        kind === 'parts'
          ? {
              ...base,
              hourCycle: 'h23',
              year: 'numeric',
              month: '2-digit',
              day: '2-digit',
              hour: '2-digit',
              minute: '2-digit',
              second: '2-digit',
              weekday: 'short',
            }
          : kind === 'MMMM'
            ? { ...base, month: 'long' }
            : kind === 'MMM'
              ? { ...base, month: 'short' }
              : kind === 'dddd'
                ? { ...base, weekday: 'long' }
                : { ...base, weekday: 'short' };
      try {
        f = new Intl.DateTimeFormat(locale, options);
      } catch {
        throw new RangeError(`unknown time zone or locale: "${zone}", "${locale}"`);
      }
      formatters.set(key, f);
    }
    return f;
  };

  const toMs = (value: unknown): number => {
    if (value === undefined || value === null) return Date.parse(String(scope.now));
    const ms =
      value instanceof Date
        ? value.getTime()
        : typeof value === 'number'
          ? value
          : typeof value === 'string'
            ? Date.parse(value)
            : Number.NaN;
    if (!Number.isFinite(ms)) throw new RangeError(`not a date: ${JSON.stringify(value)}`);
    return ms;
  };
  const zoneOf = (zone: unknown) => (zone === undefined || zone === null ? String(scope.tz) : String(zone));
  const count = (n: unknown, what: string): number => {
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new TypeError(`${what} must be a number`);
    return n;
  };
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');

  const partsAt = (ms: number, zone: string) => {
    const p: Record<string, string> = {};
    for (const { type, value } of formatter(zone, 'en-US', 'parts').formatToParts(ms)) p[type] = value;
    return {
      year: Number(p.year),
      month: Number(p.month),
      day: Number(p.day),
      hour: Number(p.hour) % 24,
      minute: Number(p.minute),
      second: Number(p.second),
      weekday: WEEKDAYS.indexOf(String(p.weekday)) + 1,
    };
  };
  /** The zone's offset from UTC at an instant, in ms (Madrid in summer: +7,200,000). */
  const offsetAt = (ms: number, zone: string): number => {
    const p = partsAt(ms, zone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
  };
  /** The instant a wall-clock time has in a zone; a time skipped by DST lands just after the gap. */
  const fromLocal = (wall: number, zone: string): number => {
    const first = wall - offsetAt(wall, zone);
    const second = offsetAt(first, zone);
    return second === wall - first ? first : wall - second;
  };

  const date = (value?: unknown, zone?: unknown) => {
    const ms = toMs(value);
    const p = partsAt(ms, zoneOf(zone));
    return {
      iso: new Date(ms).toISOString(),
      date: `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`,
      time: `${pad(p.hour)}:${pad(p.minute)}`,
      ...p,
    };
  };
  const TOKENS = /\[([^\]]*)]|YYYY|YY|MMMM|MMM|MM|M|dddd|ddd|DD|D|HH|H|hh|h|mm|ss|A|Z/g;
  const format = (value: unknown, pattern: unknown, zone?: unknown, locale?: unknown) => {
    if (typeof pattern !== 'string') throw new TypeError('format needs a pattern such as "YYYY-MM-DD HH:mm"');
    const ms = toMs(value);
    const z = zoneOf(zone);
    const lang = locale === undefined || locale === null ? 'en' : String(locale);
    const p = partsAt(ms, z);
    const offset = Math.round(offsetAt(ms, z) / 60_000);
    const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
    const values: Record<string, () => string> = {
      YYYY: () => pad(p.year, 4),
      YY: () => pad(p.year % 100),
      MMMM: () => formatter(z, lang, 'MMMM').format(ms),
      MMM: () => formatter(z, lang, 'MMM').format(ms),
      MM: () => pad(p.month),
      M: () => String(p.month),
      dddd: () => formatter(z, lang, 'dddd').format(ms),
      ddd: () => formatter(z, lang, 'ddd').format(ms),
      DD: () => pad(p.day),
      D: () => String(p.day),
      HH: () => pad(p.hour),
      H: () => String(p.hour),
      hh: () => pad(h12),
      h: () => String(h12),
      mm: () => pad(p.minute),
      ss: () => pad(p.second),
      A: () => (p.hour < 12 ? 'AM' : 'PM'),
      Z: () =>
        `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`,
    };
    return pattern.replace(TOKENS, (token, literal?: string) => literal ?? values[token]!());
  };
  const addMinutes = (value: unknown, n: unknown) =>
    new Date(toMs(value) + count(n, 'minutes') * 60_000).toISOString();
  const addHours = (value: unknown, n: unknown) =>
    new Date(toMs(value) + count(n, 'hours') * 3_600_000).toISOString();
  /** Same wall-clock time n days later in the zone, so "tomorrow at this hour" survives a DST change. */
  const addDays = (value: unknown, n: unknown, zone?: unknown) => {
    const ms = toMs(value);
    const z = zoneOf(zone);
    const p = partsAt(ms, z);
    const wall = Date.UTC(p.year, p.month - 1, p.day + count(n, 'days'), p.hour, p.minute, p.second);
    return new Date(fromLocal(wall, z) + (((ms % 1000) + 1000) % 1000)).toISOString();
  };

  const g = globalThis as Record<string, unknown>;
  for (const name of ['Atomics', 'SharedArrayBuffer', 'WebAssembly']) delete g[name];
  for (const [name, value] of Object.entries({ date, format, addMinutes, addHours, addDays }))
    Object.defineProperty(globalThis, name, { value, enumerable: false });
  const seen = new Set<unknown>();
  const harden = (value: unknown): void => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value))
      return;
    seen.add(value);
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) {
      const d = Object.getOwnPropertyDescriptor(value, key);
      if (d) for (const part of [d.value, d.get, d.set]) harden(part);
    }
    harden(Object.getPrototypeOf(value));
  };
  harden(globalThis);

  const setScope = (json: string) => {
    scope = JSON.parse(json);
    args = names.map((n) => (n === 'nodes' ? scope.steps : scope[n]));
  };
  return {
    setScope,
    compile(id: number, source: string) {
      fns.set(id, new Function(...names, `'use strict'; return (\n${source}\n);`) as Compiled);
    },
    forget(id: number) {
      fns.delete(id);
    },
    /** `scopeJson`, when given, replaces the scope first: one call instead of two for a step's first use. */
    run(id: number, scopeJson?: string): string | number | undefined {
      if (scopeJson !== undefined) setScope(scopeJson);
      const value = fns.get(id)!(...args);
      const json = value === undefined ? undefined : JSON.stringify(value);
      if (json === undefined) return undefined;
      return json.length > maxOutputChars ? json.length : json;
    },
  };
}
