/** Conversations touched from outside the inbox's stream (actors/inbox/touch.ts): what the incremental list sends again. */
import { expect } from 'chai';
import { INBOX_CONVS_TOUCHED, INBOX_GROUP_NOTICE_KEPT, INBOX_MESSAGE_REF, inboxKind, type ContactChanges, type InboxCommand, type InboxEvent, type InboxState } from '../../../../actors/inbox';

const NOW = 1_700_000_000_000;
const ref = (peer: string, seq: number): InboxEvent => ({
  type: INBOX_MESSAGE_REF,
  data: { peer, from: peer, seq, version: seq, time: NOW / 1000 + seq, msgKey: `${seq}_${seq}_${seq}`, noUnread: false, noLastMsg: false },
});
const stateOf = (events: InboxEvent[]) => events.reduce(inboxKind.evolve, inboxKind.initialState('1400000000:alice'));

function touch(state: InboxState, command: Omit<Extract<InboxCommand, { op: 'touch' }>, 'op' | 'now'>) {
  const decision = inboxKind.decide(state, { op: 'touch', now: NOW, ...command });
  return { events: decision.events, after: decision.events.reduce(inboxKind.evolve, state) };
}
const changes = (state: InboxState, after: number) => inboxKind.decide(state, { op: 'changes', after, limit: 50 }).reply as ContactChanges;

describe('inbox: conversations touched from elsewhere', () => {
  it('records a touched group conversation as changed, and nothing else about it', () => {
    const state = stateOf([ref('bob', 1)]);
    const { events, after } = touch(state, { convs: ['GROUPg1'] });
    expect(events).to.deep.equal([{ type: INBOX_CONVS_TOUCHED, data: { convs: ['GROUPg1'], at: NOW } }]);
    expect(changes(after, 1).groupIds).to.deep.equal(['g1']);
    expect(changes(after, 1).contacts).to.deep.equal([]);
    expect(after.contacts.get('bob')).to.deep.equal(state.contacts.get('bob'));
  });

  it('touches a one-to-one conversation for a recall or an edit only while that message is its last', () => {
    const state = stateOf([ref('bob', 1), ref('carol', 1), ref('bob', 2)]);
    expect(touch(state, { convs: ['C2Cbob'], lastMsgKey: '1_1_1' }).events).to.deep.equal([]);
    const { after } = touch(state, { convs: ['C2Cbob'], lastMsgKey: '2_2_2' });
    expect(changes(after, 3).contacts.map((c) => c.peer)).to.deep.equal(['bob']);
  });

  it('leaves alone a one-to-one conversation that is not in the list', () => {
    const state = stateOf([ref('bob', 1)]);
    expect(touch(state, { convs: ['C2Cnobody'] }).events).to.deep.equal([]);
    expect(touch(state, { convs: ['C2Cbob', 'C2Cnobody'] }).events[0].data).to.deep.equal({ convs: ['C2Cbob'], at: NOW });
  });

  it('moves a touched conversation behind the cursor, so a pass that already sent it sends it again', () => {
    const state = stateOf([ref('bob', 1), ref('carol', 1)]);
    const { after } = touch(state, { convs: ['C2Cbob'] });
    expect(changes(after, 0).contacts.map((c) => c.peer)).to.deep.equal(['carol', 'bob']);
    expect(changes(after, 0).versions).to.deep.equal([2, 3]);
  });

  it('keeps a group system notice for the feed without changing the list', () => {
    const state = stateOf([ref('bob', 1)]);
    const decision = inboxKind.decide(state, { op: 'keepGroupNotice', groupId: 'g1', groupType: 'Public', reportType: 5, by: 'carol', time: NOW / 1000, now: NOW });
    expect(decision.events).to.deep.equal([{ type: INBOX_GROUP_NOTICE_KEPT, data: { groupId: 'g1', groupType: 'Public', reportType: 5, by: 'carol', time: NOW / 1000, at: NOW } }]);
    const after = decision.events.reduce(inboxKind.evolve, state);
    expect(after.version).to.equal(2);
    expect(changes(after, 1)).to.include({ complete: true }).and.nested.include({ 'contacts.length': 0, 'groupIds.length': 0 });
  });
});
