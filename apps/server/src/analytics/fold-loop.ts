import { type AnalyticsQueries, type AsyncOf, MESSAGE_COUNT_FOLD_BATCH } from '@switchboard/db';
import type { AppLogger } from '../logger.js';
import { startLoop } from '../loop.js';

/**
 * Folds the changes the outbox triggers write into the counts the messaging report reads, so the report
 * reads a few thousand counted rows plus at most a few seconds of changes. The report is exact either
 * way (it adds the changes not yet folded); this keeps it fast. A backlog is folded batch after batch.
 */
export function startMessageCountFold(args: {
  analytics: Pick<AsyncOf<AnalyticsQueries>, 'foldMessageCounts'>;
  logger: AppLogger;
  /** SWITCHBOARD_ANALYTICS_FOLD_MS. */
  pollMs: number;
}) {
  return startLoop({
    name: 'message-counts',
    pollMs: args.pollMs,
    onError: (error) => args.logger.warn({ err: error }, 'folding message counts failed'),
    tick: async () => ({ again: (await args.analytics.foldMessageCounts()) >= MESSAGE_COUNT_FOLD_BATCH }),
  });
}
