import { InProcessQueue } from '../src/memory-queue.js';
import { InProcessRateLimiter } from '../src/memory-rate-limiter.js';
import { queueContract } from '../src/testing/contract.js';

queueContract('in-process', {
  makeQueue: (options) => new InProcessQueue(options),
  makeLimiters: () => {
    const limiter = new InProcessRateLimiter();
    return [limiter, limiter];
  },
});
