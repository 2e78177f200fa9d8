/** Per-message read receipts of a one-to-one conversation: which messages a receipt marks, and what it refuses. */
import { expect } from 'chai';
import { DomainError } from '../../../../runtime/kind';
import { MESSAGE_SENT, MESSAGES_RECEIPTED, c2cKind, type C2CEvent, type C2CState, type ReceiptReply } from '../../../../actors/c2c';

const SEC = 1_700_000_000;
const sent = (from: string, to: string, seq: number): C2CEvent => ({
  type: MESSAGE_SENT,
  data: {
    seq, from, to, clientSeq: seq, random: seq, time: SEC, clientTime: SEC, body: '[]', cloudCustomData: '', offlinePush: null, needReadReceipt: true, syncToSender: true,
    fromNick: '', fromFace: '', byAdmin: false, contentHash: seq, forbidCallbacks: [], platform: 'Web', clientIp: '', noUnread: false, noLastMsg: false, lifeTimeSec: 0,
  },
});
const key = (seq: number) => `${seq}_${seq}_${SEC}`;

function given(...events: C2CEvent[]): C2CState {
  return events.reduce((s, e) => c2cKind.evolve(s, e), c2cKind.initialState('1400000000:alice|bob'));
}
const receipt = (state: C2CState, reader: string, keys: string[]) => c2cKind.decide(state, { op: 'receipt', reader, msgKeys: keys, now: SEC * 1000 });
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as DomainError).code;
  }
  return undefined;
};

describe('c2c decide: read receipts', () => {
  it('stores a receipt for messages the reader received, once', () => {
    const state = given(sent('alice', 'bob', 1), sent('alice', 'bob', 2));
    const d = receipt(state, 'bob', [key(2), key(1), key(2)]);
    expect(d.events).to.deep.equal([{ type: MESSAGES_RECEIPTED, data: { reader: 'bob', msgKeys: [key(2), key(1)], seqs: [2, 1], at: SEC * 1000 } }]);
    expect((d.reply as ReceiptReply).receipted.map((r) => r.from)).to.deep.equal(['alice', 'alice']);
    const after = given(sent('alice', 'bob', 1), sent('alice', 'bob', 2), d.events[0]);
    expect(receipt(after, 'bob', [key(1)]).events).to.deep.equal([]);
  });

  it('refuses the whole receipt when one message is the reader’s own or unknown', () => {
    const state = given(sent('alice', 'bob', 1), sent('bob', 'alice', 2));
    expect(refusal(() => receipt(state, 'bob', [key(1), key(2)]))).to.equal(20022);
    expect(refusal(() => receipt(state, 'bob', [key(1), key(9)]))).to.equal(20022);
    expect(refusal(() => receipt(state, 'carol', [key(1)]))).to.equal(20022);
  });
});
