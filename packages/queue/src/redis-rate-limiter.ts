import { Redis } from 'ioredis';
import type { RateLimiter, TakeRequest, TakeResult } from './contract.js';

// One atomic script: refill from the elapsed time by Redis's own clock (TIME), take one token or say
// when the next one arrives. Tokens are kept in millitokens so the arithmetic stays in integers.
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2]) * 1000
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + math.floor((now - at) * rate / 1000))
end
local ttl = math.ceil(burst / rate) + 1000
if tokens >= 1000 then
  redis.call('HSET', KEYS[1], 'tokens', tokens - 1000, 'at', now)
  redis.call('PEXPIRE', KEYS[1], ttl)
  return -1
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', KEYS[1], ttl)
return math.ceil((1000 - tokens) / rate)
`;

/** Token buckets in Redis, shared by every process using the same prefix (per-number send limits). */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'sb:rl:',
  ) {}

  async take({ key, ratePerSecond, burst }: TakeRequest): Promise<TakeResult> {
    const wait = Number(await this.redis.eval(TAKE, 1, this.prefix + key, ratePerSecond, burst));
    return wait < 0 ? { ok: true } : { ok: false, retryInMs: Math.max(1, wait) };
  }
}

/**
 * A limiter on its own connection to `url` (`redis://…`), for processes that share send limits.
 * A command that cannot reach Redis rejects (after a short retry): callers must not treat that as a
 * granted token.
 */
export function openRedisRateLimiter(
  url: string,
  /** Prefix of the buckets' keys (`<prefix>rl:<key>`): one per deployment sharing a Redis. */
  prefix = 'sb:',
): { limiter: RateLimiter; close(): Promise<void> } {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  // Connection errors surface as rejected commands; without a listener ioredis would also log them.
  redis.on('error', () => {});
  return {
    limiter: new RedisRateLimiter(redis, `${prefix}rl:`),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
