/** The one-to-one conversation decider: given events, when a command, then events, feeds or a refusal code. */
import { expect } from 'chai';
import type { FeedAppend } from '../../../../runtime/eventlog';
import { DomainError } from '../../../../runtime/kind';
import {
  C2C_CODES,
  CONVERSATION_READ,
  MESSAGE_RECALLED,
  MESSAGE_SENT,
  c2cKind,
  type C2CCommand,
  type C2CEvent,
  type C2CReply,
  type SendFields,
} from '../../../../actors/c2c';
import { INBOX_MESSAGE_REF, INBOX_PEER_READ } from '../../../../actors/inbox';

const APP = 1_400_000_000;
const NOW = 1_700_000_000_000;
/** NOW in unix seconds: message times are seconds, command clocks milliseconds. */
const SEC = NOW / 1000;
const RECALL_LIMIT = 120;

/** A text message; its content hash is its random unless given. */
const text = (from: string, to: string, random: number, more: Partial<SendFields> = {}): SendFields => ({
  from,
  to,
  clientSeq: 0,
  random,
  clientTime: 0,
  body: '[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}]',
  cloudCustomData: '',
  offlinePush: null,
  needReadReceipt: false,
  syncToSender: true,
  fromNick: '',
  fromFace: '',
  byAdmin: false,
  contentHash: random,
  forbidCallbacks: [],
  platform: 'RESTAPI',
  clientIp: '',
  noUnread: false,
  noLastMsg: false,
  lifeTimeSec: 0,
  ...more,
});
const sent = (seq: number, m: SendFields, time: number): C2CEvent => ({ type: MESSAGE_SENT, data: { ...m, seq, time, clientSeq: m.clientSeq || seq } });
const recalled = (seq: number, msgKey: string, by: string, at = NOW, from = 'alice'): C2CEvent => ({ type: MESSAGE_RECALLED, data: { seq, msgKey, by, at, from } });
const read = (reader: string, seq: number, at = NOW - 1000): C2CEvent => ({ type: CONVERSATION_READ, data: { reader, seq, at } });
const send = (message: SendFields, now = NOW): C2CCommand => ({ op: 'send', message, now });
const recall = (msgKey: string, by: string, now = NOW, admin = false): C2CCommand => ({ op: 'recall', msgKey, by, admin, limitSeconds: RECALL_LIMIT, now });
const inbox = (user: string) => `inbox:${APP}:${user}`;

/** Folds the history into a conversation between alice and bob (or the pair the key names). */
function given(...events: C2CEvent[]) {
  return givenIn(`${APP}:alice|bob`, events);
}
function givenIn(key: string, events: C2CEvent[]) {
  const state = events.reduce(c2cKind.evolve, c2cKind.initialState(key));
  return {
    when(command: C2CCommand) {
      const run = () => c2cKind.decide(state, command);
      return {
        then(events: C2CEvent[], reply?: Partial<C2CReply>, feeds?: FeedAppend[]) {
          const decision = run();
          expect(decision.events).to.deep.equal(events);
          if (reply) expect(decision.reply).to.deep.include(reply);
          if (feeds) expect(decision.feeds).to.deep.equal(feeds);
          return decision;
        },
        refused(code: number) {
          expect(run).to.throw(DomainError).with.property('code', code);
        },
      };
    },
  };
}

describe('c2c actor: decide', () => {
  describe('send', () => {
    it('stores the first message with seq 1, the server time in seconds and a MsgKey of client seq, random and time', () => {
      given()
        .when(send(text('alice', 'bob', 7)))
        .then([sent(1, text('alice', 'bob', 7), SEC)], { seq: 1, time: SEC, msgKey: `1_7_${SEC}`, duplicate: false, version: 1 });
    });

    it('numbers a message one past the last and keeps the MsgSeq the client chose', () => {
      given(sent(1, text('alice', 'bob', 1), SEC - 9), sent(2, text('bob', 'alice', 2), SEC - 8))
        .when(send(text('alice', 'bob', 3, { clientSeq: 55 })))
        .then([sent(3, text('alice', 'bob', 3, { clientSeq: 55 }), SEC)], { seq: 3, msgKey: `55_3_${SEC}`, version: 3 });
    });

    it('stores an imported message at the time the old system gives', () => {
      given()
        .when({ op: 'import', message: text('alice', 'bob', 7), time: 1_500_000_000, now: NOW })
        .then([sent(1, text('alice', 'bob', 7), 1_500_000_000)], { seq: 1, time: 1_500_000_000 });
    });
  });

  describe('resends within the five-minute window', () => {
    const first = sent(1, text('alice', 'bob', 7), SEC - 299);

    it('answers a resend with the same sender and random with the first result and stores nothing', () => {
      const decision = given(first)
        .when(send(text('alice', 'bob', 7)))
        .then([], { seq: 1, time: SEC - 299, msgKey: `1_7_${SEC - 299}`, duplicate: true, version: 1 });
      expect(decision.feeds).to.equal(undefined);
    });

    it('still recognises a resend exactly five minutes after the first', () => {
      given(sent(1, text('alice', 'bob', 7), SEC - 300))
        .when(send(text('alice', 'bob', 7)))
        .then([], { seq: 1, duplicate: true });
    });

    it('answers a resend with the first seq and version even after later messages', () => {
      given(first, sent(2, text('bob', 'alice', 8), SEC - 10))
        .when(send(text('alice', 'bob', 7)))
        .then([], { seq: 1, version: 1, duplicate: true });
    });

    it('stores a resend as a new message once five minutes have passed', () => {
      given(sent(1, text('alice', 'bob', 7), SEC - 301))
        .when(send(text('alice', 'bob', 7)))
        .then([sent(2, text('alice', 'bob', 7), SEC)], { seq: 2, duplicate: false });
    });

    it('stores the same random from the other user as a new message', () => {
      given(first)
        .when(send(text('bob', 'alice', 7)))
        .then([sent(2, text('bob', 'alice', 7), SEC)], { duplicate: false });
    });

    it('stores the same random with other content as a new message', () => {
      given(first)
        .when(send(text('alice', 'bob', 7, { contentHash: 99 })))
        .then([sent(2, text('alice', 'bob', 7, { contentHash: 99 }), SEC)], { duplicate: false });
    });

    it('never takes an imported message for a resend', () => {
      given(first)
        .when({ op: 'import', message: text('alice', 'bob', 7), time: SEC - 1, now: NOW })
        .then([sent(2, text('alice', 'bob', 7), SEC - 1)], { duplicate: false });
    });
  });

  describe('feeds', () => {
    const ref = (peer: string, from: string, more: { noUnread?: boolean; noLastMsg?: boolean } = {}) => ({
      type: INBOX_MESSAGE_REF,
      data: { peer, from, seq: 1, version: 1, time: SEC, msgKey: `1_7_${SEC}`, noUnread: false, noLastMsg: false, ...more },
    });

    it("references a new message in the recipient's inbox and in the sender's for their other devices", () => {
      given()
        .when(send(text('alice', 'bob', 7)))
        .then([sent(1, text('alice', 'bob', 7), SEC)], undefined, [
          { stream: inbox('bob'), events: [ref('alice', 'alice')] },
          { stream: inbox('alice'), events: [ref('bob', 'alice')] },
        ]);
    });

    it("references the message in the recipient's inbox only when it is not synced to the sender", () => {
      given()
        .when(send(text('alice', 'bob', 7, { syncToSender: false })))
        .then([sent(1, text('alice', 'bob', 7, { syncToSender: false }), SEC)], undefined, [{ stream: inbox('bob'), events: [ref('alice', 'alice')] }]);
    });

    it('references a message a user sends to themselves once', () => {
      givenIn(`${APP}:alice|alice`, [])
        .when(send(text('alice', 'alice', 7)))
        .then([sent(1, text('alice', 'alice', 7), SEC)], undefined, [{ stream: inbox('alice'), events: [ref('alice', 'alice')] }]);
    });

    it('carries NoUnread and NoLastMsg to the references', () => {
      const flags = { noUnread: true, noLastMsg: true };
      given()
        .when(send(text('alice', 'bob', 7, flags)))
        .then([sent(1, text('alice', 'bob', 7, flags), SEC)], undefined, [
          { stream: inbox('bob'), events: [ref('alice', 'alice', flags)] },
          { stream: inbox('alice'), events: [ref('bob', 'alice', flags)] },
        ]);
    });

    it("tells both inboxes of a read: the reader's clears its unread, the peer's gets a receipt", () => {
      const receipt = { reader: 'bob', seq: 2, at: NOW, time: SEC - 5 };
      given(sent(1, text('alice', 'bob', 1), SEC - 9), sent(2, text('alice', 'bob', 2), SEC - 5))
        .when({ op: 'read', reader: 'bob', now: NOW })
        .then([{ type: CONVERSATION_READ, data: { reader: 'bob', seq: 2, at: NOW } }], undefined, [
          { stream: inbox('bob'), events: [{ type: INBOX_PEER_READ, data: { peer: 'alice', ...receipt } }] },
          { stream: inbox('alice'), events: [{ type: INBOX_PEER_READ, data: { peer: 'bob', ...receipt } }] },
        ]);
    });
  });

  describe('recall', () => {
    const key = `1_7_${SEC - 60}`;
    const message = sent(1, text('alice', 'bob', 7), SEC - 60);

    it('lets the sender recall their message within the limit', () => {
      given(message)
        .when(recall(key, 'alice'))
        .then([recalled(1, key, 'alice')], { msgKey: key, seq: 1, version: 1, from: 'alice', clientTime: SEC - 60 });
    });

    it('lets the sender recall their message at the last second of the limit', () => {
      given(message)
        .when(recall(key, 'alice', (SEC - 60 + RECALL_LIMIT) * 1000))
        .then([recalled(1, key, 'alice', (SEC - 60 + RECALL_LIMIT) * 1000)]);
    });

    it('refuses the sender one second past the limit with 20016', () => {
      given(message)
        .when(recall(key, 'alice', (SEC - 60 + RECALL_LIMIT + 1) * 1000))
        .refused(C2C_CODES.RECALL_TOO_LATE);
    });

    it('refuses the recipient with 20022, as if the message did not exist', () => {
      given(message).when(recall(key, 'bob')).refused(C2C_CODES.NOT_FOUND);
    });

    it('lets an administrator recall any message, however old', () => {
      const old = sent(1, text('alice', 'bob', 7), SEC - 86_400);
      const oldKey = `1_7_${SEC - 86_400}`;
      given(old)
        .when(recall(oldKey, 'administrator', NOW, true))
        .then([recalled(1, oldKey, 'administrator')]);
    });

    it('refuses to recall a message twice with 20023', () => {
      given(message, recalled(1, key, 'alice')).when(recall(key, 'alice')).refused(C2C_CODES.ALREADY_RECALLED);
    });

    it('refuses an administrator a second recall with 20023 too', () => {
      given(message, recalled(1, key, 'alice')).when(recall(key, 'administrator', NOW, true)).refused(C2C_CODES.ALREADY_RECALLED);
    });

    it('refuses to recall an unknown MsgKey with 20022', () => {
      given(message).when(recall(`2_8_${SEC}`, 'alice')).refused(C2C_CODES.NOT_FOUND);
    });
  });

  describe('read marks', () => {
    const one = sent(1, text('alice', 'bob', 1), SEC - 9);
    const two = sent(2, text('alice', 'bob', 2), SEC - 5);

    it("moves the reader's mark to the newest message and answers its time", () => {
      given(one, two)
        .when({ op: 'read', reader: 'bob', now: NOW })
        .then([{ type: CONVERSATION_READ, data: { reader: 'bob', seq: 2, at: NOW } }], { changed: true, readTime: SEC - 5 });
    });

    it('records nothing when nothing arrived since the last read, answering the old mark', () => {
      given(one, two, read('bob', 2)).when({ op: 'read', reader: 'bob', now: NOW }).then([], { changed: false, readTime: SEC - 5 });
    });

    it('moves the mark forward to a message that arrived after the last read', () => {
      given(one, read('bob', 1), two)
        .when({ op: 'read', reader: 'bob', now: NOW })
        .then([{ type: CONVERSATION_READ, data: { reader: 'bob', seq: 2, at: NOW } }], { changed: true });
    });

    it("counts the peer's messages after the reader's mark as unread", () => {
      given(one, read('bob', 1), two, sent(3, text('bob', 'alice', 3), SEC - 1))
        .when({ op: 'get', user: 'bob' })
        .then([], { lastSeq: 3, unread: 1, readSeq: 1 });
    });

    it("shows the sender how far the peer has read, with that message's time", () => {
      given(one, two, read('bob', 2))
        .when({ op: 'get', user: 'alice' })
        .then([], { peerReadSeq: 2, peerReadTime: SEC - 5, unread: 0 });
    });

    it('does not count NoUnread messages as unread', () => {
      given(sent(1, text('alice', 'bob', 1, { noUnread: true }), SEC - 9)).when({ op: 'get', user: 'bob' }).then([], { lastSeq: 1, unread: 0 });
    });
  });

  it('never changes the state it decides on', () => {
    const state = [sent(1, text('alice', 'bob', 7), SEC - 60)].reduce(c2cKind.evolve, c2cKind.initialState(`${APP}:alice|bob`));
    const before = structuredClone(state);
    c2cKind.decide(state, send(text('alice', 'bob', 8)));
    c2cKind.decide(state, recall(`1_7_${SEC - 60}`, 'alice'));
    c2cKind.decide(state, { op: 'read', reader: 'bob', now: NOW });
    expect(state).to.deep.equal(before);
  });
});
