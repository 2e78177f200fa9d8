/**
 * Rules of a one-to-one conversation: sequence, resends, recall, read marks, modification and
 * one-sided deletion. Message bodies arrive validated (services/messages/elements.ts);
 * permissions between the two users (blocklist, friends) are checked before the command.
 */
import type { FeedAppend } from '../../runtime/eventlog';
import { DomainError, type Decision } from '../../runtime/kind';
import { INBOX_PEER_READ, INBOX_MESSAGE_REF, inboxStream } from '../inbox/events';
import {
  CONVERSATION_READ,
  HISTORY_DELETED,
  MESSAGES_DELETED,
  MESSAGE_MODIFIED,
  MESSAGE_RECALLED,
  MESSAGE_SENT,
  msgKeyOf,
  type C2CEvent,
  type MessageSentData,
} from './events';
import { DEDUP_SECONDS, unreadOf, type C2CState, type MessageMeta } from './state';
import { receipt, type ReceiptCommand, type ReceiptReply } from './receipt';

export type SendFields = Omit<MessageSentData, 'seq' | 'time'>;

/**
 * A message older than the conversation keeps in memory, as the service read it from the log:
 * commands about a message carry it when the actor answered NOT_FOUND (or `missing`) before.
 */
export interface StoredMessage extends MessageMeta {
  msgKey: string;
}

export type C2CCommand =
  /**
   * `bulkPush`: the sender writes the push jobs of this message itself, for many recipients in one
   * append (all_member_push, services/pushtasks), so none is written with it. Not stored.
   */
  | { op: 'send'; message: SendFields; now: number; bulkPush?: true }
  /** importmsg: the time is the old system's; nothing is pushed. */
  | { op: 'import'; message: SendFields; time: number; now: number }
  | { op: 'recall'; msgKey: string; by: string; admin: boolean; limitSeconds: number; now: number; stored?: StoredMessage[] }
  | { op: 'read'; reader: string; now: number }
  /** `by`: a user modifying over the SDK, who must be the sender; absent for administrators. */
  | { op: 'modify'; msgKey: string; body?: string; cloudCustomData?: string; by?: string; now: number; stored?: StoredMessage[] }
  | { op: 'deleteHistory'; user: string; now: number }
  /** One-sided deletion of single messages; keys found neither in memory nor in `stored` come back as `missing`. */
  | { op: 'deleteMessages'; user: string; msgKeys: string[]; now: number; stored?: StoredMessage[] }
  | { op: 'get'; user: string }
  /** Per-message read receipts (actors/c2c/receipt.ts). */
  | ReceiptCommand
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
  /** Time (unix s) of the newest message the peer has read; 0 if none. */
  peerReadTime: number;
  deletedUpTo: number;
  version: number;
}

export interface Located {
  msgKey: string;
  seq: number;
  version: number;
  /** Modifications after this command (modify only): the SDK's MsgVersion. */
  edits?: number;
  /** The sender and their MsgClientTime (recall and modify): what a push needs to find the message. */
  from?: string;
  clientTime?: number;
}

export interface ReadReply {
  changed: boolean;
  /** Time (unix s) of the newest message now read. */
  readTime: number;
}

/** deleteMessages: whether anything was deleted, and the keys neither memory nor `stored` knew. */
export interface DeleteReply {
  changed: boolean;
  missing?: string[];
}

export type C2CReply = SendReply | ConversationView | Located | ReadReply | DeleteReply | ReceiptReply;

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
      if (unreadOf(state, command.reader) === 0 && readSeq >= state.lastSeq) return { events: [], reply: { changed: false, readTime: readTimeOf(state.read[command.reader]) } };
      const data = { reader: command.reader, seq: state.lastSeq, at: command.now };
      const peer = state.users[0] === command.reader ? state.users[1] : state.users[0];
      const feedEvent = { type: INBOX_PEER_READ, data: { peer: '', reader: command.reader, seq: state.lastSeq, at: command.now, time: state.lastTime } };
      const feeds: FeedAppend[] = [
        { stream: inboxStream(appId, command.reader), events: [{ ...feedEvent, data: { ...feedEvent.data, peer } }] },
        { stream: inboxStream(appId, peer), events: [{ ...feedEvent, data: { ...feedEvent.data, peer: command.reader } }] },
      ];
      return { events: [{ type: CONVERSATION_READ, data }], reply: { changed: true, readTime: state.lastTime }, feeds };
    }
    case 'modify': {
      const meta = found(state, command.msgKey, command.stored);
      if (command.by !== undefined && command.by !== meta.from) throw new DomainError(C2C_CODES.NOT_FOUND, 'only the sender may modify a message');
      if (meta.recalled) throw new DomainError(C2C_CODES.ALREADY_RECALLED, 'a recalled message cannot be modified');
      const data = { seq: meta.seq, msgKey: command.msgKey, body: command.body ?? null, cloudCustomData: command.cloudCustomData ?? null, at: command.now };
      return { events: [{ type: MESSAGE_MODIFIED, data }], reply: { ...located(meta, command.msgKey), edits: (meta.edits ?? 0) + 1 } };
    }
    case 'deleteMessages': {
      const known = [...new Set(command.msgKeys)].map((k) => [k, metaOf(state, k, command.stored)] as const);
      const missing = known.filter(([, meta]) => !meta).map(([k]) => k);
      const msgKeys = known.filter(([, meta]) => meta).map(([k]) => k);
      if (msgKeys.length === 0) return { events: [], reply: { changed: false, missing } };
      // Their sequences too: the history index files the deletion under each message (schemas/c2c/MessagesDeleted.avsc).
      const seqs = known.flatMap(([, meta]) => (meta ? [meta.seq] : []));
      return { events: [{ type: MESSAGES_DELETED, data: { user: command.user, msgKeys, seqs, at: command.now } }], reply: { changed: true, missing } };
    }
    case 'deleteHistory': {
      if ((state.deletedUpTo[command.user] ?? 0) >= state.lastSeq) return { events: [], reply: { changed: false } };
      return { events: [{ type: HISTORY_DELETED, data: { user: command.user, upToSeq: state.lastSeq, at: command.now } }], reply: { changed: true } };
    }
    case 'get':
      return { events: [], reply: view(state, command.user) };
    case 'receipt':
      return receipt(state, command);
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
  const ref = (peer: string) => ({ type: INBOX_MESSAGE_REF, data: { peer, from: m.from, seq, version, time, msgKey, noUnread: m.noUnread, noLastMsg: m.noLastMsg } });
  const feeds: FeedAppend[] = [{ stream: inboxStream(appId, m.to), events: [ref(m.from)] }];
  if (m.syncToSender && m.from !== m.to) feeds.push({ stream: inboxStream(appId, m.from), events: [ref(m.to)] });
  return { events: [{ type: MESSAGE_SENT, data }], reply: { seq, time, msgKey, duplicate: false, version }, feeds };
}

function recall(state: C2CState, c: Extract<C2CCommand, { op: 'recall' }>): Decision<C2CEvent, C2CReply> {
  const meta = found(state, c.msgKey, c.stored);
  if (meta.recalled) throw new DomainError(C2C_CODES.ALREADY_RECALLED, 'the message was already recalled');
  if (!c.admin) {
    if (meta.from !== c.by) throw new DomainError(C2C_CODES.NOT_FOUND, 'only the sender may recall a message');
    if (Math.floor(c.now / 1000) - meta.time > c.limitSeconds) throw new DomainError(C2C_CODES.RECALL_TOO_LATE, `messages can be recalled within ${c.limitSeconds} s`);
  }
  const data = { seq: meta.seq, msgKey: c.msgKey, by: c.by, at: c.now, from: meta.from };
  return { events: [{ type: MESSAGE_RECALLED, data }], reply: located(meta, c.msgKey) };
}

const located = (meta: MessageMeta, msgKey: string): Located => ({ msgKey, seq: meta.seq, version: meta.version, from: meta.from, clientTime: meta.clientTime ?? meta.time });

/** In memory first; a stored message handed in is trusted only for the key it names. */
function metaOf(state: C2CState, msgKey: string, stored?: StoredMessage[]): MessageMeta | undefined {
  return state.messages.get(msgKey) ?? stored?.find((m) => m.msgKey === msgKey && m.seq <= state.lastSeq);
}

function found(state: C2CState, msgKey: string, stored?: StoredMessage[]): MessageMeta {
  const meta = metaOf(state, msgKey, stored);
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
    peerReadTime: readTimeOf(state.read[peer]),
    deletedUpTo: state.deletedUpTo[user] ?? 0,
    version: state.version,
  };
}

/** Read marks written before their message time was kept fall back to the moment of reading. */
function readTimeOf(mark: C2CState['read'][string] | undefined): number {
  if (!mark) return 0;
  return mark.time ?? Math.floor(mark.at / 1000);
}
