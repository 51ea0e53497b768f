import { randomUUID } from 'node:crypto';
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
  /**
   * While processing, how often `repair()` sweeps for stalled groups (it also runs when `process` starts).
   * Default 30 s.
   */
  repairEveryMs?: number;
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
// record for the caller to hand to BullMQ. Only the current head is dropped, so a repeat is harmless (it
// returns 0; false means the group is now empty).
const ADVANCE = `
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[1])
local next = redis.call('LINDEX', KEYS[1], 0)
if not next then return false end
return redis.call('GET', ARGV[2] .. next)
`;

// A group's head and its record, read together for the repair sweep. Returns false for an empty group,
// else { head key, its record (false once it expired) }.
const HEAD = `
local head = redis.call('LINDEX', KEYS[1], 0)
if not head then return false end
return { head, redis.call('GET', ARGV[1] .. head) }
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`;

// BullMQ states in which the head's job will still run (or is running): the group is not stalled.
const LIVE_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

// Completed jobs are kept this long (and at most this many) so that adding a head that has already run
// — a repair racing the normal hand-off — is deduplicated by its jobId instead of running it again.
const KEEP_COMPLETED = { age: 3600, count: 10_000 };

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
  private readonly repairEveryMs: number;
  private readonly workers = new Set<BullWorker<T>>();

  constructor(private readonly options: BullQueueOptions) {
    this.prefix = `${options.prefix ?? 'sb:'}${options.name}:`;
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 100;
    this.lockMs = options.lockMs ?? 30_000;
    this.retainKeysMs = options.retainKeysMs ?? 7 * 24 * 3600_000;
    this.repairEveryMs = options.repairEveryMs ?? 30_000;
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
    const worker = new BullWorker<T>(
      this,
      handler,
      concurrency,
      this.options.url,
      this.lockMs,
      this.repairEveryMs,
      () => this.workers.delete(worker),
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

  /**
   * Finds every group whose head has no live BullMQ job — a worker died between dropping the finished head
   * and adding the next one — and does that hand-off again: a head that never became a job is added (by
   * its jobId, so a racing add keeps one job), a head whose job already completed or failed for good is
   * dropped and the next one added (the ADVANCE script, which only drops the current head). Safe to run
   * repeatedly and from several processes at once. Returns how many groups it repaired. A head whose key
   * record expired (`retainKeysMs`) cannot be re-added and is left as it is.
   */
  async repair(): Promise<number> {
    let repaired = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        'MATCH',
        `${globEscape(this.groupKey(''))}*`,
        'COUNT',
        500,
      );
      cursor = next;
      for (const listKey of keys) if (await this.repairGroup(listKey)) repaired++;
    } while (cursor !== '0');
    return repaired;
  }

  private async repairGroup(listKey: string): Promise<boolean> {
    // A cheap look first; only a group that looks stalled is claimed and looked at again.
    if (!(await this.stalledHead(listKey))) return false;
    // The claim makes concurrent sweeps (of this or other processes) count a group once: the one that
    // gets it second sees the group mended. The hand-off itself is idempotent without it.
    const claim = `${this.prefix}repairing:${listKey.slice(this.groupKey('').length)}`;
    const token = randomUUID();
    if ((await this.redis.set(claim, token, 'PX', 10_000, 'NX')) === null) return false;
    try {
      const stalled = await this.stalledHead(listKey);
      if (!stalled) return false;
      const { head, record, state } = stalled;
      if (state === 'completed' || state === 'failed') {
        // Finished, but the group was not moved on: the hand-off from it (if nobody did it meanwhile).
        const next = (await this.redis.eval(ADVANCE, 1, listKey, head, this.recordKey(''))) as
          | string
          | 0
          | null;
        if (next === 0) return false;
        if (next) await this.schedule(JSON.parse(next) as JobData<T>);
        return true;
      }
      await this.schedule(JSON.parse(record) as JobData<T>);
      return true;
    } finally {
      await this.redis.eval(RELEASE, 1, claim, token);
    }
  }

  /** The group's head when it has no live BullMQ job (and still has its record), else null. */
  private async stalledHead(
    listKey: string,
  ): Promise<{ head: string; record: string; state: string } | null> {
    const found = (await this.redis.eval(HEAD, 1, listKey, this.recordKey(''))) as
      | [string, string | null]
      | null;
    if (!found) return null;
    const [head, record] = found;
    if (!record) return null;
    const state = await this.queue.getJobState(bullId(head));
    return LIVE_STATES.has(state) ? null : { head, record, state };
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
      | 0
      | null;
    if (next) await this.schedule(JSON.parse(next) as JobData<T>);
  }

  /** @internal Adds a group's head to BullMQ; its jobId is derived from the key, so a repeat adds nothing. */
  async schedule(data: JobData<T>): Promise<void> {
    await this.queue.add('job', data, {
      jobId: bullId(data.key),
      delay: Math.max(0, data.runAt - Date.now()),
      attempts: this.attempts,
      backoff: { type: 'exponential', delay: this.backoffMs },
      removeOnComplete: KEEP_COMPLETED,
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
  private readonly repairTimer: ReturnType<typeof setInterval>;
  private repairing: Promise<void> | null = null;

  constructor(
    owner: BullQueue<T>,
    handler: JobHandler<T>,
    concurrency: number,
    url: string,
    lockMs: number,
    repairEveryMs: number,
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
    // Groups left stalled by a worker that died mid hand-off: swept now and then while processing.
    const sweep = () => {
      this.repairing ??= owner
        .repair()
        .then(
          () => {},
          () => {},
        )
        .finally(() => {
          this.repairing = null;
        });
    };
    sweep();
    this.repairTimer = setInterval(sweep, repairEveryMs);
    this.repairTimer.unref?.();
  }

  close(options: { force?: boolean } = {}): Promise<void> {
    if (options.force) this.dead = true;
    this.closed ??= (async () => {
      clearInterval(this.repairTimer);
      await this.repairing;
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

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

// BullMQ refuses custom ids containing ':' (and integer-looking ones), so the key is encoded.
function bullId(key: string): string {
  return `k${Buffer.from(key).toString('base64url')}`;
}
