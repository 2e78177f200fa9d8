/** The node's cache of global mutes that send paths read (services/accounts/mute-cache.ts). */
import { expect } from 'chai';
import { isMuted, MuteCache } from '../../../services/accounts/mute-cache';

describe('accounts: mute cache', () => {
  it('answers what it was offered, for a minute', () => {
    const cache = new MuteCache();
    cache.offer('1:a', { c2c: 5, group: 0 }, cache.changes, 1000);
    expect(cache.get('1:a', 60_999)).to.deep.equal({ c2c: 5, group: 0 });
    expect(cache.get('1:a', 61_000)).to.equal(undefined);
  });

  it('forgets a user whose mute changed, and drops an answer read while any mute changed', () => {
    const cache = new MuteCache();
    cache.offer('1:a', { c2c: 5, group: 0 }, cache.changes);
    const before = cache.changes;
    cache.forget('1:a');
    expect(cache.get('1:a')).to.equal(undefined);
    cache.offer('1:a', { c2c: 5, group: 0 }, before);
    expect(cache.get('1:a')).to.equal(undefined);
  });

  it('counts a mute as holding until its second has passed', () => {
    expect(isMuted({ c2c: 100, group: 0 }, 'c2c', 99_999)).to.equal(true);
    expect(isMuted({ c2c: 100, group: 0 }, 'c2c', 100_000)).to.equal(false);
    expect(isMuted({ c2c: 100, group: 0 }, 'group', 0)).to.equal(false);
  });
});
