import { type Db, type OutboxError, OutboxRepository, type OutboxRow } from '@switchboard/db';
import type { Json } from '@switchboard/engine';
import { eventsSatisfiedBy, type MessageStatusView, statusKey } from '@switchboard/nodes';

/** Wakes runs parked on a key inside the caller's transaction; returns the ids of the runs woken. */
export type FireWaits = (args: { key: string; payload: Json; now: Date }) => string[];

/** The outbox row as a "wait for an event" node sees it. */
export function statusView(row: OutboxRow): MessageStatusView {
  const error = row.lastError as OutboxError | null;
  return {
    messageId: row.id,
    status: row.status,
    error: error ? { code: error.code, title: error.message, details: error.details ?? null } : null,
  };
}

/** A message by its outbox id, or by Meta's wamid. */
export function findMessage(db: Db, outbox: OutboxRepository, id: string): OutboxRow | undefined {
  const direct = outbox.get(id);
  if (direct) return direct;
  const byWamid = db.$client
    .prepare<[string], { id: string }>('select id from outbox where provider_message_id = ?')
    .get(id);
  return byWamid ? outbox.get(byWamid.id) : undefined;
}

/** Delivers the `status:<id>:<event>` keys a message now in its current status satisfies. */
export function deliverStatusKeys(fire: FireWaits, row: OutboxRow, now: Date): string[] {
  const payload = statusView(row) as unknown as Json;
  return eventsSatisfiedBy(row.status).flatMap((event) =>
    fire({ key: statusKey(row.id, event), payload, now }),
  );
}

/**
 * The outbox, plus: every status change that can end a wait (delivered, read, failed, refused — from a
 * status webhook, the sender or the policy gate) delivers the waits' keys in the same transaction as
 * the change, so a crash cannot separate them.
 */
export class WakingOutbox extends OutboxRepository {
  constructor(
    private readonly conn: Db,
    private readonly fire: FireWaits,
    private readonly onWoken: (runIds: string[]) => void,
  ) {
    super(conn);
  }

  override applyStatus(args: Parameters<OutboxRepository['applyStatus']>[0]): OutboxRow | undefined {
    return this.wakeAfter(() => super.applyStatus(args));
  }

  override markFailed(id: string, error: OutboxError, at: string): void {
    this.wakeAfter(() => {
      super.markFailed(id, error, at);
      return this.get(id);
    });
  }

  override markRefused(id: string, error: OutboxError, at: string): void {
    this.wakeAfter(() => {
      super.markRefused(id, error, at);
      return this.get(id);
    });
  }

  /**
   * Runs the change and delivers the keys its resulting status satisfies, in one transaction. A status
   * that did not move (a duplicate webhook) delivers keys already delivered: they find no open wait.
   */
  private wakeAfter(change: () => OutboxRow | undefined): OutboxRow | undefined {
    let woken: string[] = [];
    const row = this.conn.$client.transaction(() => {
      const row = change();
      if (row) woken = deliverStatusKeys(this.fire, row, new Date());
      return row;
    })();
    if (woken.length > 0) this.onWoken(woken);
    return row;
  }
}
