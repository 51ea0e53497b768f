import type { EventInput } from '@switchboard/db';
import { BullQueue, type QueueWorker } from '@switchboard/queue';
import type { AppLogger } from '../logger.js';

const ENQUEUE_TIMEOUT_MS = 2_000;

/** A stored event, named by its dedupe key: the job carries no data the database does not hold. */
export interface EventJob {
  provider: string;
  providerEventId: string;
}

/**
 * Scale-out dispatch (DATABASE_URL + REDIS_URL): web processes enqueue one BullMQ job per stored event
 * after the commit; workers handle them. The group is the contact, so one contact's events are handled
 * one at a time and in order on whichever worker, and different contacts in parallel (see
 * packages/queue). The database stays the record: a job only names an event, its handler re-reads it
 * under lock and skips it once handled, so a repeated job (a worker died mid-job, or a re-delivered
 * webhook enqueued again) changes nothing.
 */
export class EventJobs {
  private readonly queue: BullQueue<EventJob>;

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly logger: AppLogger,
  ) {
    this.queue = new BullQueue<EventJob>({
      url: redisUrl,
      name: 'events',
      prefix,
      // A job's handler is one database transaction; a worker that stops renewing for this long died.
      lockMs: 15_000,
      attempts: 5,
      backoffMs: 500,
    });
  }

  /**
   * Enqueues a job per event, new or re-delivered alike (keys make repeats no-ops): a re-delivery whose
   * first delivery was stored by a process that died before enqueueing gets its job now. Never throws:
   * the events are stored, and the workers' sweep takes any that got no job.
   */
  async enqueue(provider: string, events: readonly EventInput[]): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Redis unreachable: commands wait for it (BullMQ needs that), but a webhook answer must not.
    const giveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from Redis in ${ENQUEUE_TIMEOUT_MS} ms`)),
        ENQUEUE_TIMEOUT_MS,
      );
    });
    try {
      const all = Promise.all(
        events.map((e) =>
          this.queue.enqueue({
            key: `${provider}:${e.providerEventId}`,
            groupKey: e.waId ? `wa:${e.waId}` : `event:${provider}:${e.providerEventId}`,
            payload: { provider, providerEventId: e.providerEventId },
          }),
        ),
      );
      all.catch(() => {}); // after a timeout, a late failure has nothing left to tell
      await Promise.race([all, giveUp]);
    } catch (error) {
      this.logger.warn(
        { err: error, events: events.length },
        'could not enqueue stored events (Redis); the workers sweep them up within a minute',
      );
    } finally {
      clearTimeout(timer);
    }
  }

  process(handler: (job: EventJob) => Promise<unknown>, concurrency: number): QueueWorker {
    return this.queue.process(async (job) => void (await handler(job.payload)), { concurrency });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
