/**
 * What each group type allows and does by default: the seed's comparison tables ("Group Types",
 * "Group Management"), one row per field. decide reads this table and nothing else for rules
 * that differ per type, so the table tests in test/unit/actors/group check the rules themselves.
 */
export type GroupType = 'Work' | 'Public' | 'Meeting' | 'AVChatRoom' | 'Community';
export type Role = 'Owner' | 'Admin' | 'Member';
export type MsgFlag = 'AcceptAndNotify' | 'AcceptNotNotify' | 'Discard' | 'AcceptNotNotifyExceptAt';
export type ApplyJoinOption = 'FreeAccess' | 'NeedPermission' | 'DisableApply';
export type InviteJoinOption = 'FreeAccess' | 'NeedPermission' | 'DisableInvite';
/** Who acts: a member's role, a non-member, or the app administrator (REST). */
export type Actor = Role | 'NotMember' | 'AppAdmin';
/** What happens to a tip: pushed and stored as a group message, pushed only, or nothing. */
export type TipMode = 'stored' | 'pushed' | 'off';

export const GROUP_TYPES: readonly GroupType[] = ['Work', 'Public', 'Meeting', 'AVChatRoom', 'Community'];

/** The legacy names the SDK and older backends still send: Private is Work, ChatRoom is Meeting. */
export function canonicalType(name: string): GroupType | undefined {
  if (name === 'Private') return 'Work';
  if (name === 'ChatRoom') return 'Meeting';
  return (GROUP_TYPES as readonly string[]).includes(name) ? (name as GroupType) : undefined;
}

/** The type name Tencent's web SDK knows (its TYPES.GRP_WORK is "Private", GRP_MEETING "ChatRoom"). */
export const sdkTypeName = (type: GroupType): string => (type === 'Work' ? 'Private' : type === 'Meeting' ? 'ChatRoom' : type);

export interface TypePolicy {
  /** Roles a member may hold besides Owner (Work has no admins). */
  admins: boolean;
  /** Lowest role that may change Name, Introduction, Notification, FaceUrl. */
  modifyProfile: Actor[];
  /** Who may change the other profile fields (options, mute-all, custom fields, max members). */
  modifyOptions: Actor[];
  disband: Actor[];
  /** Who may add members directly (invite); the invitee joins without confirming. */
  invite: Actor[];
  /** The default of ApplyJoinOption; 'DisableApply' where applying is not supported at all. */
  applyDefault: ApplyJoinOption;
  /** Whether ApplyJoinOption may be changed (Work never takes applications). */
  applyConfigurable: boolean;
  /** Who approves or refuses applications. */
  approve: Actor[];
  ownerMayQuit: boolean;
  setAdmins: Actor[];
  /** Who may remove members; an Admin only ordinary members. */
  remove: Actor[];
  /** Who may mute members; an Admin only ordinary members. */
  mute: Actor[];
  storesHistory: boolean;
  /** Default: members see messages sent before they joined. */
  historyBeforeJoin: boolean;
  /** Tips of joins, quits, removals, invitations. */
  memberTips: TipMode;
  /** Tips of name, notification, introduction, face, owner changes. */
  profileTips: TipMode;
  /** Tips of mute-all and join-option changes. */
  optionTips: TipMode;
  /** Tips of member mutes and admin changes. */
  memberProfileTips: TipMode;
  /** The group stays invisible to members other than the owner until its first message. */
  needsActivation: boolean;
  unreadCounts: boolean;
  defaultMsgFlag: MsgFlag;
  importable: boolean;
  /** Whether member profiles are kept and listed. */
  listsMembers: boolean;
  /** Default MaxMemberNum (0 = unlimited): the Premium edition's values. */
  maxMembers: number;
}

const OWNER: Actor[] = ['Owner', 'AppAdmin'];
const MANAGERS: Actor[] = ['Owner', 'Admin', 'AppAdmin'];
const ANY_MEMBER: Actor[] = ['Owner', 'Admin', 'Member', 'AppAdmin'];

export const POLICIES: Record<GroupType, TypePolicy> = {
  Work: {
    admins: false,
    modifyProfile: ANY_MEMBER,
    modifyOptions: OWNER,
    disband: ['AppAdmin'],
    invite: ANY_MEMBER,
    applyDefault: 'DisableApply',
    applyConfigurable: false,
    approve: MANAGERS,
    ownerMayQuit: true,
    setAdmins: [],
    remove: OWNER,
    mute: [],
    storesHistory: true,
    historyBeforeJoin: false,
    memberTips: 'stored',
    profileTips: 'stored',
    optionTips: 'off',
    memberProfileTips: 'stored',
    needsActivation: true,
    unreadCounts: true,
    defaultMsgFlag: 'AcceptAndNotify',
    importable: true,
    listsMembers: true,
    maxMembers: 2000,
  },
  Public: {
    admins: true,
    modifyProfile: MANAGERS,
    modifyOptions: MANAGERS,
    disband: OWNER,
    invite: ['AppAdmin'],
    applyDefault: 'NeedPermission',
    applyConfigurable: true,
    approve: MANAGERS,
    ownerMayQuit: false,
    setAdmins: OWNER,
    remove: MANAGERS,
    mute: MANAGERS,
    storesHistory: true,
    historyBeforeJoin: false,
    memberTips: 'stored',
    profileTips: 'stored',
    optionTips: 'off',
    memberProfileTips: 'stored',
    needsActivation: false,
    unreadCounts: true,
    defaultMsgFlag: 'AcceptAndNotify',
    importable: true,
    listsMembers: true,
    maxMembers: 2000,
  },
  Meeting: {
    admins: true,
    modifyProfile: OWNER,
    modifyOptions: OWNER,
    disband: OWNER,
    invite: ['AppAdmin'],
    applyDefault: 'FreeAccess',
    applyConfigurable: true,
    approve: MANAGERS,
    ownerMayQuit: false,
    setAdmins: OWNER,
    remove: MANAGERS,
    mute: MANAGERS,
    storesHistory: true,
    historyBeforeJoin: false,
    memberTips: 'off',
    profileTips: 'stored',
    optionTips: 'off',
    memberProfileTips: 'off',
    needsActivation: false,
    unreadCounts: false,
    defaultMsgFlag: 'AcceptNotNotify',
    importable: true,
    listsMembers: true,
    maxMembers: 2000,
  },
  AVChatRoom: {
    admins: true,
    modifyProfile: OWNER,
    modifyOptions: OWNER,
    disband: OWNER,
    invite: [],
    applyDefault: 'FreeAccess',
    applyConfigurable: true,
    approve: MANAGERS,
    ownerMayQuit: false,
    setAdmins: OWNER,
    remove: [],
    // The seed's member table names only the owner; Tencent's modify_admin page (live-room admins,
    // newer than that table) lets admins mute viewers too. An admin mutes ordinary viewers only.
    mute: MANAGERS,
    storesHistory: false,
    historyBeforeJoin: false,
    memberTips: 'pushed',
    profileTips: 'pushed',
    optionTips: 'off',
    memberProfileTips: 'off',
    needsActivation: false,
    unreadCounts: false,
    defaultMsgFlag: 'AcceptNotNotify',
    importable: false,
    listsMembers: false,
    maxMembers: 0,
  },
  Community: {
    admins: true,
    modifyProfile: MANAGERS,
    modifyOptions: MANAGERS,
    disband: OWNER,
    invite: ANY_MEMBER,
    applyDefault: 'FreeAccess',
    applyConfigurable: true,
    approve: MANAGERS,
    ownerMayQuit: false,
    setAdmins: OWNER,
    remove: MANAGERS,
    mute: MANAGERS,
    storesHistory: true,
    historyBeforeJoin: true,
    memberTips: 'stored',
    profileTips: 'stored',
    optionTips: 'off',
    memberProfileTips: 'stored',
    needsActivation: false,
    unreadCounts: true,
    defaultMsgFlag: 'AcceptAndNotify',
    importable: true,
    listsMembers: true,
    maxMembers: 100_000,
  },
};

/** Rank for "an Admin may act only on ordinary members". */
export const RANK: Record<Actor, number> = { AppAdmin: 4, Owner: 3, Admin: 2, Member: 1, NotMember: 0 };
