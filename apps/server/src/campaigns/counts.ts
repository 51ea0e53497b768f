import type { CampaignTally } from '@switchboard/db';

// A campaign's figures from one GROUP BY over its recipients joined to their outbox rows: each
// recipient is in exactly one state, its furthest (read, not also delivered and sent); `replied` is
// counted on top.

export const COUNT_KEYS = [
  'pending',
  'queued',
  'sent',
  'delivered',
  'read',
  'replied',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type CampaignCounts = Record<(typeof COUNT_KEYS)[number], number>;

/** The state a group of recipients is in, and the skip reason when skipped. */
function stateOf(g: CampaignTally): { state: keyof CampaignCounts; reason?: string } {
  if (g.status !== 'queued')
    return g.status === 'skipped'
      ? { state: 'skipped', reason: g.reason ?? 'unknown' }
      : { state: g.status as keyof CampaignCounts };
  switch (g.outboxStatus) {
    case 'sent':
    case 'delivered':
    case 'read':
    case 'failed':
      return { state: g.outboxStatus };
    // The sender refused it at send time (consent or window changed since it was queued).
    case 'refused':
      return { state: 'skipped', reason: 'refused' };
    default:
      return { state: 'queued' };
  }
}

export function countsOf(tally: { groups: CampaignTally[]; replied: number }): {
  counts: CampaignCounts;
  skipped: Map<string, number>;
  total: number;
} {
  const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as CampaignCounts;
  const skipped = new Map<string, number>();
  let total = 0;
  for (const g of tally.groups) {
    const { state, reason } = stateOf(g);
    counts[state] += g.n;
    total += g.n;
    if (reason !== undefined) skipped.set(reason, (skipped.get(reason) ?? 0) + g.n);
  }
  counts.replied = tally.replied;
  return { counts, skipped, total };
}

/** Failed messages by error code; refused ones are reported with the skips, by their policy reason. */
export function failuresOf(rows: Array<{ outboxStatus: string; error: unknown }>): {
  failed: Array<{ code: number | string; title: string; count: number }>;
  refused: Map<string, number>;
} {
  const failed = new Map<string, { code: number | string; title: string; count: number }>();
  const refused = new Map<string, number>();
  for (const row of rows) {
    const error = (row.error ?? {}) as { code?: number | string | null; message?: string };
    if (row.outboxStatus === 'refused') {
      const reason = String(error.code ?? 'refused');
      refused.set(reason, (refused.get(reason) ?? 0) + 1);
      continue;
    }
    const code = error.code ?? 'unknown';
    const entry = failed.get(String(code)) ?? { code, title: error.message ?? '', count: 0 };
    entry.count += 1;
    failed.set(String(code), entry);
  }
  return { failed: [...failed.values()].sort((a, b) => b.count - a.count), refused };
}
