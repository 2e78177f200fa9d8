import { expect } from 'chai';
import { merged } from '../../../services/groups/delivery';

const members = ['a', 'b', 'c'];
const message = (seq: number) => ({ EventArray: [{ Event: 3, GroupMsgArray: [{ MsgSeq: seq }] }] });
const entry = (users: string[], body: object, servcmd = 'im_open_push.msg_push') => ({ push: { users, servcmd, body }, resolve: () => undefined, reject: () => undefined });
const seqsOf = (body: object) => (body as ReturnType<typeof message>).EventArray.map((e) => e.GroupMsgArray[0].MsgSeq);

describe('group fan-out merging', () => {
  it('merges consecutive pushes to the same members into one frame, in order', () => {
    const runs = merged([1, 2, 3].map((seq) => entry(members, message(seq))));
    expect(runs).to.have.length(1);
    expect(seqsOf(runs[0].push.body)).to.deep.equal([1, 2, 3]);
    expect(runs[0].entries).to.have.length(3);
  });

  it('compares recipients by content, not by array identity', () => {
    expect(merged([entry(['a', 'b'], message(1)), entry(['a', 'b'], message(2))])).to.have.length(1);
  });

  it('keeps pushes apart when the recipients changed between them, without reordering', () => {
    const runs = merged([entry(members, message(1)), entry(['a', 'b'], message(2)), entry(members, message(3))]);
    expect(runs.map((r) => seqsOf(r.push.body))).to.deep.equal([[1], [2], [3]]);
  });

  it('never merges other commands or bodies that are not an event list', () => {
    expect(merged([entry(members, message(1)), entry(members, message(2), 'other.cmd')])).to.have.length(2);
    expect(merged([entry(members, { Notice: 1 }), entry(members, { Notice: 2 })])).to.have.length(2);
  });

  it('caps a merged frame at the reply budget in bytes', () => {
    const big = (seq: number) => ({ EventArray: [{ Event: 3, GroupMsgArray: [{ MsgSeq: seq, Text: 'x'.repeat(100 * 1024) }] }] });
    const runs = merged([1, 2, 3, 4, 5].map((seq) => entry(members, big(seq))));
    expect(runs.map((r) => seqsOf(r.push.body))).to.deep.equal([[1, 2], [3, 4], [5]]);
  });

  it('caps a merged frame at 16 events', () => {
    const runs = merged(Array.from({ length: 40 }, (_, i) => entry(members, message(i + 1))));
    expect(runs.map((r) => r.entries.length)).to.deep.equal([16, 16, 8]);
    expect(seqsOf(runs[2].push.body)).to.deep.equal([33, 34, 35, 36, 37, 38, 39, 40]);
  });
});
