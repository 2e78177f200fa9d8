/** Events of a group (schemas/group/*.avsc) and of the users' joined-group feeds (schemas/joined). */
import type { ApplyJoinOption, GroupType, InviteJoinOption, MsgFlag, Role } from './policy';

export const GROUP_CREATED = 'parley.group.GroupCreated';
export const PROFILE_CHANGED = 'parley.group.ProfileChanged';
export const MEMBERS_JOINED = 'parley.group.MembersJoined';
export const MEMBERS_LEFT = 'parley.group.MembersLeft';
export const MEMBER_CHANGED = 'parley.group.MemberChanged';
export const MEMBERS_MUTED = 'parley.group.MembersMuted';
export const OWNER_CHANGED = 'parley.group.OwnerChanged';
export const GROUP_DESTROYED = 'parley.group.GroupDestroyed';
export const APPLICATION_ADDED = 'parley.group.ApplicationAdded';
export const APPLICATION_HANDLED = 'parley.group.ApplicationHandled';
export const INVITATION_ADDED = 'parley.group.InvitationAdded';
export const INVITATION_HANDLED = 'parley.group.InvitationHandled';
export const MESSAGE_SENT = 'parley.group.MessageSent';
export const TIP_STORED = 'parley.group.TipStored';
export const MESSAGES_RECALLED = 'parley.group.MessagesRecalled';
export const MESSAGES_DELETED = 'parley.group.MessagesDeleted';
export const TOPIC_CREATED = 'parley.group.TopicCreated';
export const TOPIC_CHANGED = 'parley.group.TopicChanged';
export const TOPIC_DESTROYED = 'parley.group.TopicDestroyed';
export const TOPIC_MESSAGE_SENT = 'parley.group.TopicMessageSent';
export const TOPIC_MESSAGES_RECALLED = 'parley.group.TopicMessagesRecalled';
export const TOPIC_MESSAGES_DELETED = 'parley.group.TopicMessagesDeleted';
export const TOPIC_MEMBERS_MUTED = 'parley.group.TopicMembersMuted';
export const TOPIC_READ = 'parley.group.TopicRead';
export const PERMISSION_GROUP_CREATED = 'parley.group.PermissionGroupCreated';
export const PERMISSION_GROUP_CHANGED = 'parley.group.PermissionGroupChanged';
export const PERMISSION_GROUP_DESTROYED = 'parley.group.PermissionGroupDestroyed';
export const PERMISSION_GROUP_MEMBERS_ADDED = 'parley.group.PermissionGroupMembersAdded';
export const PERMISSION_GROUP_MEMBERS_REMOVED = 'parley.group.PermissionGroupMembersRemoved';
export const TOPIC_PERMISSIONS_SET = 'parley.group.TopicPermissionsSet';
export const ATTRIBUTES_CHANGED = 'parley.group.AttributesChanged';
export const MESSAGES_RECEIPTED = 'parley.group.MessagesReceipted';
export const COUNTERS_CHANGED = 'parley.group.CountersChanged';
export const MESSAGE_MODIFIED = 'parley.group.MessageModified';
export const HISTORY_CLEARED = 'parley.group.HistoryCleared';
export const TOPIC_MESSAGE_MODIFIED = 'parley.group.TopicMessageModified';
export const MEMBERS_BANNED = 'parley.group.MembersBanned';
export const MEMBERS_UNBANNED = 'parley.group.MembersUnbanned';
export const LIVE_ADMINS_CHANGED = 'parley.group.LiveAdminsChanged';

export interface GroupCreatedData {
  type: GroupType;
  owner: string;
  name: string;
  introduction: string;
  notification: string;
  faceUrl: string;
  maxMembers: number;
  applyJoin: ApplyJoinOption;
  inviteJoin: InviteJoinOption;
  /** AppDefinedData as a JSON object of Key → Value. */
  custom: string;
  historyBeforeJoin: boolean;
  /** Unix seconds. */
  createTime: number;
  imported: boolean;
  by: string;
  /** A Community with topics (create_group SupportTopic 1); absent in events written before topics. */
  supportTopic?: boolean;
}

/** The fields a profile change sets; absent = unchanged. Stored as JSON (ProfileChanged.patch). */
export interface ProfilePatch {
  name?: string;
  introduction?: string;
  notification?: string;
  faceUrl?: string;
  maxMembers?: number;
  applyJoin?: ApplyJoinOption;
  inviteJoin?: InviteJoinOption;
  muteAll?: boolean;
  historyBeforeJoin?: boolean;
  /** Key → Value; an empty Value removes the key. */
  custom?: Record<string, string>;
  /** Community permission groups: the switch, and everyone's mask (decimal, unsigned 64-bit). */
  enablePermission?: boolean;
  defaultPermission?: string;
}

export interface JoinedMember {
  user: string;
  role: Role;
  /** Unix seconds. */
  joinTime: number;
  msgFlag: MsgFlag;
  nameCard: string;
  /** AppMemberDefinedData as JSON. */
  custom: string;
  /** The member's read sequence at joining (import_group_member with UnreadMsgNum). */
  readSeq: number;
}

export type JoinHow = 'create' | 'invite' | 'apply' | 'free' | 'import';
export type LeaveHow = 'quit' | 'kicked';

export interface MemberPatch {
  role?: Role;
  nameCard?: string;
  msgFlag?: MsgFlag;
  custom?: Record<string, string>;
  readSeq?: number;
}

export interface MessageSentData {
  seq: number;
  from: string;
  random: number;
  clientSeq: number;
  clientTime: number;
  /** Unix seconds. */
  time: number;
  /** 1 High, 2 Normal, 3 Low, 4 Lowest. */
  priority: number;
  body: string;
  cloudCustomData: string;
  offlinePush: string | null;
  atAll: boolean;
  atUsers: string[];
  fromNick: string;
  fromFace: string;
  nameCard: string;
  byAdmin: boolean;
  contentHash: number;
  /** Unread counts and last message are not touched (SendMsgControl NoUnread/NoLastMsg, imports). */
  noUnread: boolean;
  /**
   * A targeted message (send_group_msg To_Account, the SDK's receiverList): only these members
   * and the sender receive it, see it in history or count it; absent or empty = the whole group.
   */
  to?: string[];
  /** The sender asked for read receipts (group_msg_receipt; receipts.ts). */
  needReadReceipt?: boolean;
  /** SupportMessageExtension: the message takes key-value extensions (services/extensions). */
  supportExtension?: boolean;
}

/** A group tip stored as a message of the group: its sequence, and the tip body the SDK reads (JSON). */
export interface TipStoredData {
  seq: number;
  time: number;
  by: string;
  opType: number;
  tip: string;
}

export interface TopicCreatedData {
  topicId: string;
  /** The high part of the topic's index keys (topicKey), never reused within the community. */
  slot: number;
  name: string;
  faceUrl: string;
  introduction: string;
  notification: string;
  customString: string;
  /** Unix seconds. */
  createTime: number;
  by: string;
  at: number;
}

/** The fields a topic change sets; absent = unchanged. Stored as JSON (TopicChanged.patch). */
export interface TopicPatch {
  name?: string;
  faceUrl?: string;
  introduction?: string;
  notification?: string;
  customString?: string;
  muteAll?: boolean;
  /** Everyone's topic-level mask in this topic (decimal, unsigned 64-bit). */
  defaultPermission?: string;
}

export type TopicMessageSentData = MessageSentData & { topicId: string; key: number };

/** A topic message's key in the community stream's `tkey` index: its topic's slot, then its sequence. */
export const topicKey = (slot: number, seq: number): number => slot * 2 ** 32 + seq;

export type GroupEvent =
  | { type: typeof GROUP_CREATED; data: GroupCreatedData }
  | { type: typeof PROFILE_CHANGED; data: { by: string; patch: string; at: number } }
  | { type: typeof MEMBERS_JOINED; data: { members: JoinedMember[]; by: string; how: JoinHow; at: number } }
  | { type: typeof MEMBERS_LEFT; data: { users: string[]; by: string; how: LeaveHow; at: number } }
  | { type: typeof MEMBER_CHANGED; data: { user: string; patch: string; by: string; at: number } }
  | { type: typeof MEMBERS_MUTED; data: { users: string[]; until: number; by: string; at: number } }
  | { type: typeof OWNER_CHANGED; data: { from: string; to: string; by: string; at: number } }
  | { type: typeof GROUP_DESTROYED; data: { by: string; at: number; members: string[]; type: string; name: string; owner: string } }
  | { type: typeof APPLICATION_ADDED; data: { applicant: string; message: string; at: number } }
  | { type: typeof APPLICATION_HANDLED; data: { applicant: string; approved: boolean; by: string; at: number } }
  /** Invitations by ordinary members while InviteJoinOption is NeedPermission: an owner or admin approves. */
  | { type: typeof INVITATION_ADDED; data: { inviter: string; invitees: string[]; at: number } }
  | { type: typeof INVITATION_HANDLED; data: { invitee: string; approved: boolean; by: string; at: number } }
  | { type: typeof MESSAGE_SENT; data: MessageSentData }
  | { type: typeof TIP_STORED; data: TipStoredData }
  | { type: typeof MESSAGES_RECALLED; data: { seqs: number[]; by: string; at: number } }
  | { type: typeof MESSAGES_DELETED; data: { seqs: number[]; by: string; at: number } }
  | { type: typeof TOPIC_CREATED; data: TopicCreatedData }
  | { type: typeof TOPIC_CHANGED; data: { topicId: string; patch: string; by: string; at: number } }
  | { type: typeof TOPIC_DESTROYED; data: { topicId: string; by: string; at: number } }
  | { type: typeof TOPIC_MESSAGE_SENT; data: TopicMessageSentData }
  | { type: typeof TOPIC_MESSAGES_RECALLED; data: { topicId: string; seqs: number[]; by: string; at: number } }
  | { type: typeof TOPIC_MESSAGES_DELETED; data: { topicId: string; seqs: number[]; by: string; at: number } }
  | { type: typeof TOPIC_MEMBERS_MUTED; data: { topicId: string; users: string[]; until: number; by: string; at: number } }
  | { type: typeof TOPIC_READ; data: { topicId: string; user: string; seq: number; at: number } }
  | { type: typeof PERMISSION_GROUP_CREATED; data: { id: string; name: string; permission: string; customString: string; createTime: number; by: string; at: number } }
  | { type: typeof PERMISSION_GROUP_CHANGED; data: { id: string; patch: string; by: string; at: number } }
  | { type: typeof PERMISSION_GROUP_DESTROYED; data: { id: string; by: string; at: number } }
  | { type: typeof PERMISSION_GROUP_MEMBERS_ADDED; data: { id: string; users: string[]; by: string; at: number } }
  | { type: typeof PERMISSION_GROUP_MEMBERS_REMOVED; data: { id: string; users: string[]; by: string; at: number } }
  | { type: typeof TOPIC_PERMISSIONS_SET; data: { id: string; topics: string; by: string; at: number } }
  /** Group attributes (attributes.ts): op is the SDK's operationType, values one per key for ops 1 and 2. */
  | { type: typeof ATTRIBUTES_CHANGED; data: { op: number; keys: string[]; values: string[]; seq: number; by: string; at: number } }
  /** Read receipts of a member for messages that asked for them (receipts.ts). */
  | { type: typeof MESSAGES_RECEIPTED; data: { user: string; seqs: number[]; at: number } }
  /** Group counters (counters.ts): op 0 values after the change, 1 keys deleted. */
  | { type: typeof COUNTERS_CHANGED; data: { op: number; keys: string[]; values: string[]; seq: number; by: string; at: number } }
  /** modify_group_msg (message-edits.ts): the message's whole content from now on. */
  | { type: typeof MESSAGE_MODIFIED; data: { seq: number; body: string; cloudCustomData: string; by: string; at: number } }
  /** modify_group_msg with TopicId (message-edits.ts): a topic message's whole content from now on; `key` as its TopicMessageSent's. */
  | { type: typeof TOPIC_MESSAGE_MODIFIED; data: { topicId: string; key: number; seq: number; body: string; cloudCustomData: string; by: string; at: number } }
  /** clear_group_msg (message-edits.ts): members no longer read messages up to upToSeq. */
  | { type: typeof HISTORY_CLEARED; data: { upToSeq: number; by: string; at: number } }
  /** ban_group_member / unban_group_member (bans.ts): out of the live room, kept out until `until` (Unix seconds). */
  | { type: typeof MEMBERS_BANNED; data: { users: string[]; until: number; description: string; by: string; at: number } }
  | { type: typeof MEMBERS_UNBANNED; data: { users: string[]; by: string; at: number } }
  /** modify_admin of a live room (live-admins.ts): admins kept apart from members, in the room or not. */
  | { type: typeof LIVE_ADMINS_CHANGED; data: { users: string[]; added: boolean; by: string; at: number } };

/** A user's joined-group feed: one event per join and leave, written by the group in the same transaction. */
export const JOINED_GROUP = 'parley.joined.JoinedGroup';
export const LEFT_GROUP = 'parley.joined.LeftGroup';

export type JoinedEvent =
  | { type: typeof JOINED_GROUP; data: { groupId: string; type: GroupType; created?: boolean; at: number } }
  | { type: typeof LEFT_GROUP; data: { groupId: string; at: number } };

export const joinedStream = (app: number, user: string) => `joined:${app}:${user}`;

/**
 * The live rooms a user was named admin of by modify_admin (live-admins.ts), who is not a member
 * of them: JoinedGroup when named, LeftGroup when the role is taken back, as in the joined-group
 * feed. get_pendency reads it beside that feed; nothing on a message's path does.
 */
export const liveAdminStream = (app: number, user: string) => `liveadmin:${app}:${user}`;

/**
 * The app's list of groups (get_appid_group_list): a feed where creation writes JoinedGroup
 * and disbanding LeftGroup, the same two events as a user's joined-group feed.
 */
export const appGroupsStream = (app: number) => `appgroups:${app}`;
