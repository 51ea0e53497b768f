import type { AsyncOf, Database, OutboxError, OutboxRepository, OutboxRow } from '@switchboard/db';
import type { Json } from '@switchboard/engine';
import { eventsSatisfiedBy, type MessageStatusView, statusKey } from '@switchboard/nodes';

/** Wakes runs parked on a key (inside the caller's transaction, if any); resolves to the runs woken. */
export type FireWaits = (args: { key: string; payload: Json; now: Date }) => Promise<string[]>;

type Outbox = AsyncOf<OutboxRepository>;

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
export async function findMessage(outbox: Outbox, id: string): Promise<OutboxRow | undefined> {
  return (await outbox.get(id)) ?? (await outbox.byProviderMessageId(id));
}

/** Delivers the `status:<id>:<event>` keys a message now in its current status satisfies. */
export async function deliverStatusKeys(fire: FireWaits, row: OutboxRow, now: Date): Promise<string[]> {
  const payload = statusView(row) as unknown as Json;
  const woken: string[] = [];
  for (const event of eventsSatisfiedBy(row.status))
    woken.push(...(await fire({ key: statusKey(row.id, event), payload, now })));
  return woken;
}

/**
 * The outbox, plus: every status change that can end a wait (delivered, read, failed, refused — from a
 * status webhook, the sender or the policy gate) delivers the waits' keys in the same transaction as
 * the change, so a crash cannot separate them. Every other method is the outbox's own.
 */
export class WakingOutbox implements Outbox {
  constructor(
    private readonly database: Database,
    private readonly onWoken: (runIds: string[]) => void,
  ) {}

  private get repo(): Outbox {
    return this.database.repos.outbox;
  }

  enqueue: Outbox['enqueue'] = (...args) => this.repo.enqueue(...args);
  claimDue: Outbox['claimDue'] = (...args) => this.repo.claimDue(...args);
  defer: Outbox['defer'] = (...args) => this.repo.defer(...args);
  markAccepted: Outbox['markAccepted'] = (...args) => this.repo.markAccepted(...args);
  scheduleRetry: Outbox['scheduleRetry'] = (...args) => this.repo.scheduleRetry(...args);
  retryNow: Outbox['retryNow'] = (...args) => this.repo.retryNow(...args);
  requeueSending: Outbox['requeueSending'] = (...args) => this.repo.requeueSending(...args);
  requeueExpiredSending: Outbox['requeueExpiredSending'] = (...args) =>
    this.repo.requeueExpiredSending(...args);
  get: Outbox['get'] = (...args) => this.repo.get(...args);
  byProviderMessageId: Outbox['byProviderMessageId'] = (...args) => this.repo.byProviderMessageId(...args);
  list: Outbox['list'] = (...args) => this.repo.list(...args);
  statuses: Outbox['statuses'] = (...args) => this.repo.statuses(...args);

  applyStatus(args: Parameters<Outbox['applyStatus']>[0]): Promise<OutboxRow | undefined> {
    return this.wakeAfter((outbox) => outbox.applyStatus(args));
  }

  async markFailed(id: string, error: OutboxError, at: string): Promise<void> {
    await this.wakeAfter(async (outbox) => {
      await outbox.markFailed(id, error, at);
      return outbox.get(id);
    });
  }

  async markRefused(id: string, error: OutboxError, at: string): Promise<void> {
    await this.wakeAfter(async (outbox) => {
      await outbox.markRefused(id, error, at);
      return outbox.get(id);
    });
  }

  /**
   * Runs the change and delivers the keys its resulting status satisfies, in one transaction. A status
   * that did not move (a duplicate webhook) delivers keys already delivered: they find no open wait.
   */
  private async wakeAfter(change: (outbox: Outbox) => Promise<OutboxRow | undefined>) {
    let woken: string[] = [];
    const row = await this.database.transaction(async (r) => {
      const row = await change(r.outbox);
      if (row) woken = await deliverStatusKeys(r.runs.fireWaits, row, new Date());
      return row;
    });
    if (woken.length > 0) this.onWoken(woken);
    return row;
  }
}
