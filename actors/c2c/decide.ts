/**
 * Rules of a one-to-one conversation: sequence, resends, recall, read marks, modification and
 * one-sided deletion. Message bodies arrive validated (services/messages/elements.ts);
 * permissions between the two users (blocklist, friends) are checked before the command.
 */
import type { FeedAppend } from '../../store/eventlog';
import { DomainError, type Decision } from '../kind';
import { INBOX_PEER_READ, INBOX_MESSAGE_REF, inboxStream } from '../inbox/events';
import {
  CONVERSATION_READ,
  HISTORY_DELETED,
  MESSAGE_MODIFIED,
  MESSAGE_RECALLED,
  MESSAGE_SENT,
  msgKeyOf,
  type C2CEvent,
  type MessageSentData,
} from './events';
import { DEDUP_SECONDS, unreadOf, type C2CState, type MessageMeta } from './state';

export type SendFields = Omit<MessageSentData, 'seq' | 'time'>;

export type C2CCommand =
  | { op: 'send'; message: SendFields; now: number }
  /** importmsg: the time is the old system's; nothing is pushed. */
  | { op: 'import'; message: SendFields; time: number; now: number }
  | { op: 'recall'; msgKey: string; by: string; admin: boolean; limitSeconds: number; now: number }
  | { op: 'read'; reader: string; now: number }
  | { op: 'modify'; msgKey: string; body?: string; cloudCustomData?: string; now: number }
  | { op: 'deleteHistory'; user: string; now: number }
  | { op: 'get'; user: string }
  /** Where a message is in the stream (history paging by MsgKey). */
  | { op: 'locate'; msgKey: string };

export interface SendReply {
  seq: number;
  time: number;
  msgKey: string;
  /** True when this was a resend within the window: nothing new was stored. */
  duplicate: boolean;
  /** Version of the MessageSent event in the conversation's stream. */
  version: number;
}

export interface ConversationView {
  lastSeq: number;
  lastTime: number;
  unread: number;
  readSeq: number;
  peerReadSeq: number;
  deletedUpTo: number;
  version: number;
}

export interface Located {
  msgKey: string;
  seq: number;
  version: number;
}

export type C2CReply = SendReply | ConversationView | Located | { changed: boolean };

/** Tencent's one-to-one message codes. */
export const C2C_CODES = { NOT_FOUND: 20022, ALREADY_RECALLED: 20023, RECALL_TOO_LATE: 20016, INVALID: 90001 } as const;

export function decide(state: C2CState, command: C2CCommand): Decision<C2CEvent, C2CReply> {
  const appId = state.app;
  switch (command.op) {
    case 'send':
      return send(state, command.message, Math.floor(command.now / 1000), appId, true);
    case 'import':
      return send(state, command.message, command.time, appId, false);
    case 'recall':
      return recall(state, command);
    case 'read': {
      const readSeq = state.read[command.reader]?.seq ?? 0;
      if (unreadOf(state, command.reader) === 0 && readSeq >= state.lastSeq) return { events: [], reply: { changed: false } };
      const data = { reader: command.reader, seq: state.lastSeq, at: command.now };
      const peer = state.users[0] === command.reader ? state.users[1] : state.users[0];
      const feedEvent = { type: INBOX_PEER_READ, data: { peer: '', reader: command.reader, seq: state.lastSeq, at: command.now } };
      const feeds: FeedAppend[] = [
        { stream: inboxStream(appId, command.reader), events: [{ ...feedEvent, data: { ...feedEvent.data, peer } }] },
        { stream: inboxStream(appId, peer), events: [{ ...feedEvent, data: { ...feedEvent.data, peer: command.reader } }] },
      ];
      return { events: [{ type: CONVERSATION_READ, data }], reply: { changed: true }, feeds };
    }
    case 'modify': {
      const meta = found(state, command.msgKey);
      const data = { seq: meta.seq, msgKey: command.msgKey, body: command.body ?? null, cloudCustomData: command.cloudCustomData ?? null, at: command.now };
      return { events: [{ type: MESSAGE_MODIFIED, data }], reply: { msgKey: command.msgKey, seq: meta.seq, version: meta.version } };
    }
    case 'deleteHistory': {
      if ((state.deletedUpTo[command.user] ?? 0) >= state.lastSeq) return { events: [], reply: { changed: false } };
      return { events: [{ type: HISTORY_DELETED, data: { user: command.user, upToSeq: state.lastSeq, at: command.now } }], reply: { changed: true } };
    }
    case 'get':
      return { events: [], reply: view(state, command.user) };
    case 'locate': {
      const meta = found(state, command.msgKey);
      return { events: [], reply: { msgKey: command.msgKey, seq: meta.seq, version: meta.version } };
    }
    default: {
      const never: never = command;
      throw new DomainError(C2C_CODES.INVALID, `unknown conversation command ${JSON.stringify(never)}`);
    }
  }
}

function send(state: C2CState, m: SendFields, time: number, appId: number, live: boolean): Decision<C2CEvent, C2CReply> {
  const first = state.dedup.get(`${m.from}|${m.random}`);
  if (live && first && first.contentHash === m.contentHash && first.time >= time - DEDUP_SECONDS) {
    const meta = state.messages.get(first.msgKey);
    return { events: [], reply: { seq: first.seq, time: first.time, msgKey: first.msgKey, duplicate: true, version: meta?.version ?? 0 } };
  }
  const seq = state.lastSeq + 1;
  const data: MessageSentData = { ...m, seq, time, clientSeq: m.clientSeq || seq };
  const msgKey = msgKeyOf(data);
  const version = state.version + 1;
  const ref = (peer: string) => ({ type: INBOX_MESSAGE_REF, data: { peer, from: m.from, seq, version, time, msgKey } });
  const feeds: FeedAppend[] = [{ stream: inboxStream(appId, m.to), events: [ref(m.from)] }];
  if (m.syncToSender && m.from !== m.to) feeds.push({ stream: inboxStream(appId, m.from), events: [ref(m.to)] });
  return { events: [{ type: MESSAGE_SENT, data }], reply: { seq, time, msgKey, duplicate: false, version }, feeds };
}

function recall(state: C2CState, c: Extract<C2CCommand, { op: 'recall' }>): Decision<C2CEvent, C2CReply> {
  const meta = found(state, c.msgKey);
  if (meta.recalled) throw new DomainError(C2C_CODES.ALREADY_RECALLED, 'the message was already recalled');
  if (!c.admin) {
    if (meta.from !== c.by) throw new DomainError(C2C_CODES.NOT_FOUND, 'only the sender may recall a message');
    if (Math.floor(c.now / 1000) - meta.time > c.limitSeconds) throw new DomainError(C2C_CODES.RECALL_TOO_LATE, `messages can be recalled within ${c.limitSeconds} s`);
  }
  const data = { seq: meta.seq, msgKey: c.msgKey, by: c.by, at: c.now };
  return { events: [{ type: MESSAGE_RECALLED, data }], reply: { msgKey: c.msgKey, seq: meta.seq, version: meta.version } };
}

function found(state: C2CState, msgKey: string): MessageMeta {
  const meta = state.messages.get(msgKey);
  if (!meta) throw new DomainError(C2C_CODES.NOT_FOUND, `no message ${msgKey} in this conversation`);
  return meta;
}

function view(state: C2CState, user: string): ConversationView {
  const peer = state.users[0] === user ? state.users[1] : state.users[0];
  return {
    lastSeq: state.lastSeq,
    lastTime: state.lastTime,
    unread: unreadOf(state, user),
    readSeq: state.read[user]?.seq ?? 0,
    peerReadSeq: state.read[peer]?.seq ?? 0,
    deletedUpTo: state.deletedUpTo[user] ?? 0,
    version: state.version,
  };
}
