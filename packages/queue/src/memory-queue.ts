import type {
  EnqueueRequest,
  FailedJob,
  JobHandler,
  QueueOptions,
  QueueWorker,
  WorkQueue,
} from './contract.js';

interface Entry<T> {
  key: string;
  groupKey: string;
  payload: T;
  runAt: number;
  attempt: number;
  /** Not before this time (runAt, or the retry's backoff). */
  readyAt: number;
}

interface Lease<T> {
  worker: MemoryWorker<T>;
  expiresAt: number;
}

/**
 * The queue in this process's memory (the embedded mode). Workers from `process` share it; each group's
 * jobs wait in one FIFO whose head is leased to at most one worker at a time.
 */
export class InProcessQueue<T> implements WorkQueue<T> {
  readonly attempts: number;
  readonly backoffMs: number;
  readonly lockMs: number;
  private readonly seen = new Set<string>();
  private readonly groups = new Map<string, Entry<T>[]>();
  private readonly leases = new Map<string, Lease<T>>();
  private readonly dead: FailedJob<T>[] = [];
  private readonly workers = new Set<MemoryWorker<T>>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: QueueOptions = {}) {
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 100;
    this.lockMs = options.lockMs ?? 30_000;
  }

  async enqueue({ key, groupKey, payload, runAt }: EnqueueRequest<T>): Promise<{ added: boolean }> {
    if (this.seen.has(key)) return { added: false };
    this.seen.add(key);
    const at = runAt?.getTime() ?? 0;
    const group = this.groups.get(groupKey) ?? [];
    group.push({ key, groupKey, payload, runAt: at, attempt: 1, readyAt: at });
    this.groups.set(groupKey, group);
    this.pump();
    return { added: true };
  }

  process(handler: JobHandler<T>, { concurrency }: { concurrency: number }): QueueWorker {
    const worker = new MemoryWorker(this, handler, concurrency);
    this.workers.add(worker);
    this.pump();
    return worker;
  }

  async failed(): Promise<FailedJob<T>[]> {
    return this.dead.map((d) => ({ ...d }));
  }

  /** Nothing to mend: a group's line and its lease change together in this process, so none stalls. */
  async repair(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.close()));
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** @internal Hands ready group heads to workers with free slots; schedules the next wake-up. */
  pump(): void {
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [groupKey, group] of this.groups) {
      const lease = this.leases.get(groupKey);
      if (lease) {
        if (lease.expiresAt > now) {
          next = Math.min(next, lease.expiresAt);
          continue;
        }
        // The worker holding it stopped renewing (it was force-closed): the job is up for grabs again.
        this.leases.delete(groupKey);
      }
      const head = group[0];
      if (!head) continue;
      if (head.readyAt > now) {
        next = Math.min(next, head.readyAt);
        continue;
      }
      const worker = [...this.workers].find((w) => w.hasRoom());
      if (!worker) break;
      this.leases.set(groupKey, { worker, expiresAt: Number.POSITIVE_INFINITY });
      worker.run(head);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (Number.isFinite(next) && this.workers.size > 0) {
      this.timer = setTimeout(() => this.pump(), Math.max(1, next - Date.now()));
      this.timer.unref?.();
    }
  }

  /** @internal */
  finish(worker: MemoryWorker<T>, entry: Entry<T>, error: unknown): void {
    const lease = this.leases.get(entry.groupKey);
    if (lease?.worker !== worker) return; // lost the lease meanwhile: another worker owns the job now
    this.leases.delete(entry.groupKey);
    const group = this.groups.get(entry.groupKey) ?? [];
    if (error === undefined || entry.attempt >= this.attempts) {
      group.shift();
      if (group.length === 0) this.groups.delete(entry.groupKey);
      if (error !== undefined)
        this.dead.push({
          key: entry.key,
          groupKey: entry.groupKey,
          payload: entry.payload,
          attempts: entry.attempt,
          error: error instanceof Error ? error.message : String(error),
        });
    } else {
      entry.readyAt = Date.now() + this.backoffMs * 2 ** (entry.attempt - 1);
      entry.attempt += 1;
    }
    this.pump();
  }

  /** @internal A force-closed worker's leases run out after the lock timeout, as a dead process's would. */
  abandon(worker: MemoryWorker<T>): void {
    for (const lease of this.leases.values())
      if (lease.worker === worker) lease.expiresAt = Date.now() + this.lockMs;
    this.pump();
  }

  /** @internal */
  detach(worker: MemoryWorker<T>): void {
    this.workers.delete(worker);
    this.pump();
  }
}

class MemoryWorker<T> implements QueueWorker {
  private readonly active = new Set<Promise<void>>();
  private closing = false;

  constructor(
    private readonly queue: InProcessQueue<T>,
    private readonly handler: JobHandler<T>,
    private readonly concurrency: number,
  ) {}

  hasRoom(): boolean {
    return !this.closing && this.active.size < this.concurrency;
  }

  run(entry: Entry<T>): void {
    const job = { key: entry.key, groupKey: entry.groupKey, payload: entry.payload, attempt: entry.attempt };
    let done!: Promise<void>;
    done = (async () => {
      await null; // `done` is assigned before anything below runs
      let error: unknown;
      try {
        await this.handler(job);
      } catch (err) {
        error = err ?? new Error('job failed');
      }
      this.active.delete(done);
      this.queue.finish(this, entry, error);
    })();
    this.active.add(done);
  }

  async close(options: { force?: boolean } = {}): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const queue = this.queue;
    if (options.force) {
      queue.detach(this);
      queue.abandon(this);
      return;
    }
    await Promise.all(this.active);
    queue.detach(this);
  }
}
