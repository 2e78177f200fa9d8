/** Request bodies of the one-to-one message commands (fastest-validator) and their types. */
import { userIdRule } from '../accounts/bodies';
import { cloudCustomDataRule, controlListRule } from './elements';
import { offlinePushRule } from './push-info';

const uint32 = { type: 'number', integer: true, min: 0, max: 0xffffffff };
const optionalUser = { ...userIdRule, optional: true };

/** Fields shared by sendmsg, batchsendmsg and importmsg; MsgBody is checked by elements.ts. */
const message = {
  MsgRandom: uint32,
  MsgSeq: { ...uint32, optional: true },
  MsgBody: { type: 'any' },
  CloudCustomData: cloudCustomDataRule,
  OfflinePushInfo: offlinePushRule,
  IsNeedReadReceipt: { type: 'number', integer: true, min: 0, max: 1, optional: true },
  SupportMessageExtension: { type: 'number', integer: true, min: 0, max: 1, optional: true },
  MsgClientTime: { type: 'number', integer: true, min: 0, optional: true },
  From_AccountNick: { type: 'string', max: 500, optional: true },
  From_AccountHeadurl: { type: 'string', max: 500, optional: true },
};

export interface MessageFields {
  MsgRandom: number;
  MsgSeq?: number;
  MsgBody: unknown;
  CloudCustomData?: string;
  OfflinePushInfo?: Record<string, unknown>;
  IsNeedReadReceipt?: number;
  SupportMessageExtension?: number;
  MsgClientTime?: number;
  From_AccountNick?: string;
  From_AccountHeadurl?: string;
}

export interface SendBody extends MessageFields {
  From_Account?: string;
  To_Account: string;
  SyncOtherMachine?: number;
  MsgLifeTime?: number;
  OnlineOnlyFlag?: number;
  SendMsgControl?: string[];
  ForbidCallbackControl?: string[];
}

const sendControls = {
  SyncOtherMachine: { type: 'number', integer: true, min: 1, max: 2, optional: true },
  MsgLifeTime: { type: 'number', integer: true, min: 0, max: 7 * 86400, optional: true },
  OnlineOnlyFlag: { type: 'number', integer: true, min: 0, max: 1, optional: true },
  SendMsgControl: { type: 'array', max: 10, items: { type: 'enum', values: ['NoUnread', 'NoLastMsg', 'WithMuteNotifications'] }, optional: true },
  ForbidCallbackControl: controlListRule,
};

export const sendBody = { ...message, ...sendControls, From_Account: optionalUser, To_Account: userIdRule };

export interface BatchSendBody extends Omit<SendBody, 'To_Account' | 'OnlineOnlyFlag'> {
  To_Account: string[];
}
export const batchSendBody = {
  ...message,
  ...sendControls,
  From_Account: optionalUser,
  To_Account: { type: 'array', items: 'string', min: 1, max: 500 },
};

/** The message of a broadcast (all_member_push: services/messages/broadcast.ts), without its accounts. */
export const broadcastBody = { ...message, ...sendControls };

export interface ImportBody extends MessageFields {
  SyncFromOldSystem: number;
  From_Account: string;
  To_Account: string;
  MsgTimeStamp: number;
}
export const importBody = {
  ...message,
  SyncFromOldSystem: { type: 'enum', values: [1, 2, 3, 4, 5] },
  From_Account: userIdRule,
  To_Account: userIdRule,
  MsgTimeStamp: { type: 'number', integer: true, positive: true },
};

export interface RoamBody {
  Operator_Account: string;
  Peer_Account: string;
  MaxCnt: number;
  MinTime: number;
  MaxTime: number;
  LastMsgKey?: string;
}
export const roamBody = {
  Operator_Account: userIdRule,
  Peer_Account: userIdRule,
  MaxCnt: { type: 'number', integer: true, min: 1, max: 100 },
  MinTime: { type: 'number', integer: true, min: 0 },
  MaxTime: { type: 'number', integer: true, min: 0 },
  LastMsgKey: { type: 'string', optional: true },
};

export interface WithdrawBody {
  From_Account: string;
  To_Account: string;
  MsgKey: string;
}
export const withdrawBody = { From_Account: userIdRule, To_Account: userIdRule, MsgKey: { type: 'string', min: 1, max: 64 } };

export interface SetReadBody {
  Report_Account: string;
  Peer_Account: string;
}
export const setReadBody = { Report_Account: userIdRule, Peer_Account: userIdRule };

/** REST names the message by MsgKey; the SDK by MsgSeq, MsgRandom and MsgTime (and sends its MsgVersion). */
export interface ModifyBody {
  From_Account: string;
  To_Account: string;
  MsgKey?: string;
  MsgSeq?: number;
  MsgRandom?: number;
  MsgTime?: number;
  MsgVersion?: number;
  MsgBody?: unknown;
  CloudCustomData?: string;
}
export const modifyBody = {
  ...withdrawBody,
  MsgKey: { ...withdrawBody.MsgKey, optional: true },
  MsgSeq: { ...uint32, optional: true },
  MsgRandom: { ...uint32, optional: true },
  MsgTime: { type: 'number', integer: true, min: 0, optional: true },
  MsgVersion: { type: 'number', integer: true, min: 0, optional: true },
  MsgBody: { type: 'any', optional: true },
  CloudCustomData: cloudCustomDataRule,
};

/** Renamed fields Tencent accepts in their old form (admin_getroammsg before 2024). */
export const ROAM_RENAMES = { From_Account: 'Operator_Account', To_Account: 'Peer_Account' };
