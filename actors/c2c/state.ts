import { splitAppKey } from '../../runtime/kind';
import { CONVERSATION_READ, HISTORY_DELETED, MESSAGES_DELETED, MESSAGES_RECEIPTED, MESSAGE_MODIFIED, MESSAGE_RECALLED, MESSAGE_SENT, msgKeyOf, type C2CEvent } from './events';

/** What the conversation remembers of each stored message: enough to recall, modify and page. */
export interface MessageMeta {
  seq: number;
  /** Version of its MessageSent event in the stream (history reads start there). */
  version: number;
  from: string;
  time: number;
  /** The sender's MsgClientTime, part of the SDK's message ID (absent in snapshots before it was kept). */
  clientTime?: number;
  recalled: boolean;
  /** Modifications so far: the SDK's MsgVersion. */
  edits?: number;
  /** The recipient sent a read receipt for it (c2c_msg_read_receipt). */
  receipted?: boolean;
}

export interface DedupEntry {
  seq: number;
  msgKey: string;
  time: number;
  contentHash: number;
}

export interface C2CState {
  app: number;
  /** The two participants, sorted. */
  users: [string, string];
  lastSeq: number;
  lastTime: number;
  /** Stream version of the last event applied (set by evolve through `version`). */
  version: number;
  /** Messages each user has sent, ever: unread = peer's count − the count at the user's read mark. */
  sent: Record<string, number>;
  /** Per user: the peer's sent count, the seq and that message's time when the user last read. */
  read: Record<string, { count: number; seq: number; at: number; time?: number }>;
  /** Per user: the seq up to which their history is deleted (one-sided). */
  deletedUpTo: Record<string, number>;
  /** `from|random` → the first send, kept five minutes for resends. */
  dedup: Map<string, DedupEntry>;
  /** MsgKey → message, for recall and modification, kept for the roaming period. */
  messages: Map<string, MessageMeta>;
}

/** Key `<sdkAppId>:<a>|<b>` with a < b. */
export function initialState(key: string): C2CState {
  const [app, rest] = splitAppKey(key);
  const pair = rest.split('|') as [string, string];
  return { app, users: pair, lastSeq: 0, lastTime: 0, version: 0, sent: {}, read: {}, deletedUpTo: {}, dedup: new Map(), messages: new Map() };
}

/** Resends are recognised for five minutes (Tencent's window for the same sender and random). */
export const DEDUP_SECONDS = 300;
/**
 * Messages a conversation keeps in memory for recall, modification and paging by MsgKey; the
 * service reads older ones from the log and hands them to the command (`stored`). The default;
 * nodes set it with PARLEY_C2C_REMEMBERED. Was 10,000: a node then grew by ~1.8 KB per message.
 */
export const REMEMBERED_MESSAGES = 200;
/** Resend keys kept at most, whatever their age: a conversation sending faster than this in five minutes is a flood. */
export const REMEMBERED_RESENDS = 2_000;

/**
 * Applies one event. The maps are updated in place: the host hands each state to evolve once
 * and keeps only the result, and copying them per message would make a long conversation
 * quadratic. decide never mutates.
 */
export const evolve = evolveWithin(REMEMBERED_MESSAGES);

/** evolve keeping the newest `remembered` messages in memory. */
export function evolveWithin(remembered: number): (state: C2CState, event: C2CEvent) => C2CState {
  return (state, event) => apply(state, event, Math.max(1, remembered));
}

function apply(state: C2CState, event: C2CEvent, remembered: number): C2CState {
  const version = state.version + 1;
  switch (event.type) {
    case MESSAGE_SENT: {
      const m = event.data;
      const msgKey = msgKeyOf(m);
      forgetBefore(state.dedup, m.time - DEDUP_SECONDS);
      state.dedup.set(`${m.from}|${m.random}`, { seq: m.seq, msgKey, time: m.time, contentHash: m.contentHash });
      if (state.dedup.size > REMEMBERED_RESENDS) state.dedup.delete(state.dedup.keys().next().value as string);
      state.messages.set(msgKey, { seq: m.seq, version, from: m.from, time: m.time, clientTime: m.clientTime || m.time, recalled: false, edits: 0 });
      while (state.messages.size > remembered) state.messages.delete(state.messages.keys().next().value as string);
      return { ...state, version, lastSeq: m.seq, lastTime: m.time, sent: m.noUnread ? state.sent : { ...state.sent, [m.from]: (state.sent[m.from] ?? 0) + 1 } };
    }
    case MESSAGE_RECALLED: {
      const meta = state.messages.get(event.data.msgKey);
      if (meta) meta.recalled = true;
      return { ...state, version };
    }
    case MESSAGE_MODIFIED: {
      const meta = state.messages.get(event.data.msgKey);
      if (meta) meta.edits = (meta.edits ?? 0) + 1;
      return { ...state, version };
    }
    case CONVERSATION_READ: {
      const { reader, seq, at } = event.data;
      const peer = state.users[0] === reader ? state.users[1] : state.users[0];
      // Read marks cover the conversation up to its newest message, whose time the SDK compares with.
      return { ...state, version, read: { ...state.read, [reader]: { count: state.sent[peer] ?? 0, seq, at, time: state.lastTime } } };
    }
    case MESSAGES_DELETED:
      return { ...state, version };
    case MESSAGES_RECEIPTED: {
      for (const msgKey of event.data.msgKeys) {
        const meta = state.messages.get(msgKey);
        if (meta) meta.receipted = true;
      }
      return { ...state, version };
    }
    case HISTORY_DELETED:
      return { ...state, version, deletedUpTo: { ...state.deletedUpTo, [event.data.user]: event.data.upToSeq } };
  }
}

function forgetBefore(dedup: Map<string, DedupEntry>, cutoff: number): void {
  for (const [key, entry] of dedup) {
    if (entry.time >= cutoff) break;
    dedup.delete(key);
  }
}

export const peerOf = (state: C2CState, user: string) => (state.users[0] === user ? state.users[1] : state.users[0]);

export function unreadOf(state: C2CState, user: string): number {
  return (state.sent[peerOf(state, user)] ?? 0) - (state.read[user]?.count ?? 0);
}
