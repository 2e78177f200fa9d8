/**
 * The shapes one-to-one messages take on the wire, one typed builder per reply and push
 * (DESIGN.md: the SDK crashes or loops on incomplete answers). Field names are the SDK's wire
 * names (docs/sdk-protocol.md); the SDK renames them itself. The push and sync item is one
 * builder, used for push, getmsg and getroammsg alike, so the SDK computes the same message ID
 * (`<sender TinyId>-<MsgClientTime>-<MsgRandom>`) whichever way a message arrives.
 */
import { msgKeyOf, type MessageSentData } from '../../actors/c2c';
import { tinyIdOf } from '../connector/identity';

export interface C2CWireMessage {
  From_Account: string;
  To_Account: string;
  MsgSeq: number;
  MsgRandom: number;
  MsgTimeStamp: number;
  MsgClientTime: number;
  TinyId: string;
  MsgKey: string;
  MsgBody: unknown[];
  CloudCustomData: string;
  From_AccountNick: string;
  From_AccountHeadurl: string;
  IsNeedReadReceipt: number;
  SupportMessageExtension?: number;
}

export function wireMessage(app: number, m: MessageSentData): C2CWireMessage {
  return {
    From_Account: m.from,
    To_Account: m.to,
    MsgSeq: m.clientSeq,
    MsgRandom: m.random,
    MsgTimeStamp: m.time,
    MsgClientTime: m.clientTime || m.time,
    TinyId: tinyIdOf(app, m.from),
    MsgKey: msgKeyOf(m),
    MsgBody: JSON.parse(m.body) as unknown[],
    CloudCustomData: m.cloudCustomData,
    From_AccountNick: m.fromNick,
    From_AccountHeadurl: m.fromFace,
    IsNeedReadReceipt: m.needReadReceipt ? 1 : 0,
    // The SDK reads it as isSupportExtension, which its extension calls require.
    ...(m.supportExtension ? { SupportMessageExtension: 1 } : {}),
  };
}

/** Push of new one-to-one messages (servcmd im_open_push.msg_push, event 1). */
export const c2cPush = (messages: C2CWireMessage[]) => ({ EventArray: [{ Event: 1, C2cMsgArray: messages }] });

/** Event number of C2C notifications (recall, read receipts, edits); any non-special value works. */
const NOTIFY_EVENT = 4;

/** What a recall or edit push needs to find the message on a device. */
export interface MessageIdentity {
  from: string;
  to: string;
  clientSeq: number;
  random: number;
  time: number;
  clientTime: number;
}

/** A recall, to every device of both users: the SDK fires MESSAGE_REVOKED. */
export function recallPush(app: number, m: MessageIdentity, revoker: string) {
  const item = {
    From_Account: m.from,
    To_Account: m.to,
    MsgSeq: m.clientSeq,
    MsgRandom: m.random,
    MsgTimeStamp: m.time,
    TinyId: tinyIdOf(app, m.from),
    MsgClientTime: m.clientTime,
    RevokerInfo: { Revoker: revoker, Reason: '' },
  };
  return { EventArray: [{ Event: NOTIFY_EVENT, C2cNotifyMsgArray: [{ WithdrawC2cMsgNotify: { C2cWithdrawInfoArray: [item] } }] }] };
}

/**
 * To the peer of a reader (the sender of what was read): MESSAGE_READ_BY_PEER for its messages up
 * to `readTime`. `To_Account` names the reader: the conversation on the receiving side.
 */
export function readReceiptPush(reader: string, peer: string, readTime: number) {
  const pair = { From_Account: peer, To_Account: reader, LastReadTime: readTime };
  return { EventArray: [{ Event: NOTIFY_EVENT, C2cNotifyMsgArray: [{ C2cReadedReceipt: { To_Account: reader, UinPairReadArray: [pair] } }] }] };
}

/** To the reader's devices: the conversation with `peer` is read (their unread count drops to 0). */
export function readNoticePush(peer: string, readTime: number) {
  return { EventArray: [{ Event: NOTIFY_EVENT, C2cNotifyMsgArray: [{ ReadC2cMsgNotify: { UinPairReadArray: [{ From_Account: peer, LastReadTime: readTime }] } }] }] };
}

/** A modified message's new content and version, as the modify reply and push carry it. */
export interface ModifiedContent {
  MsgBody: unknown[];
  CloudCustomData: string;
  MsgVersion: number;
}

/** To every device of both users: the SDK fires MESSAGE_MODIFIED where the version is newer. */
export function modifyPush(m: MessageIdentity, content: ModifiedContent) {
  const item = { From_Account: m.from, To_Account: m.to, MsgSeq: m.clientSeq, MsgRandom: m.random, MsgTime: m.time, ...content };
  return { EventArray: [{ Event: NOTIFY_EVENT, C2cMsgModNotifys: [item] }] };
}

/** MsgFlagBits of a REST roaming item: 0 normal, 1 recalled (Tencent's REST recall flag). */
export function roamItem(m: MessageSentData, recalled: boolean, peerReadSeq: number, reader: string, receipted = false) {
  return {
    From_Account: m.from,
    To_Account: m.to,
    MsgSeq: m.clientSeq,
    MsgRandom: m.random,
    MsgTimeStamp: m.time,
    MsgFlagBits: recalled ? 1 : 0,
    IsPeerRead: isPeerRead(m, peerReadSeq, reader, receipted),
    MsgKey: msgKeyOf(m),
    MsgBody: recalled ? [] : (JSON.parse(m.body) as unknown[]),
    CloudCustomData: recalled ? '' : m.cloudCustomData,
  };
}

/** For the sender: the peer read the conversation past it, or sent a read receipt for it. */
const isPeerRead = (m: MessageSentData, peerReadSeq: number, reader: string, receipted: boolean) => (m.from === reader && (m.seq <= peerReadSeq || receipted) ? 1 : 0);

const RECALLED_BODY = [{ MsgType: 'TIMTextElem', MsgContent: { Text: '' } }];

/** An SDK history item (openim.getroammsg): the push item plus recall flag (8), read and edit state. */
export function sdkRoamItem(app: number, m: MessageSentData, recalled: boolean, peerReadSeq: number, reader: string, edits: number, receipted = false) {
  const item = wireMessage(app, m);
  return {
    ...item,
    // The SDK drops a history item without elements; a recalled one keeps its place, not its content.
    MsgBody: recalled ? RECALLED_BODY : item.MsgBody,
    CloudCustomData: recalled ? '' : item.CloudCustomData,
    MsgFlagBits: recalled ? 8 : 0,
    IsPeerRead: isPeerRead(m, peerReadSeq, reader, receipted),
    MsgVersion: edits,
  };
}
export type SdkRoamItem = ReturnType<typeof sdkRoamItem>;

/**
 * openim.getroammsg: `MsgList` oldest first; `LastMsgTime` and `MsgKey` are the cursor the SDK
 * sends back for the next page (the oldest item going back, the newest going forward).
 */
export function sdkRoamReply(oldestFirst: SdkRoamItem[], complete: boolean, cursor: SdkRoamItem | undefined) {
  return { Complete: complete ? 1 : 0, MsgCnt: oldestFirst.length, LastMsgTime: cursor?.MsgTimeStamp ?? 0, MsgKey: cursor?.MsgKey ?? '', MsgList: oldestFirst };
}

/** openim.get_peer_read_time: one time per asked user, in the order asked (0 = nothing read). */
export const peerReadTimeReply = (times: number[]) => ({ ReadTime: times });
