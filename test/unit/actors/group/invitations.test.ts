/**
 * Invitations waiting for approval (InviteJoinOption NeedPermission): an ordinary member's
 * invitation waits for the owner or an admin; theirs and the administrator's add at once.
 */
import { expect } from 'chai';
import { groupKind, INVITATION_ADDED, MEMBERS_JOINED, type GroupCommand, type GroupState, type GroupType, type GroupView, type Who } from '../../../../actors/group';
import { APP, apply, member, NOW, refusal, user } from './support';

function group(type: GroupType, inviteJoin: 'FreeAccess' | 'NeedPermission' = 'NeedPermission'): GroupState {
  const g = { type, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin, custom: {}, createTime: 0 };
  const members = type === 'Work' ? [member('o', 'Owner'), member('m')] : [member('o', 'Owner'), member('a', 'Admin'), member('m')];
  return apply(groupKind.initialState('1400000000:g1'), { op: 'create', by: APP, group: g, members, imported: false, now: NOW });
}

const invite = (by: Who, users: string[]): GroupCommand => ({ op: 'invite', by, users, silence: false, now: NOW });
const handle = (by: Who, invitee: string, approve: boolean): GroupCommand => ({ op: 'handleInvitation', by, invitee, approve, now: NOW });
const view = (s: GroupState) => groupKind.decide(s, { op: 'view', viewer: APP }).reply.result as GroupView;

describe('group actor: invitations waiting for approval', () => {
  it('keeps an ordinary member’s invitation waiting (Result 3) and tells the managers', () => {
    const d = groupKind.decide(group('Community'), invite(user('m'), ['x', 'a']));
    expect(d.reply.result).to.deep.equal({ x: 3, a: 2 });
    expect(d.events.map((e) => e.type)).to.deep.equal([INVITATION_ADDED]);
    const notice = d.reply.out?.find((o) => o.kind === 'system');
    expect(notice?.recipients.sort()).to.deep.equal(['a', 'o']);
    const s = apply(group('Community'), invite(user('m'), ['x']));
    expect(s.members.has('x')).to.equal(false);
    expect(view(s).invited).to.deep.equal([['x', { inviter: 'm', at: NOW }]]);
  });

  for (const [name, by] of [['the owner', user('o')], ['an admin', user('a')], ['the app administrator', APP]] as const) {
    it(`lets ${name} invite directly`, () => {
      const d = groupKind.decide(group('Community'), invite(by, ['x']));
      expect(d.reply.result).to.deep.equal({ x: 1 });
      expect(d.events.map((e) => e.type)).to.include(MEMBERS_JOINED);
    });
  }

  it('adds at once when InviteJoinOption is FreeAccess', () => {
    expect(groupKind.decide(group('Community', 'FreeAccess'), invite(user('m'), ['x'])).reply.result).to.deep.equal({ x: 1 });
  });

  it('lets the owner or an admin approve: the invitee joins, invited by the member', () => {
    let s = apply(group('Community'), invite(user('m'), ['x']));
    const d = groupKind.decide(s, handle(user('a'), 'x', true));
    const joined = d.events.find((e) => e.type === MEMBERS_JOINED);
    expect(joined?.data).to.include({ by: 'm', how: 'invite' });
    s = apply(s, handle(user('a'), 'x', true));
    expect(s.members.get('x')?.role).to.equal('Member');
    expect(view(s).invited).to.deep.equal([]);
  });

  it('lets the owner refuse: nobody joins, and the invitation is gone (10024 after)', () => {
    let s = apply(group('Work'), invite(user('m'), ['x']));
    s = apply(s, handle(user('o'), 'x', false));
    expect(s.members.has('x')).to.equal(false);
    expect(refusal(s, handle(user('o'), 'x', true))).to.equal(10024);
  });

  it('refuses an ordinary member handling an invitation (10007), changing nothing', () => {
    const s = apply(group('Community'), invite(user('m'), ['x']));
    expect(refusal(s, handle(user('m'), 'x', true))).to.equal(10007);
    expect(view(s).invited).to.have.length(1);
  });

  it('drops a waiting invitation when the invitee joins another way', () => {
    let s = apply(group('Community', 'NeedPermission'), invite(user('m'), ['x']));
    s = apply(s, invite(APP, ['x']));
    expect(view(s).invited).to.deep.equal([]);
  });

  it('refuses invitations beyond 50 waiting (10004)', () => {
    const s = apply(group('Community'), invite(user('m'), Array.from({ length: 50 }, (_, i) => `u${i}`)));
    expect(refusal(s, invite(user('m'), ['one-more']))).to.equal(10004);
  });
});
