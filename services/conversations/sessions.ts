/**
 * A user's one-to-one conversations as the SDK's conversation list shows them
 * (recentcontact.page_get SessionItem, Type 1), and as the REST recentcontact/get_list does.
 * The inbox actor knows each contact's last message by its place in the conversation stream;
 * its content, and whether it was since recalled, modified or deleted on this side, are read
 * from that stream, from the message on.
 */
import {
  conversationStream,
  HISTORY_DELETED,
  MESSAGE_MODIFIED,
  MESSAGE_RECALLED,
  MESSAGE_SENT,
  MESSAGES_DELETED,
  msgKeyOf,
  type C2CEvent,
  type MessageSentData,
} from '../../actors/c2c';
import { standardMark, type Contact, type ConvSettings } from '../../actors/inbox';
import type { EventLog } from '../../runtime/eventlog';

/** What the list shows of a conversation's last message. */
export interface LastMessage {
  body: unknown[];
  cloudCustomData: string;
  recalled: boolean;
}

/** Events after the last message looked at for its recall or modification. */
const FOLLOW_UP = 200;

export async function lastMessageOf(log: EventLog, app: number, user: string, c: Contact): Promise<LastMessage | undefined> {
  if (c.lastVersion === 0) return undefined;
  const events = (await log.read(conversationStream(app, user, c.peer), c.lastVersion - 1, FOLLOW_UP)) as unknown as C2CEvent[];
  const first = events[0];
  if (first?.type !== MESSAGE_SENT) return undefined;
  const m: MessageSentData = first.data;
  const key = msgKeyOf(m);
  const last: LastMessage = { body: JSON.parse(m.body) as unknown[], cloudCustomData: m.cloudCustomData, recalled: false };
  for (const e of events.slice(1)) {
    if (e.type === MESSAGE_RECALLED && e.data.msgKey === key) last.recalled = true;
    else if (e.type === MESSAGE_MODIFIED && e.data.msgKey === key) {
      if (e.data.body !== null) last.body = JSON.parse(e.data.body) as unknown[];
      if (e.data.cloudCustomData !== null) last.cloudCustomData = e.data.cloudCustomData;
    } else if ((e.type === HISTORY_DELETED && e.data.user === user && e.data.upToSeq >= m.seq) || (e.type === MESSAGES_DELETED && e.data.user === user && e.data.msgKeys.includes(key))) {
      return undefined;
    }
  }
  if (last.recalled) return { body: [], cloudCustomData: '', recalled: true };
  return last;
}

export interface PeerProfile {
  nick: string;
  faceUrl: string;
}

/** recentcontact.page_get SessionItem of a one-to-one conversation (the SDK's conversation builder reads these). */
export function sdkSessionItem(c: Contact, last: LastMessage | undefined, peer: PeerProfile, lastClientSeq: number, settings?: ConvSettings) {
  return {
    Type: 1 as const,
    To_Account: c.peer,
    MsgTimeStamp: c.lastTime,
    MsgSeq: lastClientSeq,
    LastMsg: { MsgBody: last?.body ?? [], CloudCustomData: last?.cloudCustomData ?? '' },
    LastC2CMsgFromAccount: c.lastFrom,
    // Not read for C2C (getmsg's C2CPairUnreadCount sets it), sent for the REST-minded reader.
    UnreadMsgCount: c.unread,
    C2cPeerReadTime: c.peerReadTime ?? 0,
    // 8: the last message was recalled.
    LastMsgFlags: last?.recalled ? 8 : 0,
    TopFlags: settings?.pinned ? 1 : 0,
    C2cNick: peer.nick,
    C2cImage: peer.faceUrl,
    C2cRemark: '',
    MsgRecvOption: settings?.mute ?? 0,
    // A string of bits, the rightmost bit 0: the SDK turns each 1 into a markList entry 2^n.
    StandardMark: standardMark(settings?.marks ?? []),
    CustomMark: settings?.customMark ?? '',
    ContactGroupId: settings?.groups ?? [],
  };
}

/** recentcontact/get_list SessionItem (REST). */
export const restSessionItem = (c: Contact, settings?: ConvSettings) => ({ Type: 1, To_Account: c.peer, MsgTime: c.lastTime, TopFlag: settings?.pinned ? 1 : 0, UnreadMsgCount: c.unread });

/** recentcontact.batch_delete: one result per conversation, in the SDK's shape. */
export const batchDeleteReply = (peers: string[], groupIds: string[] = []) => ({
  ResultItem: [...peers.map((p) => ({ Type: 1, To_Account: p, ResultCode: 0, ResultInfo: '' })), ...groupIds.map((g) => ({ Type: 2, ToGroupid: g, ResultCode: 0, ResultInfo: '' }))],
});
