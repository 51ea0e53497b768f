import { afterEach, expect, it } from 'vitest';
import { BullQueue, type BullQueueOptions } from '../src/bull-queue.js';
import { describeWithRedis, TEST_PREFIX, TEST_REDIS_URL } from './redis-harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let n = 0;
const open: BullQueue<unknown>[] = [];

function queue(options: Partial<BullQueueOptions> = {}): BullQueue<unknown> {
  const q = new BullQueue<unknown>({
    url: TEST_REDIS_URL,
    name: `repair${++n}`,
    prefix: TEST_PREFIX,
    backoffMs: 20,
    // Only the sweeps a test asks for (and the one at `process` start).
    repairEveryMs: 3_600_000,
    ...options,
  });
  open.push(q);
  return q;
}

/** A second "process" on the same queue: its own connections, same Redis keys. */
function sameQueue(q: BullQueue<unknown>, options: Partial<BullQueueOptions> = {}): BullQueue<unknown> {
  return queue({ name: q.bullName().name, ...options });
}

/**
 * The crash window: the worker that finished a group's head has run the hand-off's script (the head is
 * dropped from the group's line) and dies before adding the next head to BullMQ. Here the add is
 * dropped instead; the finished head's job then completes, which is also where a real crash ends up once
 * BullMQ redoes the stalled head (the script no longer finds it at the head, so it adds nothing).
 */
function dropNextHandOff(q: BullQueue<unknown>): void {
  const schedule = q.schedule.bind(q);
  let dropped = false;
  q.schedule = async (data) => {
    if (dropped) return schedule(data);
    dropped = true;
  };
}

/** Enqueues j1..j3 for contact c1 and lets the hand-off after j1 be lost: j2 and j3 are stuck. */
async function stallAfterFirst(q: BullQueue<unknown>, seen: string[]): Promise<void> {
  for (const key of ['j1', 'j2', 'j3']) await q.enqueue({ key, groupKey: 'c1', payload: null });
  dropNextHandOff(q);
  const worker = q.process(
    async (job) => {
      // Long enough for the sweep at `process` start to have finished before the hand-off is lost.
      if (job.key === 'j1') await sleep(300);
      seen.push(job.key);
    },
    { concurrency: 2 },
  );
  await waitFor('j1', () => seen.includes('j1'));
  await worker.close();
}

describeWithRedis('BullQueue repair', () => {
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close()));
  });

  it('leaves a group stuck when a hand-off is lost, and repair() runs the rest in order', async () => {
    const q = queue();
    const seen: string[] = [];
    for (const key of ['j1', 'j2', 'j3']) await q.enqueue({ key, groupKey: 'c1', payload: null });
    await q.enqueue({ key: 'o1', groupKey: 'c2', payload: null });
    dropNextHandOff(q);
    q.process(
      async (job) => {
        if (job.key === 'j1') await sleep(300);
        seen.push(job.key);
      },
      { concurrency: 4 },
    );
    await waitFor('j1', () => seen.includes('j1'));
    await sleep(1500);
    // Without a repair the group never goes on (its other contacts are not affected).
    expect(seen.sort()).toEqual(['j1', 'o1']);

    expect(await q.repair()).toBe(1);
    await waitFor('the rest of the group', () => seen.length === 4);
    expect(seen.filter((k) => k.startsWith('j'))).toEqual(['j1', 'j2', 'j3']);
    expect(await q.repair()).toBe(0);
    await sleep(300);
    expect(seen).toHaveLength(4);
  }, 20_000);

  it('repairs a stalled group once, however often and from however many processes it runs', async () => {
    const q = queue();
    const seen: string[] = [];
    await stallAfterFirst(q, seen);
    const other = sameQueue(q);
    const repaired = await Promise.all([q.repair(), other.repair(), q.repair(), other.repair()]);
    expect(repaired.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await q.repair()).toBe(0);
    expect(await other.repair()).toBe(0);

    q.process(
      async (job) => {
        seen.push(job.key);
      },
      { concurrency: 4 },
    );
    other.process(
      async (job) => {
        seen.push(job.key);
      },
      { concurrency: 4 },
    );
    await waitFor('the rest of the group', () => seen.length === 3);
    await sleep(500);
    expect(seen).toEqual(['j1', 'j2', 'j3']);
  }, 20_000);

  it('moves a group on whose head failed for good but was not handed on', async () => {
    const q = queue({ attempts: 1 });
    const seen: string[] = [];
    // The worker dies right after BullMQ keeps j1 as failed, before the group is moved on.
    const advance = q.advance.bind(q);
    q.advance = async (groupKey, key) => {
      if (key !== 'j1') await advance(groupKey, key);
    };
    q.process(
      async (job) => {
        // j1 fails only after the sweep `process` starts with is over (a loaded machine can make that
        // sweep slow): that sweep would otherwise repair the group, which is this test's second half.
        if (job.key === 'j1') await sleep(500).then(() => Promise.reject(new Error('boom')));
        seen.push(job.key);
      },
      { concurrency: 2 },
    );
    for (const key of ['j1', 'j2', 'j3']) await q.enqueue({ key, groupKey: 'c1', payload: null });
    await waitFor('the dead letter', async () => (await q.failed()).length === 1);
    await sleep(1000);
    expect(seen).toEqual([]);

    q.advance = advance;
    expect(await q.repair()).toBe(1);
    await waitFor('the rest of the group', () => seen.length === 2);
    expect(seen).toEqual(['j2', 'j3']);
    expect(await q.repair()).toBe(0);
    expect((await q.failed()).map((f) => f.key)).toEqual(['j1']);
  }, 20_000);

  it('sweeps by itself when a worker starts', async () => {
    const q = queue();
    const seen: string[] = [];
    await stallAfterFirst(q, seen);
    await sleep(500);
    expect(seen).toEqual(['j1']);
    q.process(
      async (job) => {
        seen.push(job.key);
      },
      { concurrency: 2 },
    );
    await waitFor('the rest of the group', () => seen.length === 3);
    expect(seen).toEqual(['j1', 'j2', 'j3']);
  }, 20_000);

  it('sweeps every repairEveryMs while processing', async () => {
    const q = queue({ repairEveryMs: 400 });
    const seen: string[] = [];
    for (const key of ['j1', 'j2', 'j3']) await q.enqueue({ key, groupKey: 'c1', payload: null });
    dropNextHandOff(q);
    q.process(
      async (job) => {
        if (job.key === 'j1') await sleep(100);
        seen.push(job.key);
      },
      { concurrency: 2 },
    );
    await waitFor('the rest of the group', () => seen.length === 3, 5_000);
    expect(seen).toEqual(['j1', 'j2', 'j3']);
  }, 20_000);
});
