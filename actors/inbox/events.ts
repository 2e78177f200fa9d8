/** Events of a user's sync feed (schemas/inbox/*.avsc), written by conversations and by the user. */
export const INBOX_MESSAGE_REF = 'parley.inbox.MessageRef';
export const INBOX_PEER_READ = 'parley.inbox.PeerRead';
export const INBOX_CONTACT_DELETED = 'parley.inbox.ContactDeleted';
/** The user's own conversation settings (actors/inbox/settings.ts): pins, marks, conversation groups, do-not-disturb. */
export const INBOX_CONV_PINNED = 'parley.inbox.ConversationPinned';
export const INBOX_CONV_MARKED = 'parley.inbox.ConversationMarked';
export const INBOX_CONTACT_GROUP_CREATED = 'parley.inbox.ContactGroupCreated';
export const INBOX_CONTACT_GROUP_RENAMED = 'parley.inbox.ContactGroupRenamed';
export const INBOX_CONTACT_GROUP_DELETED = 'parley.inbox.ContactGroupDeleted';
export const INBOX_CONTACT_GROUP_CHANGED = 'parley.inbox.ContactGroupChanged';
export const INBOX_PEER_MUTE_SET = 'parley.inbox.PeerMuteSet';
export const INBOX_QUIET_HOURS_SET = 'parley.inbox.QuietHoursSet';
/** The user's deletion and clearing of group conversations (actors/inbox/group-convs.ts). */
export const INBOX_GROUP_CONV_DELETED = 'parley.inbox.GroupConversationDeleted';
export const INBOX_GROUP_HISTORY_CLEARED = 'parley.inbox.GroupHistoryCleared';
/** Conversations changed where the user's stream does not see it (touch.ts): only their change record moves. */
export const INBOX_CONVS_TOUCHED = 'parley.inbox.ConversationsTouched';
/** A group system notice kept for the user's devices that were offline (group-notices.ts). */
export const INBOX_GROUP_NOTICE_KEPT = 'parley.inbox.GroupNoticeKept';

export interface MessageRefData {
  peer: string;
  from: string;
  seq: number;
  version: number;
  time: number;
  msgKey: string;
  noUnread: boolean;
  noLastMsg: boolean;
}

export interface GroupNoticeData {
  groupId: string;
  /** Parley's group type (actors/group GroupType). */
  groupType: string;
  /** 4 removed, 5 disbanded, 8 quit (the SDK's operationType of a group system notice). */
  reportType: number;
  by: string;
  /** Unix seconds. */
  time: number;
  at: number;
}

/** A conversation as settings name it: `C2C<userId>` or `GROUP<groupId>` (the SDK's conversationID). */
export type ConvId = string;

export interface QuietHoursData {
  /** 0 receive and notify, 1 do not receive, 2 receive without notification (the SDK's Level). */
  level: number;
  /** Unix seconds; with `repeated`, only the time of day counts. */
  startTime: number;
  endTime: number;
  repeated: boolean;
  at: number;
}

export type SettingsEvent =
  | { type: typeof INBOX_CONV_PINNED; data: { convs: ConvId[]; pinned: boolean; at: number } }
  | { type: typeof INBOX_CONV_MARKED; data: { conv: ConvId; set: number[]; clear: number[]; customMark: string | null; at: number } }
  | { type: typeof INBOX_CONTACT_GROUP_CREATED; data: { groupId: number; name: string; convs: ConvId[]; at: number } }
  | { type: typeof INBOX_CONTACT_GROUP_RENAMED; data: { groupId: number; name: string; at: number } }
  | { type: typeof INBOX_CONTACT_GROUP_DELETED; data: { groupId: number; at: number } }
  | { type: typeof INBOX_CONTACT_GROUP_CHANGED; data: { groupId: number; added: ConvId[]; removed: ConvId[]; at: number } }
  | { type: typeof INBOX_PEER_MUTE_SET; data: { peers: string[]; flag: number; at: number } }
  | { type: typeof INBOX_QUIET_HOURS_SET; data: QuietHoursData };

export type InboxEvent =
  | { type: typeof INBOX_MESSAGE_REF; data: MessageRefData }
  | { type: typeof INBOX_PEER_READ; data: { peer: string; reader: string; seq: number; at: number; time?: number } }
  | { type: typeof INBOX_CONTACT_DELETED; data: { peer: string; at: number } }
  | { type: typeof INBOX_GROUP_CONV_DELETED; data: { groupId: string; upToSeq: number; at: number } }
  | { type: typeof INBOX_GROUP_HISTORY_CLEARED; data: { groupId: string; upToSeq: number; at: number } }
  | { type: typeof INBOX_CONVS_TOUCHED; data: { convs: ConvId[]; at: number } }
  | { type: typeof INBOX_GROUP_NOTICE_KEPT; data: GroupNoticeData }
  | SettingsEvent;

/** The feed of `user`: its version is the user's one-to-one sync cookie. */
export const inboxStream = (app: number, user: string) => `inbox:${app}:${user}`;
