/**
 * The simulator's clock override: "pretend it is 2026-05-04 09:30 in Europe/Madrid" (to try business
 * hours) becomes the instant the server needs. Intl knows every zone's offsets and DST rules.
 */

/** The zone's offset from UTC, in minutes, at an instant. */
function offsetMinutes(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(at / 1_000) * 1_000) / 60_000);
}

/**
 * A wall-clock time ("2026-05-04T09:30", as a datetime-local input gives it) in a time zone, as an ISO
 * instant; null when the time or the zone is not valid. A time skipped by a DST change moves forward.
 */
export function zonedTimeToIso(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m || !isTimeZone(timeZone)) return null;
  const [, y, mo, d, h, mi, s] = m;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (Number.isNaN(asUtc)) return null;
  // Guess with the offset at the wall time read as UTC, then correct once with the offset at the guess.
  let at = asUtc - offsetMinutes(timeZone, asUtc) * 60_000;
  at = asUtc - offsetMinutes(timeZone, at) * 60_000;
  return new Date(at).toISOString();
}

export function isTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The browser's own zone, the default of the clock override. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
