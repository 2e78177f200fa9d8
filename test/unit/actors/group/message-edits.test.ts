/**
 * modify_group_msg and clear_group_msg in the group actor: the race check on modifications, who
 * hears of a change, and history hidden from members only.
 */
import { expect } from 'chai';
import { groupKind, type GroupCommand, type GroupState, type GroupType, type Outgoing } from '../../../../actors/group';
import { APP, apply, member, NOW, refusal, textMessage, user } from './support';
import { sendIn, TOPIC, withTopic } from './community-support';

function group(type: GroupType = 'Public'): GroupState {
  const g = { type, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  return apply(groupKind.initialState(`1400000000:${type}`), { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('a'), member('b')], imported: false, now: NOW });
}

const send = (s: GroupState, from: string, random: number, to?: string[]) => apply(s, { op: 'send', by: user(from), message: { ...textMessage(from, random), ...(to ? { to } : {}) }, onlineOnly: false, now: NOW });
const modify = (seq: number, edits: number, by = APP): Extract<GroupCommand, { op: 'modifyMessage' }> => ({ op: 'modifyMessage', by, seq, body: '[]', cloudCustomData: 'x', edits, now: NOW });
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

  it('modifies a topic message by the same rules, counting its versions in the topic and telling the whole community', () => {
    let s = apply(withTopic(), sendIn('m', 1, TOPIC));
    const inTopic = (by = APP, edits = 0, seq = 1, topicId = TOPIC): GroupCommand => ({ ...modify(seq, edits, by), topicId });
    const out = modifyOut(s, inTopic());
    expect(out).to.include({ version: 1, topicId: TOPIC });
    expect(out?.recipients.sort()).to.deep.equal(['a', 'm', 'o', 't']);
    expect(groupKind.decide(s, inTopic()).events[0].data).to.include({ topicId: TOPIC, seq: 1, key: 2 ** 32 + 1 });
    expect(modifyOut(s, inTopic(user('m')))).to.include({ version: 1 });
    // The community's own sequence 1 is another message: not there to modify.
    expect(refusal(s, modify(1, 0))).to.equal(10030);
    s = apply(s, inTopic());
    expect(refusal(s, inTopic())).to.equal(10002);
    expect(modifyOut(s, inTopic(APP, 1))).to.include({ version: 2 });
    expect(refusal(s, inTopic(user('t'), 1))).to.equal(10007);
    expect(refusal(s, inTopic(APP, 0, 2))).to.equal(10030);
    expect(refusal(s, inTopic(APP, 0, 1, `${TOPIC}x`))).to.equal(10010);
    s = apply(s, { op: 'recall', by: APP, seqs: [1], limitSeconds: 120, now: NOW, topicId: TOPIC });
    expect(refusal(s, inTopic(APP, 1))).to.equal(10032);
  });

  it('leaves cleared messages out of unread counts, with no write per member, and counts what comes after', () => {
    let s = send(send(send(group(), 'a', 1), 'a', 2, ['b']), 'a', 3);
    const unread = (st: GroupState, who: string) => groupKind.decide(st, { op: 'view', viewer: user(who) }).reply.result as { selfUnread: number; self: { readSeq: number } };
    const badges = (st: GroupState) => groupKind.decide(st, { op: 'badgeUnread', users: ['o', 'b'] }).reply.result;
    // The targeted message 2 counts for nobody (targeted.test.ts).
    expect([unread(s, 'o').selfUnread, unread(s, 'b').selfUnread]).to.deep.equal([2, 2]);
    const cleared = groupKind.decide(s, { op: 'clearHistory', by: APP, upToSeq: 2, now: NOW });
    expect(cleared.events.map((e) => e.type)).to.deep.equal(['parley.group.HistoryCleared']);
    s = apply(s, { op: 'clearHistory', by: APP, upToSeq: 2, now: NOW });
    expect([unread(s, 'o').selfUnread, unread(s, 'b').selfUnread, unread(s, 'b').self.readSeq]).to.deep.equal([1, 1, 2]);
    expect(badges(s)).to.deep.equal({ o: 1, b: 1 });
    s = send(s, 'a', 4);
    expect(unread(s, 'b').selfUnread).to.equal(2);
    s = apply(s, { op: 'clearHistory', by: APP, now: NOW });
    expect(badges(s)).to.deep.equal({ o: 0, b: 0 });
    // The sender's own mark was already past the clear: it stays where it was.
    expect(unread(s, 'a').self.readSeq).to.equal(4);
  });
});
