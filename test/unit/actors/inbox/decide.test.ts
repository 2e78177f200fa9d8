/** A user's inbox (sync feed and recent contacts): given the feed's events, when a command, then events and the reply. */
import { expect } from 'chai';
import {
  INBOX_CONTACT_DELETED,
  INBOX_MESSAGE_REF,
  INBOX_PEER_READ,
  inboxKind,
  type Contact,
  type InboxCommand,
  type InboxEvent,
  type InboxReply,
} from '../../../../actors/inbox';

const NOW = 1_700_000_000_000;
const SEC = NOW / 1000;

/** A message of the conversation with `peer`, sent by `from` (the peer, or alice herself). */
const ref = (peer: string, seq: number, from = peer, more: { noUnread?: boolean; noLastMsg?: boolean } = {}): InboxEvent => ({
  type: INBOX_MESSAGE_REF,
  data: { peer, from, seq, version: seq, time: SEC - 100 + seq, msgKey: `${seq}_${seq}_${SEC - 100 + seq}`, noUnread: false, noLastMsg: false, ...more },
});
const readBy = (reader: string, peer: string, seq: number, time?: number): InboxEvent => ({
  type: INBOX_PEER_READ,
  data: { peer, reader, seq, at: NOW - 1000, ...(time === undefined ? {} : { time }) },
});
const contactDeleted = (peer: string, at = NOW - 500): InboxEvent => ({ type: INBOX_CONTACT_DELETED, data: { peer, at } });
const list: InboxCommand = { op: 'list', offset: 0, limit: 100 };

/** Folds alice's feed. */
function given(...events: InboxEvent[]) {
  const state = events.reduce(inboxKind.evolve, inboxKind.initialState('1400000000:alice'));
  return {
    when(command: InboxCommand) {
      const decision = inboxKind.decide(state, command);
      return {
        then(events: InboxEvent[], reply: Partial<InboxReply>) {
          expect(decision.events).to.deep.equal(events);
          expect(decision.reply).to.deep.include(reply);
        },
        /** The contacts a list answers. */
        contacts: () => (decision.reply as { contacts: Contact[] }).contacts,
      };
    },
  };
}
const peersOf = (contacts: Contact[]) => contacts.map((c) => c.peer);
const contactOf = (peer: string, ...events: InboxEvent[]) => given(...events).when(list).contacts().find((c) => c.peer === peer);

describe('inbox actor: decide', () => {
  describe('recent contacts', () => {
    it('lists contacts with the newest conversation first', () => {
      expect(peersOf(given(ref('bob', 1), ref('carol', 1), ref('dave', 1)).when(list).contacts())).to.deep.equal(['dave', 'carol', 'bob']);
    });

    it('moves a contact to the front when a message arrives in its conversation', () => {
      expect(peersOf(given(ref('bob', 1), ref('carol', 1), ref('bob', 2)).when(list).contacts())).to.deep.equal(['bob', 'carol']);
    });

    it("keeps the last message's place in the conversation stream", () => {
      expect(contactOf('bob', ref('bob', 1), ref('bob', 2, 'alice'))).to.deep.include({
        lastSeq: 2,
        lastVersion: 2,
        lastTime: SEC - 98,
        lastMsgKey: `2_2_${SEC - 98}`,
        lastFrom: 'alice',
      });
    });

    it('keeps place and last message for a NoLastMsg message, which still counts as unread', () => {
      const history = [ref('bob', 1), ref('carol', 1), ref('bob', 2, 'bob', { noLastMsg: true })];
      expect(peersOf(given(...history).when(list).contacts())).to.deep.equal(['carol', 'bob']);
      expect(contactOf('bob', ...history)).to.deep.include({ lastSeq: 1, unread: 2 });
    });

    it('adds no contact for a NoLastMsg message from someone new', () => {
      expect(given(ref('bob', 1, 'bob', { noLastMsg: true })).when(list).contacts()).to.deep.equal([]);
    });

    it('pages the list and says when the last page is reached', () => {
      const history = [ref('bob', 1), ref('carol', 1), ref('dave', 1)];
      given(...history).when({ op: 'list', offset: 0, limit: 2 }).then([], { total: 3, complete: false, version: 3 });
      given(...history).when({ op: 'list', offset: 2, limit: 2 }).then([], { total: 3, complete: true });
      expect(peersOf(given(...history).when({ op: 'list', offset: 2, limit: 2 }).contacts())).to.deep.equal(['bob']);
    });
  });

  describe('unread counts', () => {
    it("counts the peer's messages, not the user's own", () => {
      given(ref('bob', 1), ref('bob', 2, 'alice'), ref('bob', 3)).when({ op: 'unread' }).then([], { total: 2, perPeer: { bob: 2 } });
    });

    it('does not count NoUnread messages', () => {
      given(ref('bob', 1), ref('bob', 2, 'bob', { noUnread: true })).when({ op: 'unread' }).then([], { total: 1, perPeer: { bob: 1 } });
    });

    it('answers the peers asked for, zero for a peer with no conversation, and the total of all', () => {
      given(ref('bob', 1), ref('carol', 1), ref('carol', 2))
        .when({ op: 'unread', peers: ['carol', 'zed'] })
        .then([], { total: 3, perPeer: { carol: 2, zed: 0 } });
    });
  });

  describe('read reports', () => {
    it("clears the unread count and moves the user's mark when the user read the conversation", () => {
      expect(contactOf('bob', ref('bob', 1), ref('bob', 2), readBy('alice', 'bob', 2, SEC - 98))).to.deep.include({ unread: 0, readSeq: 2, peerReadSeq: 0 });
    });

    it('counts only messages that arrived after the read', () => {
      expect(contactOf('bob', ref('bob', 1), readBy('alice', 'bob', 1), ref('bob', 2))).to.deep.include({ unread: 1, readSeq: 1 });
    });

    it("records the peer's read receipt with the time of the newest message the peer read", () => {
      expect(contactOf('bob', ref('bob', 1, 'alice'), readBy('bob', 'bob', 1, SEC - 99))).to.deep.include({ peerReadSeq: 1, peerReadTime: SEC - 99, readSeq: 0 });
    });

    it('takes the moment of reading for a receipt written before the message time was kept', () => {
      expect(contactOf('bob', ref('bob', 1, 'alice'), readBy('bob', 'bob', 1))).to.deep.include({ peerReadTime: Math.floor((NOW - 1000) / 1000) });
    });

    it('ignores a read report for a conversation not in the contacts', () => {
      expect(given(readBy('alice', 'bob', 3)).when(list).contacts()).to.deep.equal([]);
    });
  });

  describe('deleting a contact', () => {
    it('deletes a contact in the list', () => {
      given(ref('bob', 1)).when({ op: 'deleteContact', peer: 'bob', now: NOW }).then([contactDeleted('bob', NOW)], { deleted: true });
    });

    it('records nothing for a contact not in the list', () => {
      given(ref('bob', 1), contactDeleted('bob')).when({ op: 'deleteContact', peer: 'bob', now: NOW }).then([], { deleted: false });
    });

    it('brings a deleted contact back with only the new message unread when its conversation goes on', () => {
      expect(contactOf('bob', ref('bob', 1), ref('bob', 2), contactDeleted('bob'), ref('bob', 3))).to.deep.include({ lastSeq: 3, unread: 1 });
    });
  });

  it('never changes the state it decides on', () => {
    const state = [ref('bob', 1), ref('carol', 1)].reduce(inboxKind.evolve, inboxKind.initialState('1400000000:alice'));
    const before = structuredClone(state);
    inboxKind.decide(state, list);
    inboxKind.decide(state, { op: 'unread' });
    inboxKind.decide(state, { op: 'deleteContact', peer: 'bob', now: NOW });
    expect(state).to.deep.equal(before);
  });
});
