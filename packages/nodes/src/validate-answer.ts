import type { Json } from '@switchboard/engine';
import { fold } from './compare.js';

export type AnswerKind = 'text' | 'number' | 'email' | 'date' | 'oneOf';

/**
 * Checks a customer's free-text answer and returns its value in a useful type: numbers accept "1.234,5"
 * and "1,234.5", dates accept 2026-05-04 and 04/05/2026 (day first), options match case- and
 * accent-insensitively. Null when the answer does not fit.
 */
export function validateAnswer(text: string, kind: AnswerKind, options: readonly string[] = []): Json | null {
  const t = text.trim();
  if (!t) return null;
  switch (kind) {
    case 'text':
      return t;
    case 'number': {
      const cleaned = t.replace(/\s/g, '');
      const normalized = /,\d{1,2}$/.test(cleaned)
        ? cleaned.replace(/\./g, '').replace(',', '.')
        : cleaned.replace(/,/g, '');
      const n = Number(normalized);
      return /^[-+]?\d*\.?\d+$/.test(normalized) && Number.isFinite(n) ? n : null;
    }
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(t) ? t.toLowerCase() : null;
    case 'date': {
      const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
      const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
      const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
      if (!y || !m || !d) return null;
      const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
      return date.getUTCDate() === Number(d) && date.getUTCMonth() === Number(m) - 1
        ? date.toISOString().slice(0, 10)
        : null;
    }
    case 'oneOf':
      return options.find((o) => fold(o) === fold(t)) ?? null;
  }
}
