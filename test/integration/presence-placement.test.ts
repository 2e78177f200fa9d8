/** The presence directory's placement answer (group fan-out), in process and in Redis. */
import { expect } from 'chai';
import Redis from 'ioredis';
import { LocalPresence, type NewDevice, type PresenceDirectory } from '../../services/presence/directory';
import { RedisPresence } from '../../services/presence/redis-directory';
import { REDIS_URL } from '../support/stores';

const device = (instId: string, nodeID: string, status: NewDevice['status'] = 'Online'): NewDevice => ({ instId, session: 1, platform: 'Web', status, nodeID, since: Date.now(), expiresAt: status === 'Online' ? 0 : Date.now() + 60_000, push: true });

describe('presence placement', () => {
  const prefix = `parley:test:placement:${process.pid}:${Date.now()}:`;
  let redis: Redis;
  before(() => {
    redis = new Redis(REDIS_URL);
  });
  after(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  const directories: [string, () => PresenceDirectory][] = [
    ['in process', () => new LocalPresence()],
    ['Redis', () => new RedisPresence(redis, prefix)],
  ];
  for (const [name, make] of directories) {
    it(`lists each user once per node that holds an Online device of theirs (${name})`, async () => {
      const d = make();
      const app = 1400000001;
      await d.login(app, 'a', device('a-web', 'n1'));
      await d.login(app, 'a', device('a-pc', 'n1'));
      await d.login(app, 'a', device('a-phone', 'n2'));
      await d.login(app, 'b', device('b-web', 'n2'));
      await d.login(app, 'c', device('c-phone', 'n3', 'PushOnline'));
      await d.login(app + 1, 'd', device('d-web', 'n1'));
      await d.login(app, 'e', device('e-web', 'n3'));
      await d.removeIf(app, 'e', 'e-web', 1);
      const byNode = await d.placement(app, ['a', 'b', 'c', 'd', 'e', 'nobody']);
      expect(Object.fromEntries(byNode)).to.deep.equal({ n1: ['a'], n2: ['a', 'b'] });
    });
  }
});
