import { expect } from 'chai';
import { HashRing } from '../../../runtime/ring';

const keys = Array.from({ length: 10_000 }, (_, i) => `user:1400000000:u${i}`);

describe('consistent hash ring', () => {
  it('gives every key an owner, the same on every node that builds the ring', () => {
    const a = new HashRing(['n1', 'n2', 'n3']);
    const b = new HashRing(['n3', 'n1', 'n2']);
    for (const key of keys) expect(a.owner(key)).to.equal(b.owner(key));
  });

  it('spreads keys roughly evenly over the nodes', () => {
    const ring = new HashRing(['n1', 'n2', 'n3']);
    const counts = new Map<string, number>();
    for (const key of keys) counts.set(ring.owner(key)!, (counts.get(ring.owner(key)!) ?? 0) + 1);
    for (const n of counts.values()) expect(n).to.be.within(2_500, 4_200);
  });

  it('moves only the keys of a node that leaves', () => {
    const before = new HashRing(['n1', 'n2', 'n3']);
    const after = new HashRing(['n1', 'n3']);
    for (const key of keys) {
      if (before.owner(key) !== 'n2') expect(after.owner(key)).to.equal(before.owner(key));
    }
  });

  it('has no owner when no node hosts the kind', () => {
    expect(new HashRing([]).owner('k')).to.equal(undefined);
  });
});
