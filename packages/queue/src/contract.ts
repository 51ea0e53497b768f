/** A unit of work: `key` makes enqueueing idempotent, `groupKey` (a contact) serializes processing. */
export interface EnqueueRequest<T> {
  key: string;
  groupKey: string;
  payload: T;
  /** Not handed to a handler before this time. */
  runAt?: Date;
}

export interface QueueJob<T> {
  key: string;
  groupKey: string;
  payload: T;
  /** 1 on the first try, 2 on the first retry, … */
  attempt: number;
}

/** A job that used up its attempts (the dead letter), with the last error. */
export interface FailedJob<T> {
  key: string;
  groupKey: string;
  payload: T;
  attempts: number;
  error: string;
}

export type JobHandler<T> = (job: QueueJob<T>) => Promise<void>;

export interface QueueWorker {
  /**
   * Graceful by default: takes no new jobs and waits for the in-flight ones. `force: true` stops at once,
   * as a crash would; its in-flight jobs go to another worker after the lock timeout.
   */
  close(options?: { force?: boolean }): Promise<void>;
}

export interface QueueOptions {
  /** Tries per job before it is kept as failed. Default 3. */
  attempts?: number;
  /** First retry delay; doubles each retry. Default 100 ms. */
  backoffMs?: number;
  /** How long a worker holds a job without renewing before it counts as dead. Default 30 s. */
  lockMs?: number;
}

/**
 * Work for background processing. Jobs of one `groupKey` are handled strictly one at a time, in enqueue
 * order; different groups in parallel. A job whose handler throws is retried with backoff, then kept as
 * failed (the group goes on with its next job).
 */
export interface WorkQueue<T> {
  /** `added: false` when a job with this key was enqueued before (it is kept once). */
  enqueue(request: EnqueueRequest<T>): Promise<{ added: boolean }>;
  process(handler: JobHandler<T>, options: { concurrency: number }): QueueWorker;
  failed(): Promise<FailedJob<T>[]>;
  /**
   * Mends groups whose next job was left without anything to run it (a worker died while handing a group
   * on to its next job) by doing that hand-off again, and returns how many it mended. Idempotent and safe
   * to run at any time, also from several processes at once. Workers run it themselves when `process`
   * starts and then periodically, so callers need it only to mend sooner. 0 when nothing is stalled
   * (always, in-process: that state cannot stall).
   */
  repair(): Promise<number>;
  /** Closes every worker started by `process` (gracefully) and the connections. */
  close(): Promise<void>;
}

export interface TakeRequest {
  key: string;
  ratePerSecond: number;
  burst: number;
}

export type TakeResult = { ok: true } | { ok: false; retryInMs: number };

/** A token bucket per key: `burst` tokens, refilled at `ratePerSecond`; each granted take uses one. */
export interface RateLimiter {
  take(request: TakeRequest): Promise<TakeResult>;
}
