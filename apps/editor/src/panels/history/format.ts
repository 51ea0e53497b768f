/**
 * Pure text helpers for the history panel and the flow list: times people can read at a glance, and
 * values from a diff shown as text. No React, no store, no `t()`: callers pass the language, so these
 * run (and are tested) anywhere.
 */

const UNITS: readonly { unit: Intl.RelativeTimeFormatUnit; seconds: number }[] = [
  { unit: 'year', seconds: 365 * 86_400 },
  { unit: 'month', seconds: 30 * 86_400 },
  { unit: 'week', seconds: 7 * 86_400 },
  { unit: 'day', seconds: 86_400 },
  { unit: 'hour', seconds: 3_600 },
  { unit: 'minute', seconds: 60 },
];

/**
 * "3 minutes ago", "in 2 hours", "yesterday" ("hace 3 minutos", "dentro de 2 horas", "ayer"): the
 * largest unit that fits, so a list can be scanned quickly. Under a minute is "now".
 */
export function relativeTime(iso: string, now: number, lang: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const diffSeconds = (at - now) / 1000;
  const format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  for (const { unit, seconds } of UNITS) {
    if (Math.abs(diffSeconds) >= seconds) return format.format(Math.round(diffSeconds / seconds), unit);
  }
  return format.format(0, 'second');
}

/** The exact date and time, for a tooltip next to a relative time. */
export function absoluteTime(iso: string, lang: string, timeZone?: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return new Intl.DateTimeFormat(lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(at);
}

/**
 * A value from a diff as text: strings as they are (a message reads like a message, not like JSON),
 * other values as compact JSON. `null` means "not set" (the field is absent on that side), which the
 * caller words in the user's language; an empty string stays empty for the same reason.
 */
export function valueText(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

export interface Trimmed {
  text: string;
  /** The text was cut: offer to show all of it. */
  trimmed: boolean;
}

/**
 * At most `maxChars` characters and `maxLines` lines, cut at a word boundary when one is near, with
 * an ellipsis; long WhatsApp messages stay readable in a narrow side panel.
 */
export function trimText(text: string, maxChars = 140, maxLines = 3): Trimmed {
  const lines = text.split('\n');
  let cut = lines.length > maxLines ? lines.slice(0, maxLines).join('\n') : text;
  if (cut.length > maxChars) {
    cut = cut.slice(0, maxChars);
    const space = cut.lastIndexOf(' ');
    if (space > maxChars * 0.6) cut = cut.slice(0, space);
  }
  if (cut === text) return { text, trimmed: false };
  return { text: `${cut.trimEnd()}…`, trimmed: true };
}
