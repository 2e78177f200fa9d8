/** A user's deleted and cleared group conversations in their inbox. */
import { expect } from 'chai';
import { INBOX_CONV_PINNED, INBOX_GROUP_CONV_DELETED, INBOX_GROUP_HISTORY_CLEARED, inboxKind, type GroupConvsReply, type InboxEvent, type InboxState } from '../../../../actors/inbox';

const NOW = 1_700_000_000_000;
function given(...events: InboxEvent[]): InboxState {
  return events.reduce((s, e) => inboxKind.evolve(s, e), inboxKind.initialState('1400000000:alice'));
}

describe('inbox decide: group conversations', () => {
  it('deletes up to the group’s newest message, unpins, and clears with ClearRamble', () => {
    const state = given({ type: INBOX_CONV_PINNED, data: { convs: ['GROUPg1'], pinned: true, at: NOW } });
    const d = inboxKind.decide(state, { op: 'deleteGroupConv', groupId: 'g1', upToSeq: 5, clear: true, now: NOW });
    expect(d.events.map((e) => e.type)).to.deep.equal([INBOX_GROUP_CONV_DELETED, INBOX_GROUP_HISTORY_CLEARED]);
    const after = given({ type: INBOX_CONV_PINNED, data: { convs: ['GROUPg1'], pinned: true, at: NOW } }, ...d.events);
    const read = inboxKind.decide(after, { op: 'groupConvs', groupIds: ['g1', 'g2'] }).reply as GroupConvsReply;
    expect(read.convs).to.deep.equal({ g1: { deletedUpTo: 5, clearedUpTo: 5 } });
    expect(read.settings.GROUPg1.pinned).to.equal(false);
    // Nothing newer: a second deletion or clearing stores nothing.
    expect(inboxKind.decide(after, { op: 'deleteGroupConv', groupId: 'g1', upToSeq: 5, clear: true, now: NOW }).events).to.deep.equal([]);
    expect(inboxKind.decide(after, { op: 'clearGroupHistory', groupId: 'g1', upToSeq: 5, now: NOW }).events).to.deep.equal([]);
  });

  it('survives a snapshot taken before group conversations were kept', () => {
    const codec = inboxKind.snapshot!;
    const old = codec.decode(codec.encode(given()));
    delete old.groupConvs;
    const d = inboxKind.decide(old, { op: 'clearGroupHistory', groupId: 'g1', upToSeq: 2, now: NOW });
    const after = d.events.reduce((s, e) => inboxKind.evolve(s, e), old);
    expect(after.groupConvs?.get('g1')).to.deep.equal({ deletedUpTo: 0, clearedUpTo: 2 });
  });
});
