/**
 * The cluster's set of users with a push device, on a real Redis (services/push/registered-redis.ts):
 * it answers nothing until the log was copied in, then exactly who registered, per app; a
 * registration or the removal of a last device shows at once, from any node's connection.
 */
import { expect } from 'chai';
import Redis from 'ioredis';
import { RedisRegistrations } from '../../../services/push/registered-redis';
import { REDIS_URL, uniqueSchema } from '../../support/stores';

describe('push registrations in Redis', () => {
  const prefix = `parley:test:${uniqueSchema('reg')}`;
  const clients: Redis[] = [];
  const connect = () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    clients.push(redis);
    return redis;
  };
  after(async () => {
    const redis = clients[0] ?? connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('answers nothing before the log was copied in, so that everyone counts as registered', async () => {
    const node1 = new RedisRegistrations(connect(), prefix);
    await node1.set(1, 'live', true);
    expect(await node1.among(1, ['live', 'other'])).to.equal(undefined);
  });

  it('after the copy, answers exactly the registered users of each app, as every node sees them', async () => {
    const node1 = new RedisRegistrations(connect(), prefix);
    const node2 = new RedisRegistrations(connect(), prefix);
    await node1.seed(['1:a', '1:b', '2:c']);
    expect([...(await node2.among(1, ['a', 'b', 'c', 'live', 'x']))!].sort()).to.deep.equal(['a', 'b', 'live']);
    expect([...(await node2.among(2, ['a', 'c']))!]).to.deep.equal(['c']);
    expect([...(await node2.among(1, []))!]).to.deep.equal([]);
  });

  it('takes a registration and the removal of a last device at once', async () => {
    const owner = new RedisRegistrations(connect(), prefix);
    const runner = new RedisRegistrations(connect(), prefix);
    await owner.set(1, 'x', true);
    await owner.set(1, 'a', false);
    expect([...(await runner.among(1, ['a', 'b', 'x']))!].sort()).to.deep.equal(['b', 'x']);
  });
});
