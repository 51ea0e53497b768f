import { afterEach, describe, expect, it } from 'vitest';
import type { QueueOptions, RateLimiter, WorkQueue } from '../contract.js';

export interface QueueContractSubject {
  /** A fresh, empty queue (each call a new one, sharing nothing with earlier ones). */
  makeQueue: (options: QueueOptions) => WorkQueue<unknown> | Promise<WorkQueue<unknown>>;
  /** Two limiters sharing their buckets (for Redis: two clients), fresh for each call. */
  makeLimiters: () => [RateLimiter, RateLimiter] | Promise<[RateLimiter, RateLimiter]>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * The behaviour every `WorkQueue` and `RateLimiter` must have. Each implementation's test file calls this
 * with factories for fresh instances (for Redis: a key prefix of its own).
 */
export function queueContract(name: string, subject: QueueContractSubject): void {
  const open: WorkQueue<unknown>[] = [];
  const queue = async (options: QueueOptions = {}) => {
    const q = await subject.makeQueue({ backoffMs: 20, ...options });
    open.push(q);
    return q;
  };

  describe(`WorkQueue contract: ${name}`, () => {
    afterEach(async () => {
      await Promise.all(open.splice(0).map((q) => q.close()));
    });

    it('keeps one job per key however often it is enqueued', async () => {
      const q = await queue();
      expect(await q.enqueue({ key: 'e1', groupKey: 'c1', payload: 1 })).toEqual({ added: true });
      expect(await q.enqueue({ key: 'e1', groupKey: 'c1', payload: 2 })).toEqual({ added: false });
      expect(await q.enqueue({ key: 'e2', groupKey: 'c1', payload: 3 })).toEqual({ added: true });
      const seen: unknown[] = [];
      q.process(
        async (job) => {
          seen.push(job.payload);
        },
        { concurrency: 4 },
      );
      await waitFor('both jobs', () => seen.length === 2);
      await sleep(100);
      expect(await q.enqueue({ key: 'e1', groupKey: 'c1', payload: 4 })).toEqual({ added: false });
      await sleep(100);
      expect(seen).toEqual([1, 3]);
    });

    it('runs each group one job at a time in enqueue order, and groups in parallel', async () => {
      const q = await queue();
      const GROUPS = 20;
      const PER_GROUP = 50;
      const done = new Map<string, number[]>();
      const running = new Set<string>();
      const overlaps: string[] = [];
      let concurrent = 0;
      let maxConcurrent = 0;
      q.process(
        async (job) => {
          const { group, seq } = job.payload as { group: string; seq: number };
          if (running.has(group)) overlaps.push(`${group}#${seq}`);
          running.add(group);
          maxConcurrent = Math.max(maxConcurrent, ++concurrent);
          await sleep(Math.random() * 3);
          concurrent--;
          running.delete(group);
          done.set(group, [...(done.get(group) ?? []), seq]);
        },
        { concurrency: 8 },
      );
      const enqueues: Promise<unknown>[] = [];
      for (let seq = 0; seq < PER_GROUP; seq++)
        for (let g = 0; g < GROUPS; g++) {
          const group = `contact-${g}`;
          // One group's jobs are enqueued in order; different groups' enqueues interleave freely.
          enqueues.push(q.enqueue({ key: `${group}:${seq}`, groupKey: group, payload: { group, seq } }));
        }
      await Promise.all(enqueues);
      const total = () => [...done.values()].reduce((n, s) => n + s.length, 0);
      await waitFor('all jobs', () => total() === GROUPS * PER_GROUP, 30_000);
      expect(overlaps).toEqual([]);
      const inOrder = Array.from({ length: PER_GROUP }, (_, i) => i);
      for (let g = 0; g < GROUPS; g++) expect(done.get(`contact-${g}`)).toEqual(inOrder);
      expect(maxConcurrent).toBeGreaterThan(1);
      expect(maxConcurrent).toBeLessThanOrEqual(8);
    }, 40_000);

    it('retries a failing job with backoff, then keeps it as failed and goes on with its group', async () => {
      const q = await queue({ attempts: 3, backoffMs: 30 });
      const tries: Array<{ attempt: number; at: number }> = [];
      const seen: string[] = [];
      q.process(
        async (job) => {
          if (job.key === 'bad') {
            tries.push({ attempt: job.attempt, at: Date.now() });
            throw new Error('Meta said no');
          }
          seen.push(job.key);
        },
        { concurrency: 2 },
      );
      await q.enqueue({ key: 'bad', groupKey: 'c1', payload: { n: 1 } });
      await q.enqueue({ key: 'after', groupKey: 'c1', payload: { n: 2 } });
      await waitFor('the next job of the group', () => seen.includes('after'));
      expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
      expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(25);
      // The group may go on a moment before the dead letter is written.
      await waitFor('the dead letter', async () => (await q.failed()).length > 0);
      const failed = await q.failed();
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        key: 'bad',
        groupKey: 'c1',
        payload: { n: 1 },
        attempts: 3,
        error: expect.stringContaining('Meta said no'),
      });
    });

    it('does not hand out a delayed job before its runAt', async () => {
      const q = await queue();
      const ranAt: number[] = [];
      q.process(
        async () => {
          ranAt.push(Date.now());
        },
        { concurrency: 2 },
      );
      const runAt = new Date(Date.now() + 400);
      await q.enqueue({ key: 'later', groupKey: 'c1', payload: null, runAt });
      await q.enqueue({ key: 'now', groupKey: 'c2', payload: null });
      await waitFor('both jobs', () => ranAt.length === 2);
      expect(Math.max(...ranAt)).toBeGreaterThanOrEqual(runAt.getTime());
    });

    it("hands a dead worker's job to another worker after the lock timeout", async () => {
      const q = await queue({ lockMs: 800 });
      let started = 0;
      const dead = q.process(
        async () => {
          started++;
          await new Promise(() => {}); // hangs, as a worker that died mid-job
        },
        { concurrency: 1 },
      );
      await q.enqueue({ key: 'j1', groupKey: 'c1', payload: null });
      await q.enqueue({ key: 'j2', groupKey: 'c1', payload: null });
      await waitFor('the first worker to take the job', () => started === 1);
      await dead.close({ force: true });
      const seen: Array<{ key: string; attempt: number }> = [];
      q.process(
        async (job) => {
          seen.push({ key: job.key, attempt: job.attempt });
        },
        { concurrency: 1 },
      );
      await waitFor('the job to be redone elsewhere', () => seen.length === 2, 15_000);
      expect(seen.map((s) => s.key)).toEqual(['j1', 'j2']);
    }, 20_000);

    it('finishes in-flight jobs on a graceful close, and they are not redone', async () => {
      const q = await queue({ lockMs: 800 });
      let finished = 0;
      let started = 0;
      const worker = q.process(
        async () => {
          started++;
          await sleep(300);
          finished++;
        },
        { concurrency: 1 },
      );
      await q.enqueue({ key: 'slow', groupKey: 'c1', payload: null });
      await waitFor('the job to start', () => started === 1);
      await worker.close();
      expect(finished).toBe(1);
      let redone = 0;
      q.process(
        async () => {
          redone++;
        },
        { concurrency: 1 },
      );
      await sleep(1500);
      expect(redone).toBe(0);
    });

    it('has nothing to repair while every group is healthy', async () => {
      const q = await queue();
      await q.enqueue({ key: 'h1', groupKey: 'c1', payload: null });
      await q.enqueue({ key: 'h2', groupKey: 'c1', payload: null });
      await q.enqueue({ key: 'h3', groupKey: 'c2', payload: null, runAt: new Date(Date.now() + 300) });
      expect(await q.repair()).toBe(0);
      const seen: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      q.process(
        async (job) => {
          if (job.key === 'h1') await held;
          seen.push(job.key);
        },
        { concurrency: 2 },
      );
      await sleep(100);
      expect(await q.repair()).toBe(0); // h1 in flight, h3 delayed
      release();
      await waitFor('every job', () => seen.length === 3);
      expect(await q.repair()).toBe(0);
      expect([...seen].sort()).toEqual(['h1', 'h2', 'h3']);
      expect(seen.indexOf('h1')).toBeLessThan(seen.indexOf('h2'));
    });
  });

  describe(`RateLimiter contract: ${name}`, () => {
    it('grants the burst, then about the rate, across two clients sharing a key', async () => {
      const [a, b] = await subject.makeLimiters();
      const req = { key: `num-${Math.random()}`, ratePerSecond: 20, burst: 5 };
      const started = Date.now();
      let granted = 0;
      const retries: number[] = [];
      const hammer = async (limiter: RateLimiter) => {
        while (Date.now() - started < 1000) {
          const r = await limiter.take(req);
          if (r.ok) granted++;
          else retries.push(r.retryInMs);
          await sleep(2);
        }
      };
      await Promise.all([hammer(a), hammer(b)]);
      const elapsed = (Date.now() - started) / 1000;
      expect(granted).toBeLessThanOrEqual(req.burst + req.ratePerSecond * elapsed + 1);
      expect(granted).toBeGreaterThanOrEqual(req.burst + req.ratePerSecond * 0.8 - 2);
      expect(retries.length).toBeGreaterThan(0);
      for (const ms of retries) {
        expect(ms).toBeGreaterThan(0);
        expect(ms).toBeLessThanOrEqual(1000 / req.ratePerSecond + 1);
      }
    });

    it('says when to retry, and grants again after that', async () => {
      const [a] = await subject.makeLimiters();
      const req = { key: `num-${Math.random()}`, ratePerSecond: 10, burst: 2 };
      expect(await a.take(req)).toEqual({ ok: true });
      expect(await a.take(req)).toEqual({ ok: true });
      const denied = await a.take(req);
      expect(denied.ok).toBe(false);
      if (denied.ok) return;
      expect(denied.retryInMs).toBeGreaterThan(50);
      expect(denied.retryInMs).toBeLessThanOrEqual(100);
      await sleep(denied.retryInMs + 5);
      expect(await a.take(req)).toEqual({ ok: true });
      // Keys are separate buckets.
      expect(await a.take({ ...req, key: `${req.key}-other` })).toEqual({ ok: true });
    });
  });
}
