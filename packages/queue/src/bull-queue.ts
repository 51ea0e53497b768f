import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type {
  EnqueueRequest,
  FailedJob,
  JobHandler,
  QueueOptions,
  QueueWorker,
  WorkQueue,
} from './contract.js';

export interface BullQueueOptions extends QueueOptions {
  /** redis://… */
  url: string;
  /** The BullMQ queue name. */
  name: string;
  /** Prefix of every Redis key this queue writes (tests use one per run). Default `sb:`. */
  prefix?: string;
  /** How long an enqueued key is remembered for idempotency. Default 7 days. */
  retainKeysMs?: number;
}

interface JobData<T> {
  key: string;
  groupKey: string;
  payload: T;
  runAt: number;
}

// The record of a key (idempotency) and its place at the end of its group's line, in one step. Returns
// 0 when the key was enqueued before, else the group's length: 1 means it is the head and is due now.
const ENQUEUE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[3]) == false then return 0 end
return redis.call('RPUSH', KEYS[2], ARGV[2])
`;

// The head of a group is done (completed, or failed for good): drop it, and return the next head's
// record for the caller to hand to BullMQ. Only the current head is dropped, so a repeat is harmless.
const ADVANCE = `
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return false end
redis.call('LPOP', KEYS[1])
local next = redis.call('LINDEX', KEYS[1], 0)
if not next then return false end
return redis.call('GET', ARGV[2] .. next)
`;

/**
 * The queue on BullMQ. BullMQ's open-source edition has no groups, so each group (contact) keeps its own
 * line in Redis (a list of job keys) and only its head is a BullMQ job: a group never has two jobs in
 * BullMQ at once, so its jobs run one at a time and in order, while heads of different groups run in
 * parallel on any worker. When the head completes or fails for good, the next key becomes a BullMQ job.
 * Retries, backoff, delays, locks and stalled-job recovery are BullMQ's. See README.md.
 */
export class BullQueue<T> implements WorkQueue<T> {
  private readonly redis: Redis;
  private readonly queue: Queue<JobData<T>>;
  private readonly prefix: string;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly lockMs: number;
  private readonly retainKeysMs: number;
  private readonly workers = new Set<BullWorker<T>>();

  constructor(private readonly options: BullQueueOptions) {
    this.prefix = `${options.prefix ?? 'sb:'}${options.name}:`;
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 100;
    this.lockMs = options.lockMs ?? 30_000;
    this.retainKeysMs = options.retainKeysMs ?? 7 * 24 * 3600_000;
    this.redis = connect(options.url);
    this.queue = new Queue<JobData<T>>(options.name, {
      connection: this.redis,
      prefix: `${this.prefix}bull`,
    });
  }

  async enqueue({ key, groupKey, payload, runAt }: EnqueueRequest<T>): Promise<{ added: boolean }> {
    const data: JobData<T> = { key, groupKey, payload, runAt: runAt?.getTime() ?? 0 };
    const length = Number(
      await this.redis.eval(
        ENQUEUE,
        2,
        this.recordKey(key),
        this.groupKey(groupKey),
        JSON.stringify(data),
        key,
        this.retainKeysMs,
      ),
    );
    if (length === 0) return { added: false };
    if (length === 1) await this.schedule(data);
    return { added: true };
  }

  process(handler: JobHandler<T>, { concurrency }: { concurrency: number }): QueueWorker {
    const worker = new BullWorker<T>(this, handler, concurrency, this.options.url, this.lockMs, () =>
      this.workers.delete(worker),
    );
    this.workers.add(worker);
    return worker;
  }

  async failed(): Promise<FailedJob<T>[]> {
    const jobs = await this.queue.getFailed(0, -1);
    return jobs.map((job) => ({
      key: job.data.key,
      groupKey: job.data.groupKey,
      payload: job.data.payload,
      attempts: job.attemptsMade,
      error: job.failedReason,
    }));
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.close()));
    await this.queue.close();
    await this.redis.quit().catch(() => {});
  }

  /** @internal The BullMQ queue name and key prefix (for workers). */
  bullName(): { name: string; prefix: string } {
    return { name: this.options.name, prefix: `${this.prefix}bull` };
  }

  /** @internal The group's head `key` is finished: the next job of the group becomes due. */
  async advance(groupKey: string, key: string): Promise<void> {
    const next = (await this.redis.eval(ADVANCE, 1, this.groupKey(groupKey), key, this.recordKey(''))) as
      | string
      | null;
    if (next) await this.schedule(JSON.parse(next) as JobData<T>);
  }

  private async schedule(data: JobData<T>): Promise<void> {
    await this.queue.add('job', data, {
      jobId: bullId(data.key),
      delay: Math.max(0, data.runAt - Date.now()),
      attempts: this.attempts,
      backoff: { type: 'exponential', delay: this.backoffMs },
      removeOnComplete: true,
      removeOnFail: false,
    });
  }

  private recordKey(key: string): string {
    return `${this.prefix}key:${key}`;
  }

  private groupKey(groupKey: string): string {
    return `${this.prefix}group:${groupKey}`;
  }
}

class BullWorker<T> implements QueueWorker {
  private readonly worker: Worker<JobData<T>>;
  private readonly redis: Redis;
  private dead = false;
  private closed: Promise<void> | null = null;

  constructor(
    owner: BullQueue<T>,
    handler: JobHandler<T>,
    concurrency: number,
    url: string,
    lockMs: number,
    private readonly onClose: () => void,
  ) {
    this.redis = connect(url);
    const { name, prefix } = owner.bullName();
    this.worker = new Worker<JobData<T>>(
      name,
      async (job: Job<JobData<T>>) => {
        const { key, groupKey, payload } = job.data;
        try {
          await handler({ key, groupKey, payload, attempt: job.attemptsMade + 1 });
        } catch (err) {
          if (this.dead) throw err;
          // The last try: the job is kept as failed and the group goes on with its next job.
          if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await owner.advance(groupKey, key);
          throw err;
        }
        // A "crashed" (force-closed) worker does nothing more; the job is redone elsewhere.
        if (this.dead) throw new Error('worker was force-closed');
        await owner.advance(groupKey, key);
      },
      {
        connection: this.redis,
        prefix,
        concurrency,
        lockDuration: lockMs,
        stalledInterval: Math.max(100, Math.floor(lockMs / 2)),
        // A job whose worker died is redone; after many such deaths it fails like a throwing one.
        maxStalledCount: 5,
      },
    );
    // Failed for good without reaching the handler's catch (e.g. stalled too often): move the group on.
    this.worker.on('failed', (job) => {
      if (!job || this.dead) return;
      if (job.attemptsMade >= (job.opts.attempts ?? 1) || job.stalledCounter > 5)
        void owner.advance(job.data.groupKey, job.data.key).catch(() => {});
    });
    this.worker.on('error', () => {});
  }

  close(options: { force?: boolean } = {}): Promise<void> {
    if (options.force) this.dead = true;
    this.closed ??= (async () => {
      await this.worker.close(options.force ?? false);
      this.redis.disconnect();
      this.onClose();
    })();
    return this.closed;
  }
}

function connect(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

// BullMQ refuses custom ids containing ':' (and integer-looking ones), so the key is encoded.
function bullId(key: string): string {
  return `k${Buffer.from(key).toString('base64url')}`;
}
