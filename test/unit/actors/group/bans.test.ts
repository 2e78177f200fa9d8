/** Live-room bans in the group actor: out of the room, refused until the ban ends or is lifted, listed while in force. */
import { expect } from 'chai';
import { groupKind, type GroupCommand, type GroupState, type GroupType } from '../../../../actors/group';
import { APP, apply, member, NOW, refusal, textMessage, user } from './support';

const NOW_S = NOW / 1000;

function room(type: GroupType = 'AVChatRoom'): GroupState {
  const g = { type, owner: 'o', name: 'Live', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  return apply(groupKind.initialState(`1400000000:${type}`), { op: 'create', by: APP, group: g, members: [member('o', 'Owner')], imported: false, now: NOW });
}

const ban = (users: string[], seconds = 60): GroupCommand => ({ op: 'ban', by: APP, users, seconds, description: 'spam', now: NOW });
const join = (u: string, now = NOW): GroupCommand => ({ op: 'apply', user: u, message: '', now });
const send = (u: string, now = NOW): GroupCommand => ({ op: 'send', by: user(u), message: textMessage(u, 1), onlineOnly: false, now, live: { seq: 1, inRoom: true } });
const list = (s: GroupState, now = NOW, offset = 0, limit = 100) => groupKind.decide(s, { op: 'viewBans', by: APP, offset, limit, now }).reply.result as { bans: { user: string; until: number }[]; next: number };

describe('group actor: live-room bans', () => {
  it('takes the banned out of the room and tells them, before anything else', () => {
    const out = groupKind.decide(room(), ban(['v1', 'v2'])).reply.out ?? [];
    expect(out.map((o) => `${o.kind}:${o.kind === 'room' ? o.user : o.recipients.join(',')}`)).to.deep.equal(['room:v1', 'room:v2', 'system:v1,v2']);
  });

  it('refuses joining and sending while the ban lasts, and lets them in once it ended', () => {
    const s = apply(room(), ban(['v1'], 60));
    expect(refusal(s, join('v1'))).to.equal(10007);
    expect(refusal(s, send('v1'))).to.equal(10007);
    expect(refusal(s, join('v2'))).to.equal(undefined);
    expect(refusal(s, join('v1', NOW + 60_000))).to.equal(undefined);
  });

  it('lifts a ban, and lists only the bans in force, paged', () => {
    let s = apply(room(), ban(['v1', 'v2', 'v3'], 60));
    expect(list(s, NOW, 0, 2)).to.deep.equal({ bans: [{ user: 'v1', until: NOW_S + 60 }, { user: 'v2', until: NOW_S + 60 }], next: 2 });
    expect(list(s, NOW, 2, 2)).to.deep.equal({ bans: [{ user: 'v3', until: NOW_S + 60 }], next: 0 });
    s = apply(s, { op: 'unban', by: APP, users: ['v2', 'never'], now: NOW });
    expect(list(s).bans.map((b) => b.user)).to.deep.equal(['v1', 'v3']);
    expect(list(s, NOW + 60_000).bans).to.deep.equal([]);
  });

  it('refuses users, the owner and groups that are not live rooms', () => {
    expect(refusal(room(), { op: 'ban', by: user('o'), users: ['v1'], seconds: 60, description: '', now: NOW })).to.equal(10007);
    expect(refusal(room(), ban(['o']))).to.equal(10007);
    expect(refusal(room('Public'), ban(['v1']))).to.equal(10007);
  });
});
