/**
 * "86400" seconds means little to most people: the number fields that hold a duration (`…Seconds`,
 * `…Ms`) say it in days, hours and minutes next to the number.
 */
export type DurationUnit = 'days' | 'hours' | 'minutes' | 'seconds';

const UNITS: Array<[DurationUnit, number]> = [
  ['days', 86_400],
  ['hours', 3_600],
  ['minutes', 60],
  ['seconds', 1],
];

/** The unit a field's number is in, from its name; null when it is not a duration. */
export function durationUnitOf(key: string): 'seconds' | 'ms' | null {
  if (/Seconds$/.test(key)) return 'seconds';
  if (/Ms$/.test(key)) return 'ms';
  return null;
}

/** Up to two parts, largest first (`5400` s → 1 hours, 30 minutes); empty under a minute. */
export function durationParts(
  value: number,
  unit: 'seconds' | 'ms',
): Array<{ n: number; unit: DurationUnit }> {
  let seconds = Math.floor(unit === 'ms' ? value / 1000 : value);
  if (!Number.isFinite(seconds) || seconds < 60) return [];
  const parts: Array<{ n: number; unit: DurationUnit }> = [];
  for (const [name, size] of UNITS) {
    const n = Math.floor(seconds / size);
    if (n > 0 && parts.length < 2) parts.push({ n, unit: name });
    seconds -= n * size;
  }
  return parts;
}
