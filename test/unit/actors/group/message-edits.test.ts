/**
 * modify_group_msg and clear_group_msg in the group actor: the race check on modifications, who
 * hears of a change, and history hidden from members only.
 */
import { expect } from 'chai';
import { groupKind, type GroupCommand, type GroupState, type GroupType, type Outgoing } from '../../../../actors/group';
import { APP, apply, member, NOW, refusal, textMessage, user } from './support';

function group(type: GroupType = 'Public'): GroupState {
  const g = { type, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  return apply(groupKind.initialState(`1400000000:${type}`), { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('a'), member('b')], imported: false, now: NOW });
}

const send = (s: GroupState, from: string, random: number, to?: string[]) => apply(s, { op: 'send', by: user(from), message: { ...textMessage(from, random), ...(to ? { to } : {}) }, onlineOnly: false, now: NOW });
const modify = (seq: number, edits: number, by = APP): GroupCommand => ({ op: 'modifyMessage', by, seq, body: '[]', cloudCustomData: 'x', edits, now: NOW });
const modifyOut = (s: GroupState, c: GroupCommand) => (groupKind.decide(s, c).reply.out ?? []).find((o): o is Extract<Outgoing, { kind: 'modify' }> => o.kind === 'modify');

describe('group actor: message edits', () => {
  it('modifies a stored message and counts the versions', () => {
    let s = send(group(), 'a', 1);
    expect(modifyOut(s, modify(1, 0))).to.include({ version: 1 });
    s = apply(s, modify(1, 0));
    expect(modifyOut(s, modify(1, 1))).to.include({ version: 2 });
  });

  it('refuses a modification that raced another (10002), so the service reads again', () => {
    const s = apply(send(group(), 'a', 1), modify(1, 0));
    expect(refusal(s, modify(1, 0))).to.equal(10002);
  });

  it('refuses users, unknown sequences, recalled messages and live rooms', () => {
    const s = send(group(), 'a', 1);
    expect(refusal(s, modify(1, 0, user('o')))).to.equal(10007);
    expect(refusal(s, modify(2, 0))).to.equal(10030);
    expect(refusal(apply(s, { op: 'recall', by: APP, seqs: [1], limitSeconds: 120, now: NOW }), modify(1, 0))).to.equal(10032);
    expect(refusal(group('AVChatRoom'), modify(1, 0))).to.equal(10007);
  });

  it('tells every member of an ordinary message, and only the audience of a targeted one', () => {
    expect(modifyOut(send(group(), 'a', 1), modify(1, 0))?.recipients.sort()).to.deep.equal(['a', 'b', 'o']);
    expect(modifyOut(send(group(), 'a', 1, ['b']), modify(1, 0))?.recipients.sort()).to.deep.equal(['a', 'b']);
  });

  it('clears history for members up to a sequence (clamped to the last), never lower than before', () => {
    let s = send(send(send(group(), 'a', 1), 'a', 2), 'a', 3);
    s = apply(s, { op: 'clearHistory', by: APP, upToSeq: 2, now: NOW });
    const member = groupKind.decide(s, { op: 'locate', viewer: user('b'), seq: 10 }).reply.result as { floor: number };
    const admin = groupKind.decide(s, { op: 'locate', viewer: APP, seq: 10 }).reply.result as { floor: number };
    expect([member.floor, admin.floor]).to.deep.equal([3, 1]);
    expect(groupKind.decide(s, { op: 'clearHistory', by: APP, upToSeq: 1, now: NOW }).events).to.deep.equal([]);
    expect(groupKind.decide(s, { op: 'clearHistory', by: APP, upToSeq: 99, now: NOW }).events[0].data).to.include({ upToSeq: 3 });
    expect(refusal(s, modify(2, 0))).to.equal(10030);
  });
});
