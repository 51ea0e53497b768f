import type { Database, OutboxRow } from '@switchboard/db';
import type { OutboundMessageOf } from '@switchboard/whatsapp';
import { checkTemplate } from './send-check.js';

/**
 * The template check again at send time: a template paused, disabled or deleted while its message
 * waited in the outbox is refused by the sender (recorded on the row, like a policy refusal) instead of
 * failing at Meta with 132015/132016/132001. Returns the refusal, or null when the message may go.
 */
export async function unsendableTemplate(
  database: Pick<Database, 'repos'>,
  row: OutboxRow,
): Promise<{ reason: string; message: string } | null> {
  if (row.kind !== 'template') return null;
  const check = await checkTemplate(
    database.repos,
    row.channel,
    row.payload as OutboundMessageOf<'template'>,
  );
  return !check || check.ok ? null : { reason: check.reason, message: check.message };
}
