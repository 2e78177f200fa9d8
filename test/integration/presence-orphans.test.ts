/**
 * A node that dies leaves its users' devices in the Redis directory. The directory lists each
 * node's Online devices and each node's liveness, so another node's sweep reports those
 * devices gone (Disconnect to the app backend) instead of leaving them Online for ever.
 */
import { expect } from 'chai';
import Redis from 'ioredis';
import type { DeviceRecord, NewDevice } from '../../services/presence/directory';
import { RedisPresence } from '../../services/presence/redis-directory';
import { TestBackend } from '../support/backend';
import { until } from '../support/cluster';
import { REDIS_URL } from '../support/stores';
import { SDKAPPID, SERVICES, startNode } from './webhooks-support';

const APP = 1400000002;
const device = (instId: string, nodeID: string, extra: Partial<NewDevice> = {}): NewDevice => ({ instId, session: 1, platform: 'Web', status: 'Online', nodeID, since: Date.now(), expiresAt: 0, push: false, ...extra });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('presence: the devices of a dead node', function () {
  this.timeout(30_000);
  const root = `parley:test:orphans:${process.pid}:${Date.now()}:`;
  let tests = 0;
  /** A directory of its own per test: liveness keys lapse at their own pace. */
  const directory = (nodeTtlMs: number) => {
    const prefix = `${root}${++tests}:`;
    return { d: new RedisPresence(redis, prefix, nodeTtlMs), prefix };
  };
  let redis: Redis;
  before(() => {
    redis = new Redis(REDIS_URL);
  });
  after(async () => {
    const keys = await redis.keys(`${root}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('lists the Online devices of a node whose liveness lapsed, and none of a live node', async () => {
    const { d } = directory(200);
    await d.login(APP, 'a', device('a-web', 'dead'));
    await d.login(APP, 'b', device('b-web', 'live'));
    await d.login(APP, 'c', device('c-phone', 'dead', { platform: 'iPhone', push: true }));
    await d.patchIf(APP, 'c', 'c-phone', 1, { status: 'PushOnline', expiresAt: Date.now() + 60_000 });
    await d.login(APP, 'e', device('e-web', 'dead'));
    await d.removeIf(APP, 'e', 'e-web', 1);
    await d.login(APP, 'f', device('f-pc', 'dead'));
    await d.login(APP, 'f', device('f-pc', 'live', { session: 2 }));
    await sleep(120);
    await d.touchNode('live');
    await sleep(120);
    const orphans = await d.orphans(100);
    expect(orphans.map((o) => [o.userId, o.device.instId, o.device.nodeID])).to.deep.equal([['a', 'a-web', 'dead']]);
  });

  it('counts a node restarted under the same id as a new holder: the old process’s devices are orphans', async () => {
    const { d } = directory(100);
    await d.login(APP, 'h', device('h-web', 'n1', { instance: 'before' }));
    await d.login(APP, 'i', device('i-web', 'n1', { instance: 'after' }));
    await sleep(60);
    await d.touchNode('n1#after');
    await sleep(60);
    expect((await d.orphans(100)).map((o) => [o.userId, o.device.instance])).to.deep.equal([['h', 'before']]);
  });

  it('forgets a dead node once it has no devices left', async () => {
    const { d, prefix } = directory(50);
    await d.login(APP, 'g', device('g-web', 'gone'));
    await sleep(80);
    const [orphan] = await d.orphans(100);
    expect(orphan.device.instId).to.equal('g-web');
    await d.removeIf(APP, 'g', 'g-web', 1);
    await redis.del(`${prefix}claim:gone`);
    expect(await d.orphans(100)).to.deep.equal([]);
    expect(await redis.sismember(`${prefix}nodes`, 'gone')).to.equal(0);
  });

  it('reports the users of a node that stopped renewing its liveness as disconnected, and lets them go', async () => {
    const backend = new TestBackend();
    await backend.start();
    const env = { PARLEY_CALLBACK_URL: backend.url, PARLEY_REDIS: REDIS_URL, PARLEY_PRESENCE_NODE_TTL_SEC: '1', PARLEY_PRESENCE_SWEEP_SEC: '1' };
    const node = await startNode(env, undefined, [...SERVICES, 'presence']);
    try {
      const user = `orphan${Date.now()}`;
      const ghost = `ghost-${process.pid}-${Date.now()}`;
      await node.broker.call('presence.login', { app: SDKAPPID, userId: user, device: device('w1', ghost) });
      await backend.waitFor(() => backend.of('State.StateChange').some((r) => JSON.stringify(r.body).includes('Disconnect') && JSON.stringify(r.body).includes(user)), 'the disconnect', 15_000);
      const changes = backend.of('State.StateChange').filter((r) => JSON.stringify(r.body).includes(user)).map((r) => r.body.Info);
      expect(changes).to.deep.equal([
        { Action: 'Login', To_Account: user, Reason: 'Register' },
        { Action: 'Disconnect', To_Account: user, Reason: 'LinkClose' },
      ]);
      // The report is stored before the directory lets the device go (at least once, never lost),
      // so the callback can arrive a moment before the removal.
      const devices = async () => (await node.broker.call<Record<string, DeviceRecord[]>, object>('presence.query', { app: SDKAPPID, users: [user] }))[user];
      await until('the device to be let go', async () => (await devices()).length === 0, 5000);
      expect(await devices()).to.deep.equal([]);
    } finally {
      await node.stop();
      await backend.stop();
    }
  });
});
