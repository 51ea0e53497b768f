import type { InboundMessage, NormalizeOptions } from './events.js';
import { DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS } from './events.js';

/** Opt-out and opt-in keywords, already folded with `foldKeyword`. */
export interface OptKeywords {
  optOut: ReadonlySet<string>;
  optIn: ReadonlySet<string>;
}

export type OptEventType = 'contact.opted_out' | 'contact.opted_in';

/** Trimmed, lower-cased and without accents, so "  Baja " and "bajá" both match "BAJA". */
export const foldKeyword = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '');

export function optKeywords(options: NormalizeOptions): OptKeywords {
  return {
    optOut: new Set((options.optOutKeywords ?? DEFAULT_OPT_OUT_KEYWORDS).map(foldKeyword)),
    optIn: new Set((options.optInKeywords ?? DEFAULT_OPT_IN_KEYWORDS).map(foldKeyword)),
  };
}

/**
 * The opt-out/in a message asks for, with the text that matched: a text message equal to a keyword, or a
 * button whose payload/id or label is one. Opt-out wins when both lists match (only possible with custom
 * keywords).
 */
export function keywordIn(
  message: InboundMessage,
  keywords: OptKeywords,
): { type: OptEventType; text: string } | null {
  const candidates =
    message.type === 'text'
      ? [message.text]
      : message.type === 'template_button'
        ? [message.payload, message.text]
        : message.type === 'button_reply'
          ? [message.id, message.title]
          : [];
  for (const [type, words] of [
    ['contact.opted_out', keywords.optOut],
    ['contact.opted_in', keywords.optIn],
  ] as const) {
    const text = candidates.find((candidate) => words.has(foldKeyword(candidate)));
    if (text !== undefined) return { type, text };
  }
  return null;
}
