import { fold } from './compare.js';

/**
 * Keyword matching the way people type on WhatsApp: case- and accent-insensitive ("facturación" matches
 * "facturacion"), either as whole words (default) or anywhere in the text.
 */
export function keywordMatches(args: {
  text: string;
  keywords: readonly string[];
  mode: 'any' | 'all';
  match: 'word' | 'contains';
}): boolean {
  const text = fold(args.text);
  const words = new Set(text.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  const hit = (keyword: string) => {
    const k = fold(keyword).trim();
    if (!k) return false;
    if (args.match === 'contains') return text.includes(k);
    return k.includes(' ') ? ` ${text.replace(/[^\p{L}\p{N}]+/gu, ' ')} `.includes(` ${k} `) : words.has(k);
  };
  return args.mode === 'all' ? args.keywords.every(hit) : args.keywords.some(hit);
}

/** The text a customer message carries, whatever its type (button title, list title, caption…). */
export function messageText(message: unknown): string {
  if (!message || typeof message !== 'object') return '';
  const m = message as Record<string, unknown>;
  for (const key of ['text', 'title', 'caption', 'body', 'emoji'])
    if (typeof m[key] === 'string') return m[key] as string;
  return '';
}
