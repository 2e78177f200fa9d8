/** Request bodies of the group and membership commands (fastest-validator) and their TypeScript types; message commands in message-bodies.ts. */
export const str = (max: number, optional = true) => ({ type: 'string', max, optional });
export const int = (min: number, max: number, optional = true) => ({ type: 'number', integer: true, min, max, optional });
export const account = { type: 'string', min: 1, max: 64 };
const accounts = (max: number) => ({ type: 'array', items: account, min: 1, max });
const keyValues = { type: 'array', optional: true, max: 20, items: { type: 'object', strict: 'remove', props: { Key: { type: 'string', min: 1 }, Value: { type: 'string' } } } };

export const groupId = { type: 'string', min: 1, max: 128 };

export interface KeyValue {
  Key: string;
  Value: string;
}

export interface MemberEntry {
  Member_Account: string;
  Role?: string;
  JoinTime?: number;
  NameCard?: string;
  UnreadMsgNum?: number;
  AppMemberDefinedData?: KeyValue[];
}
const memberEntry = {
  type: 'object',
  strict: 'remove',
  props: {
    Member_Account: account,
    Role: { type: 'enum', values: ['Admin', 'Member', 'Owner'], optional: true },
    JoinTime: int(0, 0xffffffff),
    NameCard: str(50),
    UnreadMsgNum: int(0, 0xffffffff),
    AppMemberDefinedData: keyValues,
  },
};

export interface CreateBody {
  Owner_Account?: string;
  Type: string;
  GroupId?: string;
  Name: string;
  Introduction?: string;
  Notification?: string;
  FaceUrl?: string;
  MaxMemberCount?: number;
  MaxMemberNum?: number;
  ApplyJoinOption?: string;
  InviteJoinOption?: string;
  AppDefinedData?: KeyValue[];
  MemberList?: MemberEntry[];
  CreateTime?: number;
  SupportTopic?: number;
}
export const createBody = {
  Owner_Account: { ...account, optional: true },
  Type: { type: 'string', min: 1, max: 32 },
  // '' is no ID (the SDK sends it when the app gave none): actions.ts generates one.
  GroupId: { type: 'string', max: 128, optional: true },
  Name: { type: 'string', min: 1, max: 120 },
  Introduction: str(1000),
  Notification: str(1000),
  FaceUrl: str(400),
  MaxMemberCount: int(1, 1_000_000),
  MaxMemberNum: int(1, 1_000_000),
  ApplyJoinOption: { type: 'enum', values: ['FreeAccess', 'NeedPermission', 'DisableApply'], optional: true },
  InviteJoinOption: { type: 'enum', values: ['FreeAccess', 'NeedPermission', 'DisableInvite'], optional: true },
  AppDefinedData: keyValues,
  MemberList: { type: 'array', items: memberEntry, max: 500, optional: true },
  CreateTime: int(0, 0xffffffff),
  SupportTopic: int(0, 1),
};

export interface GroupsBody {
  GroupIdList: string[];
  ResponseFilter?: { AppDefinedDataFilter_Group?: string[]; AppDefinedDataFilter_GroupMember?: string[] };
}
const keyFilter = { type: 'array', items: 'string', max: 20, optional: true };
export const groupsBody = {
  GroupIdList: { type: 'array', items: groupId, min: 1, max: 50 },
  ResponseFilter: { type: 'object', optional: true, strict: 'remove', props: { AppDefinedDataFilter_Group: keyFilter, AppDefinedDataFilter_GroupMember: keyFilter } },
};

export interface GroupBody {
  GroupId: string;
}
export const groupBody = { GroupId: groupId };

export interface TopicGroupBody {
  GroupId: string;
  TopicId?: string;
}
export const topicGroupBody = { GroupId: groupId, TopicId: str(96) };

export interface MembersBody {
  GroupId: string;
  Limit?: number;
  Offset?: number;
  Next?: string;
  MemberRoleFilter?: string[];
  AppDefinedDataFilter_GroupMember?: string[];
}
export const membersBody = {
  GroupId: groupId,
  Limit: int(0, 6000),
  Offset: int(0, 1e9),
  Next: { type: 'string', optional: true },
  MemberRoleFilter: { type: 'array', items: 'string', optional: true },
  AppDefinedDataFilter_GroupMember: keyFilter,
};

export interface SpecifiedMembersBody {
  GroupId: string;
  Member_List_Account: string[];
  AppDefinedDataFilter_GroupMember?: string[];
}
export const specifiedMembersBody = { GroupId: groupId, Member_List_Account: accounts(500), MemberInfoFilter: { type: 'array', items: 'string', optional: true }, AppDefinedDataFilter_GroupMember: keyFilter };

export interface ModifyBody {
  GroupId: string;
  Name?: string;
  Introduction?: string;
  Notification?: string;
  FaceUrl?: string;
  MaxMemberNum?: number;
  ApplyJoinOption?: string;
  InviteJoinOption?: string;
  MuteAllMember?: string;
  ShutUpAllMember?: string;
  AppDefinedData?: KeyValue[];
  HistoryMsgBeforeJoin?: string;
  EnablePermission?: number;
  DefaultPermission?: unknown;
}
const onOff = { type: 'enum', values: ['On', 'Off', 'on', 'off'], optional: true };
export const modifyBody = {
  GroupId: groupId,
  Name: { type: 'string', min: 1, max: 120, optional: true },
  Introduction: str(1000),
  Notification: str(1000),
  FaceUrl: str(400),
  MaxMemberNum: int(1, 1_000_000),
  ApplyJoinOption: createBody.ApplyJoinOption,
  InviteJoinOption: createBody.InviteJoinOption,
  MuteAllMember: onOff,
  ShutUpAllMember: onOff,
  AppDefinedData: keyValues,
  HistoryMsgBeforeJoin: onOff,
  // Community permission groups (actors/group/permissions.ts): the switch, and everyone's 64-bit mask.
  EnablePermission: int(0, 1),
  DefaultPermission: { type: 'any', optional: true },
};

export interface AddMembersBody {
  GroupId: string;
  Silence?: number;
  MemberList: { Member_Account: string }[];
}
export const addMembersBody = { GroupId: groupId, Silence: int(0, 1), MemberList: { type: 'array', min: 1, max: 500, items: memberEntry } };

export interface DeleteMembersBody {
  GroupId: string;
  Silence?: number;
  Reason?: string;
  MemberToDel_Account: string[];
}
export const deleteMembersBody = { GroupId: groupId, Silence: int(0, 1), Reason: str(300), MemberToDel_Account: accounts(500) };

export interface ModifyMemberBody {
  GroupId: string;
  Member_Account: string;
  Role?: 'Admin' | 'Member';
  MsgFlag?: string;
  NameCard?: string;
  AppMemberDefinedData?: KeyValue[];
  MuteTime?: number;
  ShutUpTime?: number;
}
export const modifyMemberBody = {
  GroupId: groupId,
  Member_Account: account,
  Role: { type: 'enum', values: ['Admin', 'Member'], optional: true },
  MsgFlag: { type: 'enum', values: ['AcceptAndNotify', 'AcceptNotNotify', 'Discard', 'AcceptNotNotifyExceptAt'], optional: true },
  NameCard: str(200),
  AppMemberDefinedData: keyValues,
  MuteTime: int(0, 0xffffffff),
  ShutUpTime: int(0, 0xffffffff),
};

export interface ForbidBody {
  GroupId: string;
  TopicId?: string;
  Members_Account: string[];
  MuteTime?: number;
  ShutUpTime?: number;
}
export const forbidBody = { GroupId: groupId, TopicId: str(96), Members_Account: accounts(500), MuteTime: int(0, 0xffffffff), ShutUpTime: int(0, 0xffffffff) };

export interface RoleBody {
  GroupId: string;
  User_Account: string[];
}
export const roleBody = { GroupId: groupId, User_Account: accounts(500) };

export interface ChangeOwnerBody {
  GroupId: string;
  NewOwner_Account: string;
}
export const changeOwnerBody = { GroupId: groupId, NewOwner_Account: account };

export interface ImportMembersBody {
  GroupId: string;
  MemberList: MemberEntry[];
}
export const importMembersBody = { GroupId: groupId, MemberList: { type: 'array', min: 1, max: 500, items: memberEntry } };

export interface ApplyBody {
  GroupId: string;
  ApplyMsg?: string;
  From_Account?: string;
}
export const applyBody = { GroupId: groupId, ApplyMsg: str(300), From_Account: { ...account, optional: true } };

export interface QuitBody {
  GroupId: string;
  Member_Account?: string;
}
export const quitBody = { GroupId: groupId, Member_Account: { ...account, optional: true } };

export interface HandleBody {
  GroupId: string;
  Applicant_Account: string;
  HandleMsg: string;
}
export const handleBody = { GroupId: groupId, Applicant_Account: account, HandleMsg: { type: 'enum', values: ['Agree', 'Reject'] }, ApprovalMsg: str(300) };

export interface JoinedBody {
  Member_Account?: string;
  Limit?: number;
  Offset?: number;
  GroupType?: string;
  WithHugeGroups?: number;
  WithNoActiveGroups?: number;
}
export const joinedBody = {
  Member_Account: { ...account, optional: true },
  Limit: int(1, 10000),
  Offset: int(0, 1e9),
  GroupType: { type: 'string', optional: true },
  WithHugeGroups: int(0, 1),
  WithNoActiveGroups: int(0, 1),
  ResponseFilter: { type: 'object', optional: true },
  SupportTopic: int(0, 1),
  NeedAppDefineData: int(0, 1),
};

export interface AppGroupsBody {
  Limit?: number;
  Next?: number;
  GroupType?: string;
}
export const appGroupsBody = { Limit: int(1, 10000), Next: int(0, 1e9), GroupType: { type: 'string', optional: true } };
