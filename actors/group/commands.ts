/** Commands a group actor takes, what it answers, and what it asks its host service to deliver. */
import type { GroupCreatedData, JoinedMember, MemberPatch, MessageSentData, ProfilePatch, TopicPatch } from './events';
import type { FieldRules } from './fields';
import type { ApplyJoinOption, GroupType, MsgFlag } from './policy';
import type { Member, Profile } from './state';

/** Who issues a command: a user, or the app administrator (REST), possibly acting as `id`. */
export interface Who {
  id: string;
  admin: boolean;
}

export type SendFields = Omit<MessageSentData, 'seq' | 'time' | 'nameCard'>;

/**
 * A new group's profile as create_group and import_group give it: GroupCreated's fields less what
 * the actor decides (history before joining, import flag, operator), the join option optional
 * (the type's default), custom fields as an object. createTime: import_group may give an old one.
 */
export type CreateFields = Omit<GroupCreatedData, 'applyJoin' | 'custom' | 'historyBeforeJoin' | 'imported' | 'by'> & {
  applyJoin?: ApplyJoinOption;
  custom: Record<string, string>;
};

/**
 * What the owner node adds to a send into a live room (AVChatRoom, services/groups/rooms.ts):
 * the message's live sequence, and whether the sender has a device in the room — the room's
 * members are the gateway nodes' room indexes, not the actor's state.
 */
export interface LiveSend {
  seq: number;
  inRoom: boolean;
}

export type NewMember = Omit<JoinedMember, 'msgFlag' | 'readSeq'> & { msgFlag?: MsgFlag; unread?: number };

export type GroupCommand =
  | { op: 'create'; by: Who; group: CreateFields; members: NewMember[]; imported: boolean; now: number; fields?: FieldRules }
  | { op: 'view'; viewer?: Who }
  | { op: 'modify'; by: Who; patch: ProfilePatch; now: number; fields?: FieldRules }
  | { op: 'invite'; by: Who; users: string[]; silence: boolean; now: number }
  | { op: 'importMembers'; members: NewMember[]; now: number; fields?: FieldRules }
  | { op: 'apply'; user: string; message: string; now: number }
  | { op: 'handleApplication'; by: Who; applicant: string; approve: boolean; now: number }
  | { op: 'handleInvitation'; by: Who; invitee: string; approve: boolean; now: number }
  | { op: 'quit'; user: string; now: number }
  | { op: 'remove'; by: Who; users: string[]; silence: boolean; now: number }
  | { op: 'modifyMember'; by: Who; user: string; patch: MemberPatch; now: number; fields?: FieldRules }
  | { op: 'mute'; by: Who; users: string[]; seconds: number; now: number; topicId?: string }
  | { op: 'changeOwner'; by: Who; to: string; now: number }
  | { op: 'destroy'; by: Who; now: number }
  | { op: 'send'; by: Who; message: SendFields; onlineOnly: boolean; now: number; live?: LiveSend; topicId?: string }
  | { op: 'systemNotice'; by: Who; to: string[]; content: string; now: number; topicId?: string }
  | { op: 'importMessages'; messages: (SendFields & { time: number })[]; now: number; topicId?: string }
  | { op: 'recall'; by: Who; seqs: number[]; limitSeconds: number; now: number; topicId?: string }
  /** Recalls from `from` to `to` (microseconds; `to` 0 = no bound), at most `limit` (recall-notes.ts). */
  | { op: 'recallNotes'; viewer: Who; from: number; to: number; limit: number }
  /**
   * `older`: the sender's messages below the actor's window, read from the log by the service;
   * `scannedBelow`: the log was read for every sequence below this one (1 = not at all).
   */
  | { op: 'deleteBySender'; by: Who; sender: string; now: number; older?: number[]; scannedBelow?: number; topicId?: string }
  | { op: 'read'; user: string; seq: number; now: number; topicId?: string }
  | { op: 'setUnread'; user: string; unread: number; now: number }
  /** Unread counts of some members that count toward their app badge (offline push; badgeUnread in decide.ts). */
  | { op: 'badgeUnread'; users: string[] }
  | { op: 'locate'; viewer: Who; seq: number; topicId?: string }
  /** Topics of a Community (topics.ts). `generated`: the id was made by the service (a clash is retried). */
  | { op: 'createTopic'; by: Who; topic: NewTopic; generated: boolean; now: number }
  | { op: 'modifyTopic'; by: Who; topicId: string; patch: TopicPatch; now: number }
  | { op: 'destroyTopics'; by: Who; topicIds: string[]; now: number }
  | { op: 'viewTopics'; viewer: Who; topicIds: string[] }
  /** Permission groups of a Community (permission-groups.ts). */
  | { op: 'createPermissionGroup'; by: Who; group: NewPermissionGroup; generated: boolean; now: number }
  | { op: 'modifyPermissionGroup'; by: Who; id: string; patch: { name?: string; permission?: string; customString?: string }; now: number }
  | { op: 'destroyPermissionGroups'; by: Who; ids: string[]; now: number }
  | { op: 'viewPermissionGroups'; viewer: Who; ids: string[] }
  | { op: 'permissionGroupMembers'; by: Who; id: string; users: string[]; add: boolean; now: number }
  /** add / modify / delete topic permissions of a permission group; `topics`: TopicId → mask ('' when deleting). */
  | { op: 'topicPermissions'; by: Who; id: string; topics: Record<string, string>; mode: 'add' | 'modify' | 'delete'; now: number }
  /**
   * Group attributes (attributes.ts). `inRoom`: the user is in the live room (AVChatRoom keeps no
   * plain members; the service asks the gateway nodes). `raceConflict`: the SDK's AttrControl,
   * each item's `seq` must still be the key's (0 for a new key).
   */
  | { op: 'attributes'; by: Who; action: 'set' | 'modify' | 'delete' | 'clear'; items: { key: string; value?: string; seq?: number }[]; raceConflict: boolean; inRoom?: boolean; now: number }
  | { op: 'viewAttributes'; viewer: Who; inRoom?: boolean }
  /** Read receipts (receipts.ts): `user` receipts `seqs`; counts per message; readers or non-readers of one, paged. */
  | { op: 'receipt'; by: Who; user: string; seqs: number[]; now: number }
  | { op: 'viewReceipts'; viewer: Who; seqs: number[] }
  | { op: 'receiptDetail'; viewer: Who; seq: number; read: boolean; cursor: number; count: number }
  /** Group counters (counters.ts); values are signed 64-bit decimals; `inRoom` as for attributes. */
  | { op: 'counters'; by: Who; mode: 'set' | 'increase' | 'decrease' | 'delete'; items: { key: string; value?: string }[]; inRoom?: boolean; now: number }
  | { op: 'viewCounters'; viewer: Who; keys: string[]; inRoom?: boolean }
  /** modify_group_msg (message-edits.ts): the whole new content; `edits`: modifications the service saw; `topicId`: a topic's message. */
  | { op: 'modifyMessage'; by: Who; seq: number; body: string; cloudCustomData: string; edits: number; now: number; topicId?: string }
  /** clear_group_msg: members no longer read messages up to `upToSeq` (all when absent). */
  | { op: 'clearHistory'; by: Who; upToSeq?: number; now: number }
  /** Bans of a live room (bans.ts). */
  | { op: 'ban'; by: Who; users: string[]; seconds: number; description: string; now: number }
  | { op: 'unban'; by: Who; users: string[]; now: number }
  | { op: 'viewBans'; by: Who; offset: number; limit: number; now: number }
  /** Admins of a live room (live-admins.ts): modify_admin (`add` true for CommandType 1) and get_admin_list. */
  | { op: 'modifyLiveAdmins'; by: Who; users: string[]; add: boolean; now: number }
  | { op: 'viewLiveAdmins'; by: Who };

export interface NewTopic {
  id: string;
  name: string;
  faceUrl: string;
  introduction: string;
  notification: string;
  customString: string;
  defaultPermission?: string;
  /** import_topic: the topic's original creation time (Unix seconds). */
  createTime?: number;
}

export interface NewPermissionGroup {
  id: string;
  name: string;
  permission: string;
  customString: string;
}

/** A topic as get_topic shows it, with the viewer's own position in it. */
export interface TopicView {
  id: string;
  name: string;
  faceUrl: string;
  introduction: string;
  notification: string;
  customString: string;
  createTime: number;
  muteAll: boolean;
  defaultPermission: string;
  lastSeq: number;
  lastMsgTime: number;
  self?: { readSeq: number; mutedUntil: number; msgFlag: string };
  /** The topic's own mutes (the app administrator's view only). */
  mutes?: [string, number][];
}

/** What a tip says, in our own terms; services/groups/wire.ts turns it into the SDK's GroupTips. */
export interface TipBody {
  /** The SDK's operation types: 1 join, 2 quit, 3 kicked, 4 set admin, 5 cancel admin, 6 profile, 7 member profile. */
  opType: number;
  by: string;
  users: string[];
  memberNum: number;
  /** For 6: the changed profile fields. */
  profile?: ProfilePatch & { owner?: string };
  /** For 7: muted users and until when (seconds from now, 0 = unmuted). */
  muteSeconds?: number;
  /** For 6: a change of the group attributes (pushed as MsgGroupNewInfo.GroupAttrOption, never stored). */
  attributes?: { op: number; seq: number; items: { key: string; value: string; seq: number }[] };
  /** For 6: a change of the group counters (pushed as MsgBody.GroupCounterInfo, never stored); type 0 changed, 1 deleted. */
  counters?: { type: number; seq: number; items: { key: string; value: string }[] };
}

/** Delivery the host service performs after the command (and its append, if any). */
export type Outgoing =
  | { kind: 'message'; message: MessageSentData; recipients: string[]; onlineOnly: boolean; topicId?: string }
  | { kind: 'tip'; seq: number; time: number; tip: TipBody; recipients: string[]; stored: boolean }
  /** `everyone`: meant for the whole group (a live room then reaches every viewer, stored or not). */
  | { kind: 'system'; time: number; by: string; content: string; recipients: string[]; opType: number; everyone?: boolean }
  | { kind: 'recall'; time: number; by: string; items: { seq: number; random: number; clientTime: number; from: string }[]; recipients: string[]; topicId?: string }
  /** New read counts of the recipients' own messages (receipts.ts), after `by` receipted them. */
  | { kind: 'receipt'; time: number; by: string; items: { seq: number; random: number; clientTime: number; from: string; read: number; unread: number }[]; recipients: string[] }
  /** A stored message's new content (modify_group_msg); `version` is the SDK's MsgVersion. */
  | { kind: 'modify'; message: { seq: number; random: number; time: number; from: string }; body: string; cloudCustomData: string; version: number; recipients: string[]; topicId?: string }
  /** A live room (AVChatRoom) gains or loses a user's devices; done before the command answers. */
  | { kind: 'room'; op: 'enter' | 'leave'; user: string; recipients: string[] };

export interface GroupView {
  id: string;
  profile: Profile;
  lastSeq: number;
  lastMsgTime: number;
  active: boolean;
  memberNum: number;
  /** Members, when the type lists them and the viewer may see them. */
  members: [string, Member][];
  /** The viewer's own membership, and their unread count (targeted messages left out). */
  self?: Member;
  selfUnread?: number;
  mutes: [string, number][];
  pending: [string, { message: string; at: number }][];
  /** Invitations waiting for an owner or admin: invitee → inviter and time. */
  invited: [string, { inviter: string; at: number }][];
  version: number;
}

/** delete_group_msg_by_sender: done, or first read the log for the sender's messages in [fromSeq, toSeq). */
export interface DeleteBySenderResult {
  deleted: number;
  /** The sequences deleted (their media are let go). */
  seqs?: number[];
  scan?: { fromSeq: number; toSeq: number; beforeVersion: number };
}

export interface SendResult {
  seq: number;
  time: number;
  duplicate: boolean;
  /** Dropped by the frequency control or a webhook: answered as sent, neither stored nor delivered. */
  dropped?: string;
}

export interface GroupReply {
  /** The command's own answer, serialisable. */
  result: unknown;
  /** Removed by the host service before the answer leaves the owner node. */
  out?: Outgoing[];
  /** The group's type, for the wire builders of `out`. */
  type?: GroupType;
}

export interface HistoryWindow {
  /** The newest sequence to return (clamped to the last one). */
  top: number;
  /** The oldest sequence the viewer may see (joining time, unless the type shows earlier history). */
  floor: number;
  recalled: number[];
  deleted: number[];
  /** A topic's slot: its history is read from the community stream's `tkey` index. */
  slot?: number;
  /** Messages older than this (Unix seconds) are not shown: the viewer's joining, without the right to earlier history. */
  since?: number;
}
