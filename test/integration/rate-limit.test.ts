/**
 * The REST rate limiters, in process and on a real Redis: N calls per one-second window, a
 * fresh budget the next second, and (Redis) one budget shared by every node.
 */
import { expect } from 'chai';
import Redis from 'ioredis';
import { LocalRateLimiter, RedisRateLimiter, type RateLimiter } from '../../services/rest/rate-limit';
import { REDIS_URL, uniqueSchema } from '../support/stores';

const SECOND = 1_700_000_000_000; // the start of a wall-clock second, in ms

async function tries(limiter: RateLimiter, key: string, limit: number, count: number, nowMs: number): Promise<boolean[]> {
  const answers: boolean[] = [];
  for (let i = 0; i < count; i++) answers.push(await limiter.allow(key, limit, nowMs));
  return answers;
}

function behavesAsARateLimiter(make: () => RateLimiter): void {
  it('allows N calls within one second and refuses the rest', async () => {
    expect(await tries(make(), 'app:cmd', 3, 5, SECOND + 10)).to.deep.equal([true, true, true, false, false]);
  });

  it('counts the whole second as one window, from its first to its last millisecond', async () => {
    const limiter = make();
    expect(await limiter.allow('app:cmd', 2, SECOND)).to.equal(true);
    expect(await limiter.allow('app:cmd', 2, SECOND + 500)).to.equal(true);
    expect(await limiter.allow('app:cmd', 2, SECOND + 999)).to.equal(false);
  });

  it('allows calls again in the next second', async () => {
    const limiter = make();
    expect(await tries(limiter, 'app:cmd', 2, 3, SECOND + 900)).to.deep.equal([true, true, false]);
    expect(await tries(limiter, 'app:cmd', 2, 3, SECOND + 1000)).to.deep.equal([true, true, false]);
  });

  it('keeps one budget per key', async () => {
    const limiter = make();
    expect(await tries(limiter, 'app:a', 1, 2, SECOND)).to.deep.equal([true, false]);
    expect(await tries(limiter, 'app:b', 1, 2, SECOND)).to.deep.equal([true, false]);
  });

  it('applies the limit given on each call', async () => {
    const limiter = make();
    expect(await tries(limiter, 'app:cmd', 1, 2, SECOND)).to.deep.equal([true, false]);
    expect(await limiter.allow('app:cmd', 5, SECOND)).to.equal(true);
  });
}

describe('rate limits', () => {
  describe('LocalRateLimiter', () => {
    behavesAsARateLimiter(() => new LocalRateLimiter());
  });

  describe('RedisRateLimiter', () => {
    const clients: Redis[] = [];
    let prefix = '';
    const connect = () => {
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      clients.push(redis);
      return redis;
    };

    beforeEach(() => {
      prefix = `${uniqueSchema('rate')}:`;
    });
    afterEach(async () => {
      const redis = clients[0];
      if (redis) {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length) await redis.del(...keys);
      }
      clients.splice(0).forEach((c) => c.disconnect());
    });

    behavesAsARateLimiter(() => new RedisRateLimiter(connect(), prefix));

    it('shares one budget between two nodes', async () => {
      const node1 = new RedisRateLimiter(connect(), prefix);
      const node2 = new RedisRateLimiter(connect(), prefix);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? node1 : node2).allow('app:cmd', 4, SECOND + 100)),
      );
      expect(answers.filter(Boolean)).to.have.length(4);
      expect(await node1.allow('app:cmd', 4, SECOND + 1100)).to.equal(true);
    });

    it('lets its counters expire within seconds', async () => {
      const redis = connect();
      await new RedisRateLimiter(redis, prefix).allow('app:cmd', 1, Date.now());
      const [key] = await redis.keys(`${prefix}*`);
      const ttl = await redis.pttl(key);
      expect(ttl).to.be.greaterThan(0).and.at.most(2000);
    });
  });
});
