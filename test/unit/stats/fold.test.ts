/**
 * The statistics fold: given stored events, the figures of each day. No broker, no store.
 */
import { expect } from 'chai';
import type { StoredEvent } from '../../../runtime/eventlog';
import { StatsFold } from '../../../services/stats/fold';
import { distinctOf } from '../../../services/stats/figures';
import { liveFigures } from '../../../services/stats/report';

const APP = 1400000000;
const T = Date.UTC(2026, 5, 1, 10, 0, 0);
let position = 0;
const ev = (stream: string, type: string, data: unknown, time = T, version = 2): StoredEvent => ({ stream, type, data, time, version, position: ++position });
const activity = (node: string, at: number, extra: object) => ev(`stats:${node}`, 'parley.stats.ActivityRecorded', { node, at, logins: [], online: [], sampled: false, callbacks: [], ...extra }, at);

describe('statistics fold', () => {
  it('counts an account imported again after its deletion as a new registration, and a nick change as none', () => {
    const f = new StatsFold(0);
    f.apply(ev(`user:${APP}:alice`, 'parley.user.AccountImported', {}, T, 1));
    f.apply(ev(`user:${APP}:alice`, 'parley.user.AccountImported', {}, T, 2));
    f.apply(ev(`user:${APP}:alice`, 'parley.user.AccountDeleted', {}, T, 3));
    f.apply(ev(`user:${APP}:alice`, 'parley.user.AccountImported', {}, T, 4));
    const day = f.day(APP, T);
    expect(day.counters.newUsers).to.equal(2);
    expect(day.counters.deletedUsers).to.equal(1);
    expect(day.usersTotal).to.equal(1);
  });

  it('delivers a group message to every member but its sender, and counts creation members as no joins', () => {
    const f = new StatsFold(0);
    f.apply(ev(`group:${APP}:g1`, 'parley.group.GroupCreated', {}));
    f.apply(ev(`group:${APP}:g1`, 'parley.group.MembersJoined', { members: [{}, {}, {}], how: 'create' }));
    f.apply(ev(`group:${APP}:g1`, 'parley.group.MembersJoined', { members: [{}], how: 'apply' }));
    f.apply(ev(`group:${APP}:g1`, 'parley.group.MembersLeft', { users: ['x'] }));
    f.apply(ev(`group:${APP}:g1`, 'parley.group.MessageSent', { from: 'bob' }));
    const c = f.day(APP, T).counters;
    expect(c).to.include({ groupsNew: 1, joins: 1, quits: 1, groupUp: 1, groupDown: 2 });
  });

  it('sums the online samples of the nodes for the peak, forgets a node that stops sampling, and counts callbacks', () => {
    const f = new StatsFold(0);
    f.apply(activity('a', T, { sampled: true, online: [{ app: APP, users: 5 }] }));
    f.apply(activity('b', T + 1000, { sampled: true, online: [{ app: APP, users: 7 }], callbacks: [{ app: APP, sent: 3, answered: 2 }] }));
    f.apply(activity('a', T + 2000, { sampled: true, online: [] }));
    const day = f.day(APP, T);
    expect(day.peakOnline).to.equal(12);
    expect(f.onlineAt(APP, T + 3000)).to.equal(7);
    expect(f.onlineAt(APP, T + 200_000)).to.equal(0);
    expect(day.counters).to.include({ callbackReq: 3, callbackRsp: 2 });
  });

  it('counts logins per minute and distinct login users per day', () => {
    const f = new StatsFold(0);
    const logins = [{ app: APP, user: 'u1', platform: 'Web', at: T }, { app: APP, user: 'u1', platform: 'Web', at: T + 61_000 }];
    f.apply(activity('a', T + 62_000, { logins }));
    const day = f.day(APP, T);
    expect(day.counters.loginTimes).to.equal(2);
    expect(distinctOf(day, 'loginUsers')).to.equal(1);
    const live = liveFigures(f, APP, T + 62_000, 2);
    expect(live.minutes.map((m) => m.logins)).to.deep.equal([0, 1, 1]);
  });

  it('keeps counts, not members, for days two days behind the newest', () => {
    const f = new StatsFold(0);
    f.apply(ev(`c2c:${APP}:a|b`, 'parley.c2c.MessageSent', { from: 'a' }, T));
    f.apply(ev(`c2c:${APP}:a|b`, 'parley.c2c.MessageSent', { from: 'b' }, T + 3 * 86_400_000));
    const old = f.apps.get(APP)!.days.get('20260601')!;
    expect(old.sets).to.equal(undefined);
    expect(distinctOf(old, 'senders')).to.equal(1);
  });
});
