/** The inbox's record of when each conversation changed, which the SDK's incremental list reads (actors/inbox/changes.ts). */
import { expect } from 'chai';
import {
  INBOX_CONTACT_DELETED,
  INBOX_CONTACT_GROUP_CHANGED,
  INBOX_CONV_PINNED,
  INBOX_GROUP_CONV_DELETED,
  INBOX_MESSAGE_REF,
  INBOX_PEER_READ,
  inboxKind,
  type ContactChanges,
  type InboxEvent,
} from '../../../../actors/inbox';

const NOW = 1_700_000_000_000;
const ref = (peer: string, seq: number): InboxEvent => ({
  type: INBOX_MESSAGE_REF,
  data: { peer, from: peer, seq, version: seq, time: NOW / 1000 + seq, msgKey: `${seq}_${seq}_${seq}`, noUnread: false, noLastMsg: false },
});

function changes(events: InboxEvent[], after: number, limit = 50): ContactChanges {
  const state = events.reduce(inboxKind.evolve, inboxKind.initialState('1400000000:alice'));
  return inboxKind.decide(state, { op: 'changes', after, limit }).reply as ContactChanges;
}
const peers = (c: ContactChanges) => c.contacts.map((x) => x.peer);

describe('inbox: conversations changed after a version', () => {
  it('answers the contacts changed after the version, oldest change first, each once', () => {
    const feed = [ref('bob', 1), ref('carol', 1), ref('dave', 1), ref('bob', 2)];
    expect(peers(changes(feed, 0))).to.deep.equal(['carol', 'dave', 'bob']);
    const after2 = changes(feed, 2);
    expect(peers(after2)).to.deep.equal(['dave', 'bob']);
    expect(after2.versions).to.deep.equal([3, 4]);
    expect(after2.version).to.equal(4);
    expect(changes(feed, 4).contacts).to.deep.equal([]);
  });

  it('counts a read, a pin and a conversation-group change as changes, with the settings they made', () => {
    const feed: InboxEvent[] = [
      ref('bob', 1),
      ref('carol', 1),
      ref('dave', 1),
      { type: INBOX_PEER_READ, data: { peer: 'bob', reader: 'alice', seq: 1, at: NOW } },
      { type: INBOX_CONV_PINNED, data: { convs: ['C2Ccarol'], pinned: true, at: NOW } },
    ];
    const found = changes(feed, 3);
    expect(peers(found)).to.deep.equal(['bob', 'carol']);
    expect(found.contacts[0].unread).to.equal(0);
    expect(found.settings.C2Ccarol?.pinned).to.equal(true);
  });

  it('leaves out deleted contacts and names changed group conversations apart', () => {
    const feed: InboxEvent[] = [
      ref('bob', 1),
      ref('carol', 1),
      { type: INBOX_CONTACT_DELETED, data: { peer: 'bob', at: NOW } },
      { type: INBOX_GROUP_CONV_DELETED, data: { groupId: 'g1', upToSeq: 3, at: NOW } },
    ];
    const found = changes(feed, 0);
    expect(peers(found)).to.deep.equal(['carol']);
    expect(found.groupIds).to.deep.equal(['g1']);
  });

  it('ends a page only where the version changes, so one event’s conversations never split', () => {
    const feed: InboxEvent[] = [ref('a', 1), ref('b', 1), ref('c', 1), ref('d', 1), { type: INBOX_CONTACT_GROUP_CHANGED, data: { groupId: 1, added: ['C2Cb', 'C2Cc', 'C2Cd'], removed: [], at: NOW } }, ref('e', 1)];
    const first = changes(feed, 4, 1);
    expect(peers(first)).to.deep.equal(['b', 'c', 'd']);
    expect(first.complete).to.equal(false);
    const rest = changes(feed, first.versions[first.versions.length - 1], 1);
    expect(peers(rest)).to.deep.equal(['e']);
    expect(rest.complete).to.equal(true);
  });
});
