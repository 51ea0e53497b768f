import type { Database } from 'better-sqlite3';
import { SqliteGate } from './sqlite-gate.js';

interface Pending {
  work: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the engine's step writes: writes requested in the same turn of the event loop (the
 * steps of every run a tick is driving) share one transaction, and each caller continues only after
 * that transaction has committed, so durability per step is unchanged while the commit cost is shared.
 * When every write succeeds (the usual case) they run back to back; if one throws (a lost lease, a
 * cancelled run), the batch is rolled back and done again with each write in its own savepoint, so only
 * the failing one is rolled back and rejected. Writes must therefore be plain database work that can run
 * twice (no side effects outside the transaction that matter).
 */
export class GroupCommit {
  private static readonly shared = new WeakMap<Database, GroupCommit>();

  /** The one group commit of a connection: step writes, node sends and acceptances share its commits. */
  static of(client: Database): GroupCommit {
    let group = GroupCommit.shared.get(client);
    if (!group) {
      group = new GroupCommit(client);
      GroupCommit.shared.set(client, group);
    }
    return group;
  }

  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly client: Database) {}

  /** Queues `work` (synchronous database writes) for the next shared commit. */
  add(work: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the current I/O phase: every run driven now has queued its write by then, and
        // requests waiting on the socket get their turn between batches.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush() {
    // A transaction of logic written asynchronously holds the connection (see SqliteGate): commit
    // after it, never inside it.
    const gate = SqliteGate.of(this.client);
    if (gate.closed) {
      void gate.idle().then(() => setImmediate(() => this.flush()));
      return;
    }
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    try {
      this.client
        .transaction(() => {
          for (const item of batch) item.work();
        })
        .immediate();
    } catch {
      return this.flushIsolated(batch);
    }
    for (const item of batch) item.resolve();
  }

  /** The slow path: each write in its own savepoint, so one failure does not undo the others. */
  private flushIsolated(batch: Pending[]) {
    const failures = new Map<Pending, unknown>();
    try {
      this.client
        .transaction(() => {
          for (const item of batch) {
            try {
              this.client.transaction(item.work)();
            } catch (error) {
              failures.set(item, error);
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const item of batch) {
      if (failures.has(item)) item.reject(failures.get(item));
      else item.resolve();
    }
  }
}
