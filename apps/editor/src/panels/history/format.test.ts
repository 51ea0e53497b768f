import { describe, expect, it } from 'vitest';
import { absoluteTime, relativeTime, trimText, valueText } from './format';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

describe('relativeTime', () => {
  it('uses the largest unit that fits, in the language asked for', () => {
    expect(relativeTime(ago(5), NOW, 'en')).toBe('now');
    expect(relativeTime(ago(3 * 60), NOW, 'en')).toBe('3 minutes ago');
    expect(relativeTime(ago(2 * 3600), NOW, 'en')).toBe('2 hours ago');
    expect(relativeTime(ago(86_400), NOW, 'en')).toBe('yesterday');
    expect(relativeTime(ago(3 * 60), NOW, 'es')).toBe('hace 3 minutos');
    expect(relativeTime(ago(86_400), NOW, 'es')).toBe('ayer');
  });

  it('speaks of the future for scheduled runs', () => {
    expect(relativeTime(ago(-2 * 3600), NOW, 'en')).toBe('in 2 hours');
    expect(relativeTime(ago(-2 * 3600), NOW, 'es')).toBe('dentro de 2 horas');
  });

  it('gives back what it cannot read', () => {
    expect(relativeTime('not a date', NOW, 'en')).toBe('not a date');
  });
});

describe('absoluteTime', () => {
  it('shows date and time in the given zone', () => {
    const text = absoluteTime('2026-03-10T12:34:00Z', 'en', 'UTC');
    expect(text).toContain('2026');
    expect(text).toContain('12:34');
  });
});

describe('valueText', () => {
  it('shows strings as they are and other values as JSON; absent is null', () => {
    expect(valueText('¡Hola, {{ vars.name }}!')).toBe('¡Hola, {{ vars.name }}!');
    expect(valueText('')).toBe('');
    expect(valueText(3)).toBe('3');
    expect(valueText(false)).toBe('false');
    expect(valueText(null)).toBe('null');
    expect(valueText({ id: 'yes', title: 'Sí' })).toBe('{"id":"yes","title":"Sí"}');
    expect(valueText(undefined)).toBeNull();
  });
});

describe('trimText', () => {
  it('keeps short text whole', () => {
    expect(trimText('Hello')).toEqual({ text: 'Hello', trimmed: false });
  });

  it('cuts long text at a word boundary with an ellipsis', () => {
    const long = 'word '.repeat(60).trim();
    const { text, trimmed } = trimText(long, 50);
    expect(trimmed).toBe(true);
    expect(text.endsWith('word…')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(51);
  });

  it('cuts after a few lines', () => {
    expect(trimText('a\nb\nc\nd', 140, 3)).toEqual({ text: 'a\nb\nc…', trimmed: true });
  });
});
