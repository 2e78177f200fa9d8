/**
 * Request bodies of the one-to-one commands only the SDK sends (fastest-validator) and their
 * types. The field names are what arrives on the wire after the SDK's own renaming.
 */
import { userIdRule } from '../accounts/bodies';

const uint32 = { type: 'number', integer: true, min: 0, max: 0xffffffff };
const time = { type: 'number', integer: true, min: 0 };

/** openim.getroammsg: history of the conversation with Peer_Account, before the MsgKey cursor. */
export interface SdkRoamBody {
  Peer_Account: string;
  MaxCnt?: number;
  LastMsgTime?: number;
  MsgKey?: string;
  WithRecalledMsg?: number;
  /** 0: older than the cursor, newest first (getMessageList); 1: newer than LastMsgTime. */
  GetDirection?: number;
}
export const sdkRoamBody = {
  Peer_Account: userIdRule,
  MaxCnt: { type: 'number', integer: true, min: 1, max: 100, optional: true },
  LastMsgTime: { ...time, optional: true },
  MsgKey: { type: 'string', max: 64, optional: true },
  WithRecalledMsg: { type: 'number', integer: true, min: 0, max: 1, optional: true },
  GetDirection: { type: 'number', integer: true, min: 0, max: 1, optional: true },
};

/** openim.msgwithdraw: the message as the sender's device knows it. */
export interface SdkWithdrawBody {
  MsgInfo: { From_Account: string; To_Account: string; MsgSeq: number; MsgRandom: number; MsgTimeStamp: number };
}
export const sdkWithdrawBody = {
  MsgInfo: { type: 'object', props: { From_Account: userIdRule, To_Account: userIdRule, MsgSeq: uint32, MsgRandom: uint32, MsgTimeStamp: time } },
};

/** openim.msgreaded: conversations read up to their newest message. */
export interface SdkReadBody {
  C2CMsgReaded: { Cookie?: string; C2CMsgReadedItem: { To_Account: string; LastedMsgTime?: number; Receipt?: number }[] };
}
export const sdkReadBody = {
  C2CMsgReaded: {
    type: 'object',
    props: {
      Cookie: { type: 'string', optional: true },
      C2CMsgReadedItem: {
        type: 'array',
        min: 1,
        max: 100,
        items: { type: 'object', props: { To_Account: userIdRule, LastedMsgTime: { ...time, optional: true }, Receipt: { type: 'number', optional: true } } },
      },
    },
  },
};

/** openim.get_peer_read_time: up to when each peer has read the conversation with the caller. */
export interface PeerReadTimeBody {
  To_Account: string[];
}
export const peerReadTimeBody = { To_Account: { type: 'array', items: 'string', min: 1, max: 100 } };

/** openim.delete_c2c_msg_ramble: delete messages on the caller's side only. */
export interface DeleteMessagesBody {
  From_Account?: string;
  To_Account: string;
  MsgKeyList: string[];
}
export const deleteMessagesBody = {
  From_Account: { type: 'string', optional: true },
  To_Account: userIdRule,
  MsgKeyList: { type: 'array', items: { type: 'string', max: 64 }, min: 1, max: 30 },
};
