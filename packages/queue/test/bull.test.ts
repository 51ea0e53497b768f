import { BullQueue } from '../src/bull-queue.js';
import { RedisRateLimiter } from '../src/redis-rate-limiter.js';
import { queueContract } from '../src/testing/contract.js';
import { describeWithRedis, redisClient, TEST_PREFIX, TEST_REDIS_URL } from './redis-harness.js';

let n = 0;

describeWithRedis('BullMQ and Redis', () => {
  queueContract('BullMQ / Redis', {
    makeQueue: (options) =>
      new BullQueue({ ...options, url: TEST_REDIS_URL, name: `q${++n}`, prefix: TEST_PREFIX }),
    makeLimiters: () => [
      new RedisRateLimiter(redisClient(), `${TEST_PREFIX}rl:`),
      new RedisRateLimiter(redisClient(), `${TEST_PREFIX}rl:`),
    ],
  });
});
