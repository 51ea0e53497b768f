import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from 'better-sqlite3';

interface GateState {
  // The open transaction's own token: work started inside one and still running after it ended (a
  // timer it set) carries a stale token, so it waits at the gate like everybody else.
  readonly inside: AsyncLocalStorage<object>;
  current: object | undefined;
  held: Promise<void> | undefined;
}

/**
 * Lets logic written once, asynchronously, run in one SQLite transaction, as it would on Postgres.
 *
 * better-sqlite3 transactions are synchronous: a function that awaits inside one would see its
 * transaction commit at the first `await`. `transaction(fn)` instead opens `BEGIN IMMEDIATE` on the
 * process's one connection and holds this gate until `fn` settles; every other use of the connection
 * (the repositories' async faces, the run store, the group commit) waits at the gate meanwhile, so no
 * statement of another request can slip into the open transaction between two awaits. Calls made by
 * `fn` itself (tracked with AsyncLocalStorage) pass. When no transaction is open, calls run at once,
 * synchronously, exactly as before.
 *
 * `fn` must not wait on anything slow (a network call) while it holds the gate: like a Postgres
 * transaction, it should only read and write. A transaction inside another joins it (an error in
 * either rolls back both).
 */
export class SqliteGate {
  private static readonly shared = new WeakMap<Database, SqliteGate>();
  /**
   * One state per database file: two connections of this process to the same file share it, so one's
   * transaction waits for the other's at the gate instead of blocking the thread in SQLite's busy wait
   * (which the other, needing this same thread to finish, could never end).
   */
  private static readonly files = new Map<string, GateState>();

  /** The one gate of a connection (repositories, run store and group commit share it). */
  static of(client: Database): SqliteGate {
    let gate = SqliteGate.shared.get(client);
    if (!gate) {
      const fresh = (): GateState => ({
        inside: new AsyncLocalStorage(),
        current: undefined,
        held: undefined,
      });
      let state: GateState;
      if (client.memory) state = fresh();
      else {
        state = SqliteGate.files.get(client.name) ?? fresh();
        SqliteGate.files.set(client.name, state);
      }
      gate = new SqliteGate(client, state);
      SqliteGate.shared.set(client, gate);
    }
    return gate;
  }

  private constructor(
    private readonly client: Database,
    private readonly state: GateState,
  ) {}

  private get inside() {
    return this.state.inside;
  }
  private get current() {
    return this.state.current;
  }
  private set current(token: object | undefined) {
    this.state.current = token;
  }
  private get held() {
    return this.state.held;
  }
  private set held(promise: Promise<void> | undefined) {
    this.state.held = promise;
  }

  /** True while a transaction holds the connection and the caller is not part of it. */
  get closed(): boolean {
    return this.held !== undefined && this.inside.getStore() !== this.current;
  }

  /** Settles when the transaction holding the gate (if any) has ended. */
  idle(): Promise<void> {
    return this.held ?? Promise.resolve();
  }

  /**
   * Runs synchronous database work now if the gate is open, or as soon as it opens. The check and
   * the work happen in the same turn, so no transaction can begin between them.
   */
  run<T>(work: () => T): Promise<T> {
    if (!this.closed) {
      try {
        return Promise.resolve(work());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.runLater(work);
  }

  private async runLater<T>(work: () => T): Promise<T> {
    while (this.closed) await this.held;
    return work();
  }

  /** Runs `fn` in one transaction: it commits when `fn` resolves and rolls back when it rejects. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held && this.inside.getStore() === this.current) return fn();
    // No await between this check and taking the gate: two waiters cannot both get in.
    while (this.held) await this.held;
    let release!: () => void;
    this.held = new Promise((resolve) => {
      release = resolve;
    });
    const token = {};
    this.current = token;
    try {
      this.client.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.inside.run(token, fn);
        this.client.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.client.inTransaction) this.client.exec('ROLLBACK');
        throw error;
      }
    } finally {
      this.held = undefined;
      this.current = undefined;
      release();
    }
  }
}
