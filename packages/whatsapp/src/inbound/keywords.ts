import type { InboundMessage, NormalizeOptions } from './events.js';
import { DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS } from './events.js';

/** Opt-out and opt-in keywords, already folded with `foldKeyword`. */
export interface OptKeywords {
  optOut: ReadonlySet<string>;
  optIn: ReadonlySet<string>;
  /** Longer texts cannot be a keyword, so they are not folded at all. */
  maxLength: number;
}

export type OptEventType = 'contact.opted_out' | 'contact.opted_in';

/** Trimmed, lower-cased and without accents, so "  Baja " and "bajá" both match "BAJA". */
export const foldKeyword = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '');

const folded = new WeakMap<readonly string[], ReadonlySet<string>>();

/** Keyword lists are folded once per list (callers pass the same configured arrays every time). */
function foldAll(list: readonly string[]): ReadonlySet<string> {
  let set = folded.get(list);
  if (!set) {
    set = new Set(list.map(foldKeyword));
    folded.set(list, set);
  }
  return set;
}

export function optKeywords(options: NormalizeOptions): OptKeywords {
  const optOut = foldAll(options.optOutKeywords ?? DEFAULT_OPT_OUT_KEYWORDS);
  const optIn = foldAll(options.optInKeywords ?? DEFAULT_OPT_IN_KEYWORDS);
  const maxLength = Math.max(0, ...[...optOut, ...optIn].map((k) => k.length));
  return { optOut, optIn, maxLength };
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
  // Folding never makes text shorter than its trimmed length minus accents; the margin covers those.
  const foldedCandidates = candidates
    .filter((c) => c.trim().length <= keywords.maxLength * 2 + 4)
    .map((c) => [c, foldKeyword(c)] as const);
  for (const [type, words] of [
    ['contact.opted_out', keywords.optOut],
    ['contact.opted_in', keywords.optIn],
  ] as const) {
    const hit = foldedCandidates.find(([, f]) => words.has(f));
    if (hit) return { type, text: hit[0] };
  }
  return null;
}
