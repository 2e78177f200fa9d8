/**
 * Every shape a group takes on the wire, one typed builder each: the SDK's pushes (new message,
 * tips, system notices, recalls — each with ToGroupId, without which the SDK crashes), group and
 * member items of REST and SDK replies, and history items. Field names are Tencent's; the SDK
 * renames them itself (docs/sdk-protocol.md).
 */
import { readableGroupFields, readableMemberFields, sdkTypeName, type Actor, type FieldRules, type GroupType, type GroupView, type Member, type MessageSentData, type TipBody, type TipStoredData, type Who } from '../../actors/group';
import { POLICIES, RECEIPT_TYPES } from '../../actors/group';
import { tinyIdOf } from '../connector/identity';

const PRIORITY_NAMES = ['', 'High', 'Normal', 'Low', 'Lowest'] as const;
export const priorityOf = (name: string | undefined): number => Math.max(1, PRIORITY_NAMES.indexOf((name ?? 'Normal') as 'Normal'));

export interface GroupMessageItem {
  GroupInfo: { GroupId: string; GroupType: string; From_AccountNick: string; From_AccountHeadurl: string; MsgFrom_AccountExtraInfo: { NameCard: string }; MillionGroupFlag?: number; TopicId?: string };
  ToTopicId?: string;
  ToGroupId: string;
  From_Account: string;
  MsgSeq: number;
  MsgRandom: number;
  MsgTimeStamp: number;
  MsgClientTime: number;
  TinyId: string;
  MsgBody: unknown[];
  CloudCustomData: string;
  MsgPriority: number;
  /** 0 normal, 1 deleted (placeholder), 2 recalled. */
  IsPlaceMsg: number;
  OnlineOnlyFlag: number;
  GroupAtInfo: { GroupAtAllFlag: number; GroupAt_Account: string }[];
  SendMsgControl?: { NoUnread: number };
  NeedReadReceipt?: number;
  SupportMessageExtension?: number;
}

/**
 * `topicId`: a topic's message. The SDK files it under the topic's conversation when
 * GroupInfo carries MillionGroupFlag 2 (a Community with topics) and the TopicId.
 */
export function groupMessageItem(app: number, groupId: string, type: GroupType, m: MessageSentData, place = 0, onlineOnly = false, topicId?: string): GroupMessageItem {
  const recalledOrDeleted = place !== 0;
  const topic = topicId ? { MillionGroupFlag: 2, TopicId: topicId } : {};
  return {
    GroupInfo: { GroupId: groupId, GroupType: sdkTypeName(type), From_AccountNick: m.fromNick, From_AccountHeadurl: m.fromFace, MsgFrom_AccountExtraInfo: { NameCard: m.nameCard }, ...topic },
    ...(topicId ? { ToTopicId: topicId } : {}),
    ToGroupId: groupId,
    From_Account: m.from,
    MsgSeq: m.seq,
    MsgRandom: m.random,
    MsgTimeStamp: m.time,
    MsgClientTime: m.clientTime || m.time,
    TinyId: tinyIdOf(app, m.from),
    MsgBody: recalledOrDeleted ? [] : (JSON.parse(m.body) as unknown[]),
    CloudCustomData: recalledOrDeleted ? '' : m.cloudCustomData,
    MsgPriority: m.priority,
    IsPlaceMsg: place,
    OnlineOnlyFlag: onlineOnly ? 1 : 0,
    GroupAtInfo: [...(m.atAll ? [{ GroupAtAllFlag: 1, GroupAt_Account: '' }] : []), ...m.atUsers.map((u) => ({ GroupAtAllFlag: 0, GroupAt_Account: u }))],
    // A targeted message counts as unread for nobody: the SDK reads this as messageControlInfo.excludedFromUnreadCount.
    ...(m.to && m.to.length > 0 ? { SendMsgControl: { NoUnread: 1 } } : {}),
    // The SDK reads this as needReadReceipt, which its receipt calls require; only where receipts exist.
    ...(m.needReadReceipt && !topicId && RECEIPT_TYPES.includes(type) ? { NeedReadReceipt: 1 } : {}),
    // The SDK reads it as isSupportExtension, which its extension calls require.
    ...(m.supportExtension ? { SupportMessageExtension: 1 } : {}),
  };
}

/** im_open_push.msg_push of new group messages. */
export const groupMessagePush = (items: GroupMessageItem[]) => ({ EventArray: [{ Event: 3, GroupMsgArray: items }] });

const PROFILE_KEYS: Record<string, string> = { name: 'GroupName', faceUrl: 'GroupFaceUrl', introduction: 'GroupIntroduction', notification: 'GroupNotification', owner: 'Owner_Account' };

/** Nick and face URL by account, for the names a tip shows (history fills it; pushes leave it out). */
export type Profiles = ReadonlyMap<string, { nick: string; faceUrl: string }>;

export function tipItem(groupId: string, type: GroupType, seq: number, time: number, tip: TipBody, profiles?: Profiles) {
  const info: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tip.profile ?? {})) {
    if (k in PROFILE_KEYS) info[PROFILE_KEYS[k]] = v;
    else if (k === 'applyJoin') info.GroupApplyJoinOption = v;
    else if (k === 'muteAll') info.ShutupAll = v ? 1 : 0;
    else if (k === 'custom') info.MsgAppDefinedData = Object.entries(v as Record<string, string>).map(([Key, Value]) => ({ Key, Value }));
  }
  // Group attributes: the SDK applies the change itself when PushChangedAttrValFlag is 1 and the
  // sequence is the next one it expects, else it asks get_group_attr [bundle: _onGroupAttributesUpdated].
  if (tip.attributes) info.GroupAttrOption = { OpType: tip.attributes.op, GroupAttrSeq: tip.attributes.seq, PushChangedAttrValFlag: 1, GroupAttrInfo: tip.attributes.items };
  return {
    GroupInfo: { GroupId: groupId, GroupType: sdkTypeName(type) },
    ToGroupId: groupId,
    From_Account: tip.by,
    MsgSeq: seq,
    MsgRandom: seq,
    MsgTimeStamp: time,
    MsgBody: {
      OpType: tip.opType,
      Operator_Account: tip.by,
      List_Account: tip.users,
      MemberNum: tip.memberNum,
      MsgGroupNewInfo: info,
      // Group counters: the SDK reads elements.groupCounterInfo [bundle: isGroupCountersNotice].
      ...(tip.counters ? { GroupCounterInfo: [{ Type: tip.counters.type, GroupCounterSeq: tip.counters.seq, GroupCounter: tip.counters.items.map((i) => ({ Key: i.key, Value: Number(i.value) })) }] } : {}),
      ...(profiles ? { MsgOperatorMemberExtraInfo: { NickName: profiles.get(tip.by)?.nick ?? '', ImageUrl: profiles.get(tip.by)?.faceUrl ?? '' } } : {}),
      MsgMemberExtraInfo: tip.users.map((u) => ({
        User_Account: u,
        ShutupTime: tip.muteSeconds ?? 0,
        ...(profiles ? { NickName: profiles.get(u)?.nick ?? '', ImageUrl: profiles.get(u)?.faceUrl ?? '' } : {}),
      })),
    },
  };
}

/**
 * A stored tip inside a history page (group_msg_get): the push item of §7.7 plus `Event: 4`,
 * which is what makes the SDK read its MsgBody object as a tip element rather than a list of
 * elements.
 */
export function tipHistoryItem(app: number, groupId: string, type: GroupType, t: TipStoredData, profiles?: Profiles) {
  const item = tipItem(groupId, type, t.seq, t.time, JSON.parse(t.tip) as TipBody, profiles);
  return { ...item, Event: 4, IsPlaceMsg: 0, MsgPriority: 2, MsgClientTime: t.time, TinyId: tinyIdOf(app, t.by), CloudCustomData: '' };
}

/** Tips: Event 4 when stored (a message of the conversation with a sequence), 6 when online only. */
export const tipPush = (stored: boolean, items: ReturnType<typeof tipItem>[]) => ({ EventArray: [{ Event: stored ? 4 : 6, GroupTips: items }] });

/** Group system notices (online only): ReportType 1 application, 2 approved, 3 refused, 4 removed, 5 disbanded, 8 quit, 255 custom. */
export function systemNoticePush(groupId: string, type: GroupType, time: number, by: string, reportType: number, content: string) {
  const item = {
    GroupInfo: { GroupId: groupId, GroupType: sdkTypeName(type) },
    ToGroupId: groupId,
    From_Account: by,
    MsgSeq: 0,
    MsgRandom: time,
    MsgTimeStamp: time,
    MsgBody: { ReportType: reportType, Operator_Account: by, RemarkInfo: reportType === 255 ? '' : content, UserDefinedField: reportType === 255 ? content : '' },
  };
  return { EventArray: [{ Event: 5, GroupTips: [item] }] };
}

export function recallPush(app: number, groupId: string, type: GroupType, time: number, by: string, items: { seq: number; random: number; clientTime: number; from: string }[], topicId?: string) {
  const item = {
    GroupInfo: { GroupId: groupId, GroupType: sdkTypeName(type), ...(topicId ? { MillionGroupFlag: 2, TopicId: topicId } : {}) },
    ToGroupId: groupId,
    From_Account: by,
    MsgTimeStamp: time,
    MsgBody: {
      OpType: 0,
      GroupWithdrawInfoArray: items.map((i) => ({ GroupId: groupId, ...(topicId ? { TopicId: topicId } : {}), MsgSeq: i.seq, MsgRandom: i.random, TinyId: tinyIdOf(app, i.from), MsgClientTime: i.clientTime, RevokerInfo: { Revoker: by } })),
    },
  };
  return { EventArray: [{ Event: 5, GroupTips: [item] }] };
}

/**
 * New read counts of a sender's messages (group read receipts): a GroupTips item of Event 5 whose
 * body holds GroupMsgReceiptList; the SDK finds each message by tinyID-clientTime-random and
 * fires MESSAGE_READ_RECEIPT_RECEIVED [bundle: onReadReceiptList, updateReadReceiptInfo].
 */
export function receiptPush(app: number, groupId: string, type: GroupType, time: number, by: string, items: { seq: number; random: number; clientTime: number; from: string; read: number; unread: number }[]) {
  const item = {
    GroupInfo: { GroupId: groupId, GroupType: sdkTypeName(type) },
    ToGroupId: groupId,
    From_Account: by,
    MsgTimeStamp: time,
    MsgBody: { GroupMsgReceiptList: items.map((i) => ({ MsgSeq: i.seq, MsgRandom: i.random, MsgClientTime: i.clientTime, TinyId: tinyIdOf(app, i.from), ReadNum: i.read, UnreadNum: i.unread })) },
  };
  return { EventArray: [{ Event: 5, GroupTips: [item] }] };
}

const custom = (fields: Record<string, string>) => Object.entries(fields).map(([Key, Value]) => ({ Key, Value }));

/**
 * Who reads a reply, for the custom fields it may show (actors/group/fields.ts): the app's
 * rules, the reader's role in the group, and the keys the request asked for, if it named any.
 */
export interface Reader {
  rules: FieldRules;
  actor: Actor;
  /** The reader's account (a member reads their own fields by the self rules). */
  id: string;
  groupKeys?: string[];
  memberKeys?: string[];
}

export const readerOf = (rules: FieldRules, v: GroupView, who: Who, keys: { groupKeys?: string[]; memberKeys?: string[] } = {}): Reader => ({
  rules,
  actor: who.admin ? 'AppAdmin' : (v.self?.role ?? 'NotMember'),
  id: who.admin ? '' : who.id,
  ...keys,
});

/** One group as get_group_info, get_joined_group_list and get_group_self_member_info describe it. */
export function groupInfo(v: GroupView, sdk: boolean, reader: Reader) {
  const p = v.profile;
  return {
    GroupId: v.id,
    ErrorCode: 0,
    ErrorInfo: '',
    Type: sdk ? sdkTypeName(p.type) : p.type,
    Name: p.name,
    Introduction: p.introduction,
    Notification: p.notification,
    FaceUrl: p.faceUrl,
    Owner_Account: p.owner,
    CreateTime: p.createTime,
    InfoSeq: p.infoSeq,
    LastInfoTime: p.lastInfoTime,
    LastMsgTime: v.lastMsgTime,
    NextMsgSeq: v.lastSeq + 1,
    MemberNum: v.memberNum,
    MaxMemberNum: p.maxMembers,
    ApplyJoinOption: p.applyJoin,
    InviteJoinOption: p.inviteJoin,
    MuteAllMember: p.muteAll ? 'On' : 'Off',
    ShutUpAllMember: p.muteAll ? 'On' : 'Off',
    AppDefinedData: custom(readableGroupFields(reader.rules, reader.actor, p.custom, reader.groupKeys)),
    ...(p.type === 'Community' ? { SupportTopic: p.supportTopic ? 1 : 0 } : {}),
  };
}

export function memberItem(user: string, m: Member, mutedUntil: number, type: GroupType, lastSeq: number, reader: Reader) {
  return {
    Member_Account: user,
    Role: m.role,
    JoinTime: m.joinTime,
    MsgSeq: POLICIES[type].unreadCounts ? m.readSeq : lastSeq,
    MsgFlag: m.msgFlag,
    LastSendMsgTime: m.lastSendTime,
    NameCard: m.nameCard,
    MuteUntil: mutedUntil,
    ShutUpUntil: mutedUntil,
    AppMemberDefinedData: custom(readableMemberFields(reader.rules, type, reader.actor, user === reader.id, m.custom, reader.memberKeys)),
  };
}

/** SelfInfo of a joined-group item; `unread` as the group counts it (targeted messages left out), else lastSeq − readSeq. */
export const selfInfo = (m: Member, type: GroupType, lastSeq: number, unread = lastSeq - m.readSeq) => ({
  Role: m.role,
  JoinTime: m.joinTime,
  MsgFlag: m.msgFlag,
  MsgSeq: POLICIES[type].unreadCounts ? m.readSeq : lastSeq,
  NameCard: m.nameCard,
  UnreadMsgNum: POLICIES[type].unreadCounts ? Math.max(0, unread) : 0,
});
