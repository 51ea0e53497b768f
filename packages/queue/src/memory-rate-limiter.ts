import type { RateLimiter, TakeRequest, TakeResult } from './contract.js';

/** Token buckets in this process's memory (the embedded mode: one process sends). */
export class InProcessRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number = () => performance.timeOrigin + performance.now()) {}

  async take({ key, ratePerSecond, burst }: TakeRequest): Promise<TakeResult> {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) * ratePerSecond) / 1000);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return { ok: true };
    }
    this.buckets.set(key, { tokens, at: now });
    return { ok: false, retryInMs: Math.max(1, Math.ceil(((1 - tokens) * 1000) / ratePerSecond)) };
  }
}
