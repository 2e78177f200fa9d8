/**
 * Group read receipts: a member receipts a message that asked for it once, its sender gets the
 * new counts, counts leave out the sender, later joiners and those a targeted message skips, and
 * only Work, Public, Meeting and Community groups have them.
 */
import { expect } from 'chai';
import { groupKind, type GroupCommand, type GroupState, type GroupType, type Outgoing, type ReceiptCount, type ReceiptDetail } from '../../../../actors/group';
import { APP, apply, member, NOW, refusal, textMessage, user } from './support';

function group(type: GroupType = 'Work'): GroupState {
  const g = { type, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  return apply(groupKind.initialState(`1400000000:${type}`), { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('a'), member('b'), member('c')], imported: false, now: NOW });
}
const send = (from: string, random: number, extra: object = { needReadReceipt: true }): GroupCommand => ({ op: 'send', by: user(from), message: { ...textMessage(from, random), ...extra }, onlineOnly: false, now: NOW });
const receipt = (by: string, seqs: number[]): GroupCommand => ({ op: 'receipt', by: user(by), user: by, seqs, now: NOW });
const counts = (s: GroupState, seqs: number[], viewer = 'a') => groupKind.decide(s, { op: 'viewReceipts', viewer: user(viewer), seqs }).reply.result as ReceiptCount[];
const detail = (s: GroupState, seq: number, read: boolean, cursor = 0, count = 100) => groupKind.decide(s, { op: 'receiptDetail', viewer: user('a'), seq, read, cursor, count }).reply.result as ReceiptDetail;

describe('group actor: read receipts', () => {
  it('counts the members who receipted a message against those who did not, the sender left out', () => {
    let s = apply(group(), send('a', 1));
    expect(counts(s, [1])).to.deep.equal([{ seq: 1, code: 0, read: 0, unread: 3 }]);
    s = apply(apply(s, receipt('b', [1])), receipt('c', [1]));
    expect(counts(s, [1])).to.deep.equal([{ seq: 1, code: 0, read: 2, unread: 1 }]);
    expect(detail(s, 1, true).users).to.deep.equal(['b', 'c']);
    expect(detail(s, 1, false).users).to.deep.equal(['o']);
  });

  it('pushes the new counts to the sender only', () => {
    const s = apply(group(), send('a', 1));
    const out = (groupKind.decide(s, receipt('b', [1])).reply.out ?? []).filter((o): o is Extract<Outgoing, { kind: 'receipt' }> => o.kind === 'receipt');
    expect(out).to.have.length(1);
    expect(out[0].recipients).to.deep.equal(['a']);
    // A message sent without a client time (REST) is known to the SDK by its server time, as history and pushes carry it.
    expect(out[0].items).to.deep.equal([{ seq: 1, random: 1, clientTime: 1700000000, from: 'a', read: 1, unread: 2 }]);
  });

  it('stores and pushes nothing for a repeated receipt', () => {
    const s = apply(apply(group(), send('a', 1)), receipt('b', [1]));
    const d = groupKind.decide(s, receipt('b', [1]));
    expect(d.events).to.have.length(0);
    expect(d.reply.out ?? []).to.have.length(0);
  });

  it('refuses a whole request with one message that cannot be receipted (10004), storing nothing', () => {
    const s = apply(apply(group(), send('a', 1)), send('a', 2, {}));
    expect(refusal(s, receipt('b', [1, 2]))).to.equal(10004);
    expect(refusal(s, receipt('b', [1, 99]))).to.equal(10004);
    expect(refusal(s, receipt('a', [1]))).to.equal(10004);
    expect(counts(s, [1, 2])).to.deep.equal([{ seq: 1, code: 0, read: 0, unread: 3 }, { seq: 2, code: 10004, read: 0, unread: 0 }]);
  });

  it('leaves out members who joined after the message and those a targeted message skips', () => {
    let s = apply(group(), send('a', 1, { needReadReceipt: true, to: ['b'] }));
    s = apply(s, { op: 'invite', by: APP, users: ['late'], silence: true, now: NOW });
    expect(counts(s, [1])).to.deep.equal([{ seq: 1, code: 0, read: 0, unread: 1 }]);
    expect(refusal(s, receipt('c', [1]))).to.equal(10004);
    expect(refusal(s, receipt('late', [1]))).to.equal(10004);
    expect(refusal(s, receipt('b', [1]))).to.equal(undefined);
  });

  it('refuses users who are not members (10007) and receipts on behalf of others', () => {
    const s = apply(group(), send('a', 1));
    expect(refusal(s, receipt('stranger', [1]))).to.equal(10007);
    expect(refusal(s, { op: 'receipt', by: user('b'), user: 'c', seqs: [1], now: NOW })).to.equal(10007);
    expect(refusal(s, { op: 'receipt', by: APP, user: 'c', seqs: [1], now: NOW })).to.equal(undefined);
  });

  it('has receipts in Work, Public, Meeting and Community groups, not in live rooms (10007)', () => {
    for (const type of ['Work', 'Public', 'Meeting', 'Community'] as GroupType[]) {
      expect(refusal(apply(group(type), send('a', 1)), receipt('b', [1])), type).to.equal(undefined);
    }
    expect(refusal(group('AVChatRoom'), { op: 'viewReceipts', viewer: APP, seqs: [1] })).to.equal(10007);
  });

  it('pages the readers by cursor', () => {
    let s = apply(group(), send('o', 1));
    for (const u of ['a', 'b', 'c']) s = apply(s, receipt(u, [1]));
    const first = detail(s, 1, true, 0, 2);
    expect(first).to.deep.equal({ users: ['a', 'b'], next: 2, finished: false });
    expect(detail(s, 1, true, first.next, 2)).to.deep.equal({ users: ['c'], next: 3, finished: true });
  });

  it('forgets the readers when the group is disbanded', () => {
    let s = apply(apply(group(), send('a', 1)), receipt('b', [1]));
    s = apply(s, { op: 'destroy', by: APP, now: NOW });
    expect(s.receipts).to.equal(undefined);
  });
});
