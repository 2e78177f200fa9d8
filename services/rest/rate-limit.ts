/**
 * Per-app, per-API call limits in one-second windows (Tencent counts calls per second).
 * Embedded mode counts in process; a cluster counts in Redis so every node shares one budget.
 */
import type Redis from 'ioredis';

export interface RateLimiter {
  /** True when the call fits within `limit` calls in the current second. */
  allow(key: string, limit: number, nowMs?: number): Promise<boolean>;
  /** The same answer without waiting, where the count is in process (the REST hot path then has no await). */
  allowNow?(key: string, limit: number, nowMs?: number): boolean;
}

export class LocalRateLimiter implements RateLimiter {
  private window = 0;
  private counts = new Map<string, number>();

  async allow(key: string, limit: number, nowMs = Date.now()): Promise<boolean> {
    return this.allowNow(key, limit, nowMs);
  }

  allowNow(key: string, limit: number, nowMs = Date.now()): boolean {
    const window = Math.floor(nowMs / 1000);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count <= limit;
  }
}

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'parley:rate:',
  ) {}

  async allow(key: string, limit: number, nowMs = Date.now()): Promise<boolean> {
    const redisKey = `${this.prefix}${key}:${Math.floor(nowMs / 1000)}`;
    const [[incrErr, count]] = (await this.redis.multi().incr(redisKey).pexpire(redisKey, 2000).exec()) ?? [[new Error('no reply'), 0]];
    if (incrErr) throw incrErr;
    return (count as number) <= limit;
  }
}
