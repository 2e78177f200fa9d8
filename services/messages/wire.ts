/**
 * The shapes a stored one-to-one message takes on the wire: the SDK's push and sync item
 * (one builder, used for both, so the SDK computes the same message ID either way) and the
 * REST roaming item.
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
  };
}

/** Push of new one-to-one messages (servcmd im_open_push.msg_push, event 1). */
export const c2cPush = (messages: C2CWireMessage[]) => ({ EventArray: [{ Event: 1, C2cMsgArray: messages }] });

/** MsgFlagBits of a roaming item: 0 normal, 1 recalled (Tencent's recall flag). */
export function roamItem(m: MessageSentData, recalled: boolean, peerReadSeq: number, reader: string) {
  return {
    From_Account: m.from,
    To_Account: m.to,
    MsgSeq: m.clientSeq,
    MsgRandom: m.random,
    MsgTimeStamp: m.time,
    MsgFlagBits: recalled ? 1 : 0,
    IsPeerRead: m.from === reader && m.seq <= peerReadSeq ? 1 : 0,
    MsgKey: msgKeyOf(m),
    MsgBody: recalled ? [] : (JSON.parse(m.body) as unknown[]),
    CloudCustomData: recalled ? '' : m.cloudCustomData,
  };
}
