import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';

/**
 * Redis for tests: the machine's server (SWITCHBOARD_TEST_REDIS_URL, default 127.0.0.1:6379). Each test
 * file gets a key prefix of its own, and its keys are deleted afterwards.
 */
export const TEST_REDIS_URL = process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** CI sets this: there an unreachable Redis is a failure, not a skip. */
const servicesRequired = process.env.SWITCHBOARD_REQUIRE_SERVICES === '1';

const HOW_TO_START =
  'start it with `redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" ' +
  '--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log` (or set SWITCHBOARD_TEST_REDIS_URL)';

async function reachability(): Promise<string | null> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (err) {
    return `Redis unreachable at ${TEST_REDIS_URL} (${(err as Error).message}): ${HOW_TO_START}`;
  } finally {
    redis.disconnect();
  }
}

const missingRedis = await reachability();

/** A key prefix for this test file, e.g. `sbtest:1a2b3c:`; every key under it is deleted after the file. */
export const TEST_PREFIX = `sbtest:${randomBytes(6).toString('hex')}:`;

/**
 * `describe` for tests against Redis. Without a server they are skipped, and the skipped block's title
 * says how to start one; with SWITCHBOARD_REQUIRE_SERVICES=1 they run and fail instead.
 */
export function describeWithRedis(title: string, body: () => void): void {
  if (missingRedis && !servicesRequired) {
    console.warn(`queue: skipping "${title}": ${missingRedis}`);
    describe.skip(`${title} (skipped: ${missingRedis})`, body);
    return;
  }
  describe(title, () => {
    if (missingRedis) throw new Error(missingRedis);
    afterAll(cleanPrefix);
    body();
  });
}

const clients: Redis[] = [];

/** A client closed after the file. */
export function redisClient(): Redis {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  clients.push(redis);
  return redis;
}

async function cleanPrefix(): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${TEST_PREFIX}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
    for (const c of clients.splice(0)) c.disconnect();
  }
}
