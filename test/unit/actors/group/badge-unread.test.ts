/**
 * What a group adds to its members' app badges (offline push): the unread of members notified of
 * every message, nothing for members who silenced the group, for non-members, for targeted
 * messages, or for types that keep no unread count.
 */
import { expect } from 'chai';
import { groupKind, type GroupCommand, type GroupState, type GroupType } from '../../../../actors/group';
import { APP, apply, member, NOW, textMessage, user } from './support';

function group(type: GroupType = 'Public'): GroupState {
  const g = { type, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  return apply(groupKind.initialState(`1400000000:${type}`), { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('a'), member('b')], imported: false, now: NOW });
}

const send = (from: string, random: number, to?: string[]): GroupCommand => ({ op: 'send', by: user(from), message: { ...textMessage(from, random), ...(to ? { to } : {}) }, onlineOnly: false, now: NOW });
const badge = (s: GroupState, users: string[]) => groupKind.decide(s, { op: 'badgeUnread', users }).reply.result;

describe('group actor: badge unread', () => {
  it("counts each notified member's unread messages, not the sender's own and not a non-member's", () => {
    const s = apply(apply(group(), send('a', 1)), send('a', 2));
    expect(badge(s, ['a', 'b', 'o', 'stranger'])).to.deep.equal({ a: 0, b: 2, o: 2, stranger: 0 });
  });

  it('leaves out members who chose AcceptNotNotify, and targeted messages (unread for nobody)', () => {
    let s = apply(group(), { op: 'modifyMember', by: APP, user: 'b', patch: { msgFlag: 'AcceptNotNotify' }, now: NOW });
    s = apply(apply(s, send('a', 1)), send('a', 2, ['o']));
    expect(badge(s, ['b', 'o'])).to.deep.equal({ b: 0, o: 1 });
  });

  it("counts nothing in a type that keeps no unread count (Meeting, the SDK's ChatRoom)", () => {
    expect(badge(apply(group('Meeting'), send('a', 1)), ['b'])).to.deep.equal({ b: 0 });
  });
});
