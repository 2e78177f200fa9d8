/** A conversation's memory window: what it keeps, and how commands about older messages carry them from the log. */
import { expect } from 'chai';
import { DomainError } from '../../../../runtime/kind';
import { REMEMBERED_RESENDS } from '../../../../actors/c2c/state';
import { C2C_CODES, c2cKindWithin, MESSAGE_RECALLED, MESSAGE_SENT, MESSAGES_DELETED, type C2CEvent, type MessageSentData, type StoredMessage } from '../../../../actors/c2c';

const APP = 1_400_000_000;
const SEC = 1_700_000_000;
const kind = c2cKindWithin(3);

const message = (seq: number, from = 'alice'): MessageSentData => ({
  seq, from, to: from === 'alice' ? 'bob' : 'alice', clientSeq: seq, random: 100 + seq, time: SEC + seq, clientTime: SEC + seq,
  body: '[]', cloudCustomData: '', offlinePush: null, needReadReceipt: false, syncToSender: true, fromNick: '', fromFace: '',
  byAdmin: false, contentHash: seq, forbidCallbacks: [], platform: '', clientIp: '', noUnread: false, noLastMsg: false, lifeTimeSec: 0,
});
const keyOf = (seq: number) => `${seq}_${100 + seq}_${SEC + seq}`;
const conversation = (count: number) =>
  Array.from({ length: count }, (_, i): C2CEvent => ({ type: MESSAGE_SENT, data: message(i + 1) })).reduce(kind.evolve, kind.initialState(`${APP}:alice|bob`));
const fromLog = (seq: number, more: Partial<StoredMessage> = {}): StoredMessage => ({ msgKey: keyOf(seq), seq, version: seq, from: 'alice', time: SEC + seq, clientTime: SEC + seq, recalled: false, edits: 0, ...more });
const recall = (seq: number, stored?: StoredMessage[]) => ({ op: 'recall' as const, msgKey: keyOf(seq), by: 'administrator', admin: true, limitSeconds: 120, now: (SEC + 50) * 1000, stored });

describe('c2c actor: memory window', () => {
  it('keeps the newest messages only', () => {
    const state = conversation(10);
    expect([...state.messages.keys()]).to.deep.equal([keyOf(8), keyOf(9), keyOf(10)]);
    expect(state.lastSeq).to.equal(10);
    expect(state.sent.alice).to.equal(10);
  });

  it('keeps at most REMEMBERED_RESENDS resend keys, even within the five minutes', () => {
    const burst = Array.from({ length: REMEMBERED_RESENDS + 10 }, (_, i): C2CEvent => ({ type: MESSAGE_SENT, data: { ...message(i + 1), time: SEC } }));
    const state = burst.reduce(kind.evolve, kind.initialState(`${APP}:alice|bob`));
    expect(state.dedup.size).to.equal(REMEMBERED_RESENDS);
    expect(state.dedup.has(`alice|${100 + REMEMBERED_RESENDS + 10}`)).to.equal(true);
  });

  it('answers NOT_FOUND for an older message, so the service looks in the log', () => {
    expect(() => kind.decide(conversation(10), recall(2))).to.throw(DomainError).with.property('code', C2C_CODES.NOT_FOUND);
  });

  it('recalls an older message the command carries from the log, naming its sender', () => {
    const decision = kind.decide(conversation(10), recall(2, [fromLog(2)]));
    expect(decision.events).to.deep.equal([{ type: MESSAGE_RECALLED, data: { seq: 2, msgKey: keyOf(2), by: 'administrator', at: (SEC + 50) * 1000, from: 'alice' } }]);
  });

  it('refuses to recall twice what the log shows recalled', () => {
    expect(() => kind.decide(conversation(10), recall(2, [fromLog(2, { recalled: true })]))).to.throw(DomainError).with.property('code', C2C_CODES.ALREADY_RECALLED);
  });

  it('trusts a carried message only for the key it names and a sequence the conversation reached', () => {
    expect(() => kind.decide(conversation(10), recall(2, [fromLog(3)]))).to.throw(DomainError).with.property('code', C2C_CODES.NOT_FOUND);
    expect(() => kind.decide(conversation(10), recall(11, [fromLog(11)]))).to.throw(DomainError).with.property('code', C2C_CODES.NOT_FOUND);
  });

  it('deletes the keys it knows and names the ones it does not, then the older ones once carried', () => {
    const state = conversation(10);
    const first = kind.decide(state, { op: 'deleteMessages', user: 'bob', msgKeys: [keyOf(2), keyOf(9)], now: 1 });
    expect(first.reply).to.deep.equal({ changed: true, missing: [keyOf(2)] });
    expect(first.events).to.deep.equal([{ type: MESSAGES_DELETED, data: { user: 'bob', msgKeys: [keyOf(9)], seqs: [9], at: 1 } }]);
    const second = kind.decide(state, { op: 'deleteMessages', user: 'bob', msgKeys: [keyOf(2)], now: 2, stored: [fromLog(2)] });
    expect(second.events).to.deep.equal([{ type: MESSAGES_DELETED, data: { user: 'bob', msgKeys: [keyOf(2)], seqs: [2], at: 2 } }]);
  });
});
