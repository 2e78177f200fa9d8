/**
 * The placement cache of a cluster node: what it keeps, what a forget drops (and a fill that
 * overlapped the forget does not bring back), and how long it trusts an entry.
 */
import { expect } from 'chai';
import { LocalPresence, type DeviceRecord } from '../../../services/presence/directory';
import { ForgettingDirectory, PlacementCache } from '../../../services/presence/placement-cache';

const APP = 1400000001;

const device = (instId: string, nodeID: string, status: DeviceRecord['status'] = 'Online') => ({
  instId,
  session: 1,
  platform: 'Web',
  status,
  nodeID,
  since: 1,
  expiresAt: 0,
  push: false,
});

/** A directory that counts its reads and can hold one read until released. */
class CountingSource extends LocalPresence {
  reads = 0;
  private gate?: Promise<void>;
  private open?: () => void;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  override async devicesOfMany(app: number, userIds: string[], now?: number) {
    this.reads++;
    const found = await super.devicesOfMany(app, userIds, now);
    await this.gate;
    return found;
  }

  override async placement(app: number, userIds: string[]) {
    this.reads++;
    const found = await super.placement(app, userIds);
    await this.gate;
    return found;
  }
}

describe('placement cache', () => {
  let now: number;
  let source: CountingSource;
  let cache: PlacementCache;

  beforeEach(async () => {
    now = 1_000_000;
    source = new CountingSource();
    cache = new PlacementCache(source, 5000, 3, () => now);
    await source.login(APP, 'bob', device('b1', 'n2'));
  });

  it('reads each user from the directory once, then from memory', async () => {
    const first = await cache.devicesOfMany(APP, ['bob', 'carol'], now);
    const second = await cache.devicesOfMany(APP, ['bob', 'carol'], now);
    expect(source.reads).to.equal(1);
    expect(second.get('bob')!.map((d) => d.nodeID)).to.deep.equal(['n2']);
    expect(second.get('carol')).to.deep.equal([]);
    expect(second).to.deep.equal(first);
    expect([cache.hits, cache.misses]).to.deep.equal([2, 2]);
  });

  it('answers group placement from the devices a one-to-one delivery cached, and the other way round', async () => {
    await cache.devicesOfMany(APP, ['bob'], now);
    expect([...(await cache.placement(APP, ['bob']))]).to.deep.equal([['n2', ['bob']]]);
    expect(source.reads).to.equal(1);
    await source.login(APP, 'dave', device('d1', 'n3'));
    expect([...(await cache.placement(APP, ['dave', 'erin']))]).to.deep.equal([['n3', ['dave']]]);
    expect([...(await cache.placement(APP, ['dave', 'erin', 'bob']))]).to.deep.equal([['n3', ['dave']], ['n2', ['bob']]]);
    expect(source.reads).to.equal(2);
  });

  it('reads a forgotten user afresh', async () => {
    await cache.devicesOfMany(APP, ['carol'], now);
    await source.login(APP, 'carol', device('c1', 'n1'));
    cache.forget(APP, ['carol']);
    expect((await cache.devicesOfMany(APP, ['carol'], now)).get('carol')!.map((d) => d.nodeID)).to.deep.equal(['n1']);
    expect(source.reads).to.equal(2);
  });

  it('uses but does not keep a read that a forget of the same user overlapped', async () => {
    source.hold();
    const reading = cache.devicesOfMany(APP, ['carol'], now);
    await source.login(APP, 'carol', device('c1', 'n1'));
    cache.forget(APP, ['carol']);
    source.release();
    await reading;
    expect((await cache.devicesOfMany(APP, ['carol'], now)).get('carol')!.map((d) => d.nodeID)).to.deep.equal(['n1']);
    expect(source.reads).to.equal(2);
  });

  it('keeps a read that only other users were forgotten during', async () => {
    source.hold();
    const reading = cache.devicesOfMany(APP, ['bob'], now);
    cache.forget(APP, ['carol']);
    source.release();
    await reading;
    await cache.devicesOfMany(APP, ['bob'], now);
    expect(source.reads).to.equal(1);
  });

  it('keeps nothing read before a clear', async () => {
    source.hold();
    const reading = cache.placement(APP, ['bob']);
    cache.clear();
    source.release();
    await reading;
    await cache.placement(APP, ['bob']);
    expect(source.reads).to.equal(2);
  });

  it('reads again once an entry is older than the TTL', async () => {
    await cache.devicesOfMany(APP, ['bob'], now);
    now += 4999;
    await cache.devicesOfMany(APP, ['bob'], now);
    now += 2;
    await cache.devicesOfMany(APP, ['bob'], now);
    expect(source.reads).to.equal(2);
  });

  it('holds at most its maximum of users, dropping the oldest', async () => {
    await cache.devicesOfMany(APP, ['u1', 'u2', 'u3'], now);
    await cache.devicesOfMany(APP, ['u4'], now);
    expect(cache.size).to.equal(3);
    await cache.devicesOfMany(APP, ['u2', 'u3', 'u4'], now);
    expect(source.reads).to.equal(2);
    await cache.devicesOfMany(APP, ['u1'], now);
    expect(source.reads).to.equal(3);
  });

  describe('the directory that announces its writes', () => {
    const announced: [string[], boolean][] = [];
    const directory = new ForgettingDirectory(new LocalPresence(), async (_app, userIds, wait) => void announced.push([userIds, wait]));

    it('announces a login and waits for it, and announces removals and changes without waiting', async () => {
      await directory.login(APP, 'bob', device('b1', 'n2'));
      await directory.patchIf(APP, 'bob', 'b1', 1, { status: 'PushOnline', expiresAt: 10 });
      await directory.takeExpired(11, 10);
      expect(announced).to.deep.equal([
        [['bob'], true],
        [['bob'], false],
        [['bob'], false],
      ]);
    });

    it('announces nothing for a write that changed nothing', async () => {
      const before = announced.length;
      expect(await directory.removeIf(APP, 'nobody', 'x', 1)).to.equal(undefined);
      expect(await directory.patchIf(APP, 'nobody', 'x', 1, { push: true })).to.equal(undefined);
      expect(announced.length).to.equal(before);
    });
  });
});
