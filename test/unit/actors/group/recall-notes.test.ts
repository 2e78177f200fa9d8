/**
 * Recall notes (batch_get_group_notify): the recalls a device missed while offline, by time,
 * paged, and only those the viewer may see.
 */
import { expect } from 'chai';
import { groupKind, RECALL_NOTES_KEPT, type GroupCommand, type GroupState, type GroupType, type RecallNotesView, type Who } from '../../../../actors/group';
import { APP, apply, member, NOW, refusal, textMessage, user } from './support';

const create = (type: GroupType = 'Public'): GroupCommand => {
  const g = { type, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  return { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('a'), member('b')], imported: false, now: NOW };
};
const group = (type: GroupType = 'Public'): GroupState => apply(groupKind.initialState(`1400000000:${type}`), create(type));
const send = (from: string, random: number, to?: string[]): GroupCommand => ({ op: 'send', by: user(from), message: { ...textMessage(from, random), clientTime: 1_700_000_000 + random, ...(to ? { to } : {}) }, onlineOnly: false, now: NOW });
const recall = (by: Who, seqs: number[], now = NOW + 1_000): GroupCommand => ({ op: 'recall', by, seqs, limitSeconds: 120, now });
const notes = (s: GroupState, viewer: Who, from = 0, to = 0, limit = 20) => groupKind.decide(s, { op: 'recallNotes', viewer, from, to, limit }).reply.result as RecallNotesView;
const seqs = (v: RecallNotesView) => v.items.map((i) => i.seq);

function withMessages(n: number, s = group()): GroupState {
  for (let i = 1; i <= n; i++) s = apply(s, send('a', i));
  return s;
}

describe('group actor: recall notes', () => {
  it('notes each recall with the message’s random, client time and sender, and who recalled it', () => {
    const s = apply(withMessages(2), recall(user('o'), [2]));
    const v = notes(s, user('b'));
    expect(v.next).to.equal(0);
    expect(v.items).to.have.length(1);
    expect(v.items[0]).to.deep.include({ seq: 2, random: 2, clientTime: 1_700_000_002, from: 'a', by: 'o', t: (NOW + 1_000) * 1000 });
  });

  it('answers the recalls between two times in microseconds, both included', () => {
    let s = withMessages(3);
    s = apply(s, recall(user('a'), [1], NOW + 1_000));
    s = apply(s, recall(user('a'), [2], NOW + 2_000));
    s = apply(s, recall(user('a'), [3], NOW + 3_000));
    expect(seqs(notes(s, user('b'), (NOW + 2_000) * 1000))).to.deep.equal([2, 3]);
    expect(seqs(notes(s, user('b'), 0, (NOW + 2_000) * 1000))).to.deep.equal([1, 2]);
    expect(seqs(notes(s, user('b'), (NOW + 3_000) * 1000 + 1))).to.deep.equal([]);
  });

  it('pages by the time of the first note left out, also between recalls of the same millisecond', () => {
    const s = apply(withMessages(5), recall(APP, [1, 2, 3, 4, 5]));
    const first = notes(s, user('b'), 0, 0, 2);
    expect(seqs(first)).to.deep.equal([1, 2]);
    expect(first.next).to.be.greaterThan(0);
    const second = notes(s, user('b'), first.next, 0, 2);
    expect(seqs(second)).to.deep.equal([3, 4]);
    const third = notes(s, user('b'), second.next, 0, 2);
    expect(seqs(third)).to.deep.equal([5]);
    expect(third.next).to.equal(0);
  });

  it('keeps times increasing when the clock of a later recall is behind', () => {
    let s = withMessages(2);
    s = apply(s, recall(APP, [1], NOW + 5_000));
    s = apply(s, recall(APP, [2], NOW + 4_000));
    const v = notes(s, user('b'));
    expect(seqs(v)).to.deep.equal([1, 2]);
    expect(v.items[1].t).to.be.greaterThan(v.items[0].t);
  });

  it('shows a targeted message’s recall only to its audience, and the administrator', () => {
    let s = withMessages(1);
    s = apply(s, send('a', 99, ['b']));
    s = apply(s, recall(user('a'), [1, 2]));
    expect(seqs(notes(s, user('b')))).to.deep.equal([1, 2]);
    expect(seqs(notes(s, user('o')))).to.deep.equal([1]);
    expect(seqs(notes(s, APP))).to.deep.equal([1, 2]);
  });

  it('leaves out recalls of messages sent before the viewer joined', () => {
    let s = withMessages(2);
    s = apply(s, { op: 'invite', by: APP, users: ['late'], silence: true, now: NOW });
    s = apply(s, send('a', 3));
    s = apply(s, recall(APP, [1, 3]));
    expect(seqs(notes(s, user('late')))).to.deep.equal([3]);
    expect(seqs(notes(s, user('b')))).to.deep.equal([1, 3]);
  });

  it('refuses a non-member (10007) and a group that does not exist (10010)', () => {
    const s = apply(withMessages(1), recall(APP, [1]));
    expect(refusal(s, { op: 'recallNotes', viewer: user('stranger'), from: 0, to: 0, limit: 20 })).to.equal(10007);
    expect(refusal(groupKind.initialState('1400000000:none'), { op: 'recallNotes', viewer: user('a'), from: 0, to: 0, limit: 20 })).to.equal(10010);
  });

  it('keeps the newest recalls only, and forgets a disbanded group’s when its id is used again', () => {
    let s = withMessages(RECALL_NOTES_KEPT + 2);
    s = apply(s, recall(APP, Array.from({ length: RECALL_NOTES_KEPT + 2 }, (_, i) => i + 1)));
    expect(s.recallNotes).to.have.length(RECALL_NOTES_KEPT);
    expect(s.recallNotes?.[0].seq).to.equal(3);
    s = apply(s, { op: 'destroy', by: APP, now: NOW + 2_000 });
    expect(seqs(notes(apply(s, create()), user('a')))).to.deep.equal([]);
  });

  it('survives a snapshot', () => {
    const s = apply(withMessages(2), recall(APP, [2]));
    const codec = groupKind.snapshot!;
    const back = codec.decode(codec.encode(s));
    expect(notes(back, user('b'))).to.deep.equal(notes(s, user('b')));
  });
});
