import { looselyEqual } from './compare.js';
import type { Priority } from './routing-services.js';
import { keywordMatches } from './text-match.js';

/** Words customers use when it cannot wait, in Spanish and English (whole words, accents ignored). */
export const URGENT_KEYWORDS: readonly string[] = [
  'urgente',
  'urgentemente',
  'urgencia',
  'urgent',
  'emergencia',
  'emergency',
  'asap',
  'ya mismo',
  'cuanto antes',
  'lo antes posible',
  'inmediatamente',
  'immediately',
  'right now',
];

/** Contact tiers that get `high` priority by default. */
export const VIP_VALUES: readonly string[] = ['vip'];

export type PriorityMode = 'auto' | Priority;

/**
 * The priority of a conversation. A fixed mode is taken as it is; `auto` looks at the customer's words
 * first (an urgent keyword → `urgent`), then at who they are (a tier among `vipValues` → `high`), else
 * `normal`. Tiers compare case- and accent-insensitively, and a list of tiers counts if any is VIP.
 */
export function priorityFor(args: {
  mode: PriorityMode;
  text: string;
  urgentKeywords: readonly string[];
  tier: unknown;
  vipValues: readonly string[];
}): Priority {
  if (args.mode !== 'auto') return args.mode;
  if (keywordMatches({ text: args.text, keywords: args.urgentKeywords, mode: 'any', match: 'word' }))
    return 'urgent';
  const tiers = Array.isArray(args.tier) ? args.tier : [args.tier];
  const vip = tiers.some(
    (tier) => tier !== null && tier !== undefined && args.vipValues.some((v) => looselyEqual(tier, v, true)),
  );
  return vip ? 'high' : 'normal';
}
