/**
 * A user's follow lists: given events, when command, then events and per-item codes (30001
 * following oneself, 30010 past the following limit), and the lists and types read back.
 */
import { expect } from 'chai';
import { decide, FOLLOW_ADDED, FOLLOW_CODES, FOLLOW_LIMITS, FOLLOW_REMOVED, type FollowEvent, type FollowPage, type ItemResult } from '../../../../actors/follow';
import { evolve, initialState } from '../../../../actors/follow/state';

const NOW = 1_796_000_000_000;
const following = (user: string, at = NOW): FollowEvent => ({ type: FOLLOW_ADDED, data: { side: 'following', user, at } });
const follower = (user: string, at = NOW): FollowEvent => ({ type: FOLLOW_ADDED, data: { side: 'follower', user, at } });
const given = (events: FollowEvent[]) => events.reduce(evolve, initialState());

describe('follow decider', () => {
  it('follows new users once, refuses oneself, and answers each item', () => {
    const s = given([following('bob')]);
    const { events, reply } = decide(s, { op: 'follow', me: 'alice', users: ['bob', 'carol', 'alice'], now: NOW });
    expect(events).to.deep.equal([following('carol')]);
    expect((reply as ItemResult[]).map((r) => [r.user, r.code, r.changed])).to.deep.equal([['bob', 0, false], ['carol', 0, true], ['alice', FOLLOW_CODES.INVALID, false]]);
  });

  it('refuses follows past the limit per item and stores the ones within it', () => {
    const s = given(Array.from({ length: FOLLOW_LIMITS.following - 1 }, (_, i) => following(`u${i}`)));
    const { events, reply } = decide(s, { op: 'follow', me: 'alice', users: ['x', 'y'], now: NOW });
    expect(events).to.deep.equal([following('x')]);
    expect((reply as ItemResult[]).map((r) => r.code)).to.deep.equal([0, FOLLOW_CODES.TOO_MANY]);
  });

  it('unfollows only whom the user follows', () => {
    const s = given([following('bob')]);
    expect(decide(s, { op: 'unfollow', me: 'alice', users: ['bob', 'carol'], now: NOW }).events).to.deep.equal([{ type: FOLLOW_REMOVED, data: { side: 'following', user: 'bob', at: NOW } }]);
  });

  it('writes the follower side idempotently', () => {
    const s = given([follower('bob')]);
    expect(decide(s, { op: 'addFollower', user: 'bob', now: NOW }).events).to.deep.equal([]);
    expect(decide(s, { op: 'removeFollower', user: 'carol', now: NOW }).events).to.deep.equal([]);
  });

  it('reads mutual follows, types and pages in the order the follows began', () => {
    const s = given([following('bob'), following('carol'), follower('carol'), follower('dan')]);
    expect(decide(s, { op: 'check', users: ['bob', 'carol', 'dan', 'eve'] }).reply).to.deep.equal({ bob: 2, carol: 3, dan: 1, eve: 0 });
    expect(decide(s, { op: 'counts' }).reply).to.deep.equal({ followers: 2, following: 2, mutual: 1 });
    const first = decide(s, { op: 'list', type: 2, from: 0, count: 1 }).reply as FollowPage;
    expect([first.items.map((i) => i.user), first.next]).to.deep.equal([['bob'], 1]);
    const last = decide(s, { op: 'list', type: 2, from: 1, count: 1 }).reply as FollowPage;
    expect([last.items.map((i) => i.user), last.next]).to.deep.equal([['carol'], 0]);
    expect((decide(s, { op: 'list', type: 3, from: 0, count: 10 }).reply as FollowPage).items.map((i) => i.user)).to.deep.equal(['carol']);
  });
});
