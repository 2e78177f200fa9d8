/** The node's cache of the relation flags one-to-one sends check (services/friends/flag-cache.ts). */
import { expect } from 'chai';
import { RelationFlagCache } from '../../../services/friends/flag-cache';

const APP = 1_400_000_000;

describe('relation flag cache', () => {
  it('asks once per recipient and sender, then answers from memory', async () => {
    const cache = new RelationFlagCache();
    let reads = 0;
    const read = async () => (++reads, 4);
    expect(await cache.flags(APP, 'bob', 'alice', read)).to.equal(4);
    expect(await cache.flags(APP, 'bob', 'alice', read)).to.equal(4);
    expect(await cache.flags(APP, 'bob', 'carol', read)).to.equal(4);
    expect(reads).to.equal(2);
  });

  it('asks again after the recipient’s chain changed', async () => {
    const cache = new RelationFlagCache();
    let flags = 0;
    await cache.flags(APP, 'bob', 'alice', async () => flags);
    flags = 1;
    cache.forget(APP, 'bob');
    expect(await cache.flags(APP, 'bob', 'alice', async () => flags)).to.equal(1);
  });

  it('does not keep an answer read while a chain changed: it may predate the change', async () => {
    const cache = new RelationFlagCache();
    let release: (flags: number) => void = () => undefined;
    const slow = cache.flags(APP, 'bob', 'alice', () => new Promise<number>((r) => (release = r)));
    cache.forget(APP, 'bob');
    release(0);
    expect(await slow).to.equal(0);
    expect(await cache.flags(APP, 'bob', 'alice', async () => 1)).to.equal(1);
  });

  it('trusts an answer for a minute at most', async () => {
    const cache = new RelationFlagCache();
    let now = 1_000;
    await cache.flags(APP, 'bob', 'alice', async () => 0, () => now);
    now += 59_000;
    expect(await cache.flags(APP, 'bob', 'alice', async () => 1, () => now)).to.equal(0);
    now += 2_000;
    expect(await cache.flags(APP, 'bob', 'alice', async () => 1, () => now)).to.equal(1);
  });

  it('keeps apps apart', async () => {
    const cache = new RelationFlagCache();
    await cache.flags(APP, 'bob', 'alice', async () => 1);
    expect(await cache.flags(APP + 1, 'bob', 'alice', async () => 2)).to.equal(2);
  });
});
