/** What an offline push asks of the recipient's inbox, in one command (`pushView`). */
import { expect } from 'chai';
import { INBOX_MESSAGE_REF, INBOX_PEER_MUTE_SET, INBOX_QUIET_HOURS_SET, inboxKind, type InboxEvent, type PushView } from '../../../../actors/inbox';

const NOW = 1_700_000_000_000;
const SEC = NOW / 1000;
const ref = (peer: string, seq: number): InboxEvent => ({
  type: INBOX_MESSAGE_REF,
  data: { peer, from: peer, seq, version: seq, time: SEC + seq, msgKey: `${seq}_${seq}_${SEC + seq}`, noUnread: false, noLastMsg: false },
});
const view = (events: InboxEvent[], peer?: string) =>
  inboxKind.decide(events.reduce(inboxKind.evolve, inboxKind.initialState('1400000000:alice')), { op: 'pushView', ...(peer ? { peer } : {}) }).reply as PushView;

describe('inbox: push view', () => {
  it("answers the one-to-one unread total and the sender's own unread", () => {
    expect(view([ref('bob', 1), ref('bob', 2), ref('carol', 1)], 'bob')).to.deep.include({ total: 3, peerUnread: 2, peerMute: 0 });
    expect(view([ref('carol', 1)], 'bob')).to.deep.include({ total: 1, peerUnread: 0 });
  });

  it("answers the sender's conversation mute and the user's quiet hours", () => {
    const quiet = { level: 2, startTime: 0, endTime: 0, repeated: false };
    const events: InboxEvent[] = [ref('bob', 1), { type: INBOX_PEER_MUTE_SET, data: { peers: ['bob'], flag: 2, at: NOW } }, { type: INBOX_QUIET_HOURS_SET, data: { ...quiet, at: NOW } }];
    expect(view(events, 'bob')).to.deep.equal({ total: 1, peerUnread: 1, peerMute: 2, quiet });
    expect(view(events).peerMute).to.equal(0);
  });
});
