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

  describe('pushes that replace an earlier one (reaction summaries)', () => {
    const summary = (reaction: string, count: number) => ({ EventArray: [{ Event: 23, MsgReactionNotifyList: [{ Reaction: reaction, Count: count }] }] });
    const keyed = (reaction: string, count: number) => ({ push: { users: members, servcmd: 'im_open_push.msg_push', body: summary(reaction, count), replaces: `r\n1\n${reaction}` }, resolve: () => undefined, reject: () => undefined });
    const countsOf = (body: object) => (body as ReturnType<typeof summary>).EventArray.map((e) => (e.MsgReactionNotifyList ? `${e.MsgReactionNotifyList[0].Reaction}${e.MsgReactionNotifyList[0].Count}` : 'm'));

    it('keeps only the latest summary of each key, in the place of the first', () => {
      const runs = merged([keyed('like', 1), keyed('heart', 1), entry(members, message(7)), keyed('like', 2), keyed('like', 3), keyed('heart', 2)]);
      expect(runs).to.have.length(1);
      expect(countsOf(runs[0].push.body)).to.deep.equal(['like3', 'heart2', 'm']);
      expect(runs[0].entries).to.have.length(6);
    });

    it('lets a burst of one key through the 16-event cap as one event', () => {
      const runs = merged(Array.from({ length: 100 }, (_, i) => keyed('like', i + 1)));
      expect(runs).to.have.length(1);
      expect(countsOf(runs[0].push.body)).to.deep.equal(['like100']);
    });

    it('replaces nothing across recipient lists, nor leaves the pushes it merged untouched', () => {
      const first = keyed('like', 1);
      const other = { ...keyed('like', 2), push: { ...keyed('like', 2).push, users: ['a'] } };
      const runs = merged([first, other, keyed('like', 3), keyed('like', 4)]);
      expect(runs.map((r) => countsOf(r.push.body))).to.deep.equal([['like1'], ['like2'], ['like4']]);
      expect(countsOf(first.push.body)).to.deep.equal(['like1']);
    });
  });
});
