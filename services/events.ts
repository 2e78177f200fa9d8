/**
 * The bus events Parley publishes, with their payloads: one place that publishers and
 * subscribers share. Each is emitted only after the append that records it succeeded, with
 * what a subscriber needs to act without reading the actor back (offline push, statistics).
 * docs/architecture.md lists who emits and who consumes each.
 */
import type { MessageSentData as C2CMessage } from '../actors/c2c';
import type { GroupType, JoinHow, LeaveHow, MemberPatch, MessageSentData as GroupMessage } from '../actors/group';

export const BUS = {
  /** One-to-one message stored (balanced: one subscriber instance per service). */
  C2C_SENT: 'message.c2c.sent',
  C2C_RECALLED: 'message.c2c.recalled',
  C2C_READ: 'message.c2c.read',
  /** A one-to-one message's body or custom data was edited (modify_c2c_msg, the SDK's modifyMessage). */
  C2C_MODIFIED: 'message.c2c.modified',
  /** Group message stored (not AVChatRoom messages, which are never stored). */
  GROUP_SENT: 'group.message.sent',
  GROUP_JOINED: 'group.member.joined',
  GROUP_LEFT: 'group.member.left',
  /** A member's own fields changed: read sequence (a read on any device), receive option, name card, role. */
  GROUP_MEMBER_CHANGED: 'group.member.changed',
  /** A group was disbanded: its history goes (the media its messages held are let go). */
  GROUP_DESTROYED: 'group.destroyed',
  /** A user's profile fields changed. */
  PROFILE_CHANGED: 'user.profile.changed',
  /** Broadcast to every node: sessions and cached facts of the user end. */
  USER_KICKED: 'user.kicked',
  USER_DELETED: 'user.deleted',
  /** Broadcast to every node: an app's settings or keys changed. */
  APPS_CHANGED: 'apps.changed',
  /** Broadcast to every node: a user's relationship chain changed (friends, blocklist). */
  RELATIONS_CHANGED: 'relations.changed',
  /** Broadcast to every node: a user's global mute changed (openconfigsvr/setnospeaking). */
  NO_SPEAKING_CHANGED: 'user.nospeaking.changed',
} as const;

export interface GroupDestroyed {
  app: number;
  groupId: string;
  at: number;
  groupType: GroupType;
  /** The members at the end, and who disbanded it. */
  members: string[];
  by: string;
}

export interface C2CSent {
  app: number;
  message: C2CMessage;
}

export interface C2CRecalled {
  app: number;
  /** The message's sender and recipient. */
  from: string;
  to: string;
  seq: number;
  msgKey: string;
  by: string;
  at: number;
}

export interface C2CModified {
  app: number;
  /** The conversation's two accounts. */
  users: [string, string];
  seq: number;
  msgKey: string;
  at: number;
}

export interface C2CRead {
  app: number;
  reader: string;
  peer: string;
  /** The reader has read up to this sequence of the conversation. */
  seq: number;
  at: number;
}

export interface GroupSent {
  app: number;
  groupId: string;
  groupType: GroupType;
  message: GroupMessage;
}

export interface GroupJoined {
  app: number;
  groupId: string;
  groupType: GroupType;
  users: string[];
  by: string;
  how: JoinHow;
  at: number;
}

export interface GroupLeft {
  app: number;
  groupId: string;
  groupType: GroupType;
  users: string[];
  by: string;
  how: LeaveHow;
  at: number;
}

export interface GroupMemberChanged {
  app: number;
  groupId: string;
  groupType: GroupType;
  user: string;
  /** The fields that changed, with their new values (actors/group MemberPatch). */
  patch: MemberPatch;
  by: string;
  at: number;
}

export interface ProfileChanged {
  app: number;
  userId: string;
  items: { Tag: string; Value: string | number }[];
  at: number;
}

/** user.nospeaking.changed: every node's send checks forget the user's mutes (services/accounts/mute-cache.ts). */
export interface NoSpeakingChanged {
  app: number;
  userId: string;
  at: number;
}

/** user.kicked and user.deleted. */
export interface UserEnded {
  app: number;
  userId: string;
  at: number;
}

export interface AppsChanged {
  /** The app that changed. */
  sdkAppId: number;
}

/**
 * Events of one node's local bus (`broker.localBus`), never sent over the transporter: facts
 * too frequent to publish, which only this node's statistics and metrics count.
 */
export const LOCAL = {
  /** A callback request went out (before- or after-callback, retries included). */
  CALLBACK_SENT: 'webhooks.callback.sent',
  /** The media ledger let go of messages (recall, erase): `deleted` files' objects are removed from the store by now. */
  MEDIA_RELEASED: 'media.references.released',
} as const;

export interface MediaReleased {
  app: number;
  refs: string[];
  deleted: string[];
}

export interface CallbackSent {
  app: number;
  command: string;
  /** Answered with HTTP 200 and a JSON body. */
  answered: boolean;
}

export interface RelationsChanged {
  app: number;
  /** The user whose chain (friends, requests, blocklist, edges toward them) changed. */
  userId: string;
}
