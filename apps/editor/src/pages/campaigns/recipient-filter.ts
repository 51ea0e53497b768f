import { SKIP_REASONS } from './model';
import type { CampaignResults } from './types';

// The recipients table's "reason or error" filter: one select, a skip reason or a failure's error code,
// held as one string value (`reason:opted_out`, `code:131026`) and sent as the server's `reason` or
// `code` query.

export interface RecipientFilterOptions {
  /** The known skip reasons, then any other the results name (a reason this editor does not know). */
  reasons: string[];
  /** The error codes of the campaign's failures, as the results list them. */
  codes: string[];
}

export function recipientFilterOptions(results: CampaignResults | null): RecipientFilterOptions {
  const reasons: string[] = [...SKIP_REASONS];
  for (const s of results?.skipped ?? []) if (!reasons.includes(s.reason)) reasons.push(s.reason);
  return { reasons, codes: (results?.failed ?? []).map((f) => String(f.code)) };
}

export const reasonValue = (reason: string) => `reason:${reason}`;
export const codeValue = (code: string) => `code:${code}`;

/** The query a select value asks for; '' (all) asks for neither. */
export function recipientFilterQuery(value: string): { reason?: string; code?: string } {
  if (value.startsWith('reason:')) return { reason: value.slice('reason:'.length) };
  if (value.startsWith('code:')) return { code: value.slice('code:'.length) };
  return {};
}
