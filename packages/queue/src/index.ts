export { BullQueue, type BullQueueOptions } from './bull-queue.js';
export type {
  EnqueueRequest,
  FailedJob,
  JobHandler,
  QueueJob,
  QueueOptions,
  QueueWorker,
  RateLimiter,
  TakeRequest,
  TakeResult,
  WorkQueue,
} from './contract.js';
export { InProcessQueue } from './memory-queue.js';
export { InProcessRateLimiter } from './memory-rate-limiter.js';
export { openRedisRateLimiter, RedisRateLimiter } from './redis-rate-limiter.js';
