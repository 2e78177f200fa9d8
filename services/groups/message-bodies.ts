/** Request bodies of the group message commands (fastest-validator) and their TypeScript types. */
import { cloudCustomDataRule, controlListRule } from '../messages/elements';
import { offlinePushRule } from '../messages/push-info';
import { account, groupId, int, str } from './bodies';

export { groupBody, type GroupBody } from './bodies';

export interface SendBody {
  GroupId: string;
  From_Account?: string;
  Random: number;
  ClientSeq?: number;
  MsgPriority?: string;
  MsgBody: unknown;
  CloudCustomData?: string;
  OfflinePushInfo?: Record<string, unknown>;
  OnlineOnlyFlag?: number;
  SendMsgControl?: string[];
  ForbidCallbackControl?: string[];
  MsgClientTime?: number;
  GroupAtInfo?: { GroupAtAllFlag?: number; GroupAt_Account?: string }[];
  TopicId?: string;
  To_Account?: string[];
  NeedReadReceipt?: number;
  SupportMessageExtension?: number;
}
export const sendBody = {
  GroupId: groupId,
  From_Account: { ...account, optional: true },
  Random: int(0, 0xffffffff, false),
  ClientSeq: int(0, 0xffffffff),
  MsgPriority: { type: 'enum', values: ['High', 'Normal', 'Low', 'Lowest'], optional: true },
  MsgBody: { type: 'any' },
  CloudCustomData: cloudCustomDataRule,
  OfflinePushInfo: offlinePushRule,
  OnlineOnlyFlag: int(0, 1),
  SendMsgControl: controlListRule,
  ForbidCallbackControl: controlListRule,
  MsgClientTime: int(0, 0xffffffff),
  // GroupAt_Account is a member, or the SDK's @all marker `__kImSDK_MesssageAtALL__`.
  GroupAtInfo: { type: 'array', optional: true, max: 100, items: { type: 'object', strict: 'remove', props: { GroupAtAllFlag: int(0, 1), GroupAt_Account: str(64) } } },
  // The seed: a topic ID is at most 96 bytes.
  TopicId: str(96),
  // A targeted message: at most 50 receivers (actors/group/messages.ts MAX_TARGETS).
  To_Account: { type: 'array', optional: true, max: 50, items: account },
  // Read receipts (actors/group/receipts.ts); the SDK sends 0 or 1.
  NeedReadReceipt: int(0, 1),
  // Key-value extensions (services/extensions); the SDK sends 0 or 1.
  SupportMessageExtension: int(0, 1),
};

export interface NoticeBody {
  GroupId: string;
  TopicId?: string;
  ToMembers_Account?: string[];
  Content: string;
}
export const noticeBody = { GroupId: groupId, TopicId: str(96), ToMembers_Account: { type: 'array', items: account, optional: true, max: 500 }, Content: { type: 'string', min: 1, max: 12 * 1024 } };

export interface RecallBody {
  GroupId: string;
  TopicId?: string;
  MsgSeqList: { MsgSeq: number }[];
}
export const recallBody = { GroupId: groupId, TopicId: str(96), MsgSeqList: { type: 'array', min: 1, max: 10, items: { type: 'object', strict: 'remove', props: { MsgSeq: int(1, Number.MAX_SAFE_INTEGER, false) } } }, Reason: str(100) };

export interface HistoryBody {
  GroupId: string;
  TopicId?: string;
  ReqMsgSeq?: number;
  ReqMsgNumber: number;
  WithRecalledMsg?: number;
}
export const historyBody = (max: number) => ({ GroupId: groupId, TopicId: str(96), ReqMsgSeq: int(0, Number.MAX_SAFE_INTEGER), ReqMsgNumber: int(1, max, false), WithRecalledMsg: int(0, 1) });

export interface ImportMsgBody {
  GroupId: string;
  TopicId?: string;
  MsgList: { From_Account: string; SendTime: number; Random?: number; MsgBody: unknown; CloudCustomData?: string }[];
}
export const importMsgBody = {
  GroupId: groupId,
  TopicId: str(96),
  RecentContactFlag: int(0, 1),
  MsgList: {
    type: 'array',
    min: 1,
    max: 20,
    items: { type: 'object', strict: 'remove', props: { From_Account: account, SendTime: int(0, 0xffffffff, false), Random: int(0, 0xffffffff), MsgBody: { type: 'any' }, CloudCustomData: cloudCustomDataRule } },
  },
};

export interface UnreadBody {
  GroupId: string;
  Member_Account: string;
  UnreadMsgNum: number;
}
export const unreadBody = { GroupId: groupId, Member_Account: account, UnreadMsgNum: int(0, 0xffffffff, false) };

export interface BySenderBody {
  GroupId: string;
  TopicId?: string;
  Sender_Account: string;
}
export const bySenderBody = { GroupId: groupId, TopicId: str(96), Sender_Account: account };

export interface ReadBody {
  GroupId: string;
  TopicId?: string;
  MsgReadedSeq: number;
  Report_Account?: string;
}
export const readBody = { GroupId: groupId, TopicId: str(96), MsgReadedSeq: int(0, Number.MAX_SAFE_INTEGER, false), Report_Account: { ...account, optional: true } };
