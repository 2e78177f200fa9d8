import { splitAppKey } from '../../runtime/kind';
import {
  GROUP_CREATED,
  GROUP_DESTROYED,
  MESSAGE_SENT,
  MESSAGES_DELETED,
  MESSAGES_RECALLED,
  PROFILE_CHANGED,
  TIP_STORED,
  TOPIC_CREATED,
  type GroupEvent,
  type ProfilePatch,
} from './events';
import type { ApplyJoinOption, GroupType, InviteJoinOption } from './policy';
import { evolveTopics, type Topic } from './topic-state';
import { evolvePermissionGroups } from './permission-state';
import type { PermissionGroup } from './permissions';
import { evolveAttributes, type GroupAttributes } from './attribute-state';
import { evolveReceipts, type Receipts } from './receipt-state';
import { evolveCounters, type GroupCounters } from './counter-state';
import { evolveMembership, type Member } from './membership-state';
import { evolveMessageEdits } from './message-edit-state';
import { evolveBans } from './ban-state';
import { noteRecalls, type RecallNote } from './recall-note-state';
import { evolveLiveAdmins } from './live-admin-state';

export type { Member } from './membership-state';

export interface MessageMeta {
  from: string;
  time: number;
  random: number;
  clientTime: number;
  /** Version of the event in the stream (history reads start there). */
  version: number;
  recalled: boolean;
  deleted: boolean;
  tip: boolean;
  /** A targeted message's audience besides its sender (MessageSentData.to). */
  to?: string[];
  /** modify_group_msg changes so far (the SDK's MsgVersion); absent = 0. */
  edits?: number;
}

export interface Profile {
  type: GroupType;
  name: string;
  introduction: string;
  notification: string;
  faceUrl: string;
  owner: string;
  createTime: number;
  maxMembers: number;
  applyJoin: ApplyJoinOption;
  inviteJoin: InviteJoinOption;
  muteAll: boolean;
  historyBeforeJoin: boolean;
  custom: Record<string, string>;
  infoSeq: number;
  lastInfoTime: number;
  /** A Community with topics (create_group SupportTopic). */
  supportTopic: boolean;
  /** Community permission groups (permissions.ts): the switch and everyone's mask. */
  enablePermission?: boolean;
  defaultPermission?: string;
}

export interface GroupState {
  app: number;
  id: string;
  /** Undefined until created, and again after it was disbanded (the id may then be reused). */
  profile: Profile | undefined;
  members: Map<string, Member>;
  /** Mutes outlive membership: a muted user who leaves and rejoins is still muted (the seed). */
  mutes: Map<string, number>;
  /** Applicant → message and time. */
  pending: Map<string, { message: string; at: number }>;
  /** Invitee → who invited and when, waiting for an owner or admin (InviteJoinOption NeedPermission). */
  invited: Map<string, { inviter: string; at: number }>;
  lastSeq: number;
  lastMsgTime: number;
  /** A Work group is invisible to members other than its owner until its first message. */
  active: boolean;
  /** clear_group_msg: members read no message up to this sequence (message-edits.ts); absent = 0. */
  clearedUpTo?: number;
  /** Live-room bans: user → Unix seconds the ban ends (bans.ts); absent until the first. */
  bans?: Map<string, number>;
  /** Live-room admins named by modify_admin: user → Unix seconds since (live-admins.ts); absent when none. */
  liveAdmins?: Map<string, number>;
  /** `from|random` → the first send, five minutes. */
  dedup: Map<string, { seq: number; time: number; contentHash: number }>;
  /** Sequence → message, for recall, deletion and history paging; the newest REMEMBERED. */
  messages: Map<number, MessageMeta>;
  /** Deleted and recalled messages older than `messages`: history still marks them (delete_group_msg_by_sender). */
  deletedBefore: Set<number>;
  recalledBefore: Set<number>;
  /** The newest recalls in order, for devices that were offline (recall-notes.ts); absent until the first. */
  recallNotes?: RecallNote[];
  /**
   * Sequences of targeted messages, ascending: they count as unread for nobody (the seed), so
   * unread = lastSeq − readSeq − those above readSeq. Kept whole: a few numbers per targeted message.
   */
  silent: number[];
  /** A Community's topics by TopicId (topic-state.ts), and the last slot given to one. */
  topics: Map<string, Topic>;
  topicSlots: number;
  /** A Community's permission groups by PermissionGroupId. */
  permissionGroups: Map<string, PermissionGroup>;
  /** Group attributes (attributes.ts); absent until the first is set (and in snapshots written before them). */
  attributes?: GroupAttributes;
  /** Readers of the messages that asked for read receipts (receipt-state.ts); absent until the first. */
  receipts?: Receipts;
  /** Group counters (counter-state.ts); absent until the first is set. */
  counters?: GroupCounters;
  version: number;
}

export const DEDUP_SECONDS = 300;
export const REMEMBERED_MESSAGES = 10_000;

/** Key `<sdkAppId>:<GroupId>`; a group id may itself contain ':' (custom ids are printable ASCII). */
export function initialState(key: string): GroupState {
  const [app, id] = splitAppKey(key);
  return {
    app,
    id,
    profile: undefined,
    members: new Map(),
    mutes: new Map(),
    pending: new Map(),
    invited: new Map(),
    lastSeq: 0,
    lastMsgTime: 0,
    active: false,
    dedup: new Map(),
    messages: new Map(),
    deletedBefore: new Set(),
    recalledBefore: new Set(),
    silent: [],
    topics: new Map(),
    topicSlots: 0,
    permissionGroups: new Map(),
    version: 0,
  };
}

/**
 * Applies one event, updating maps in place (see actors/c2c/state.ts: the host hands each state
 * to evolve once; copying a 2,000-member map per message would be quadratic).
 */
export function evolve(state: GroupState, event: GroupEvent): GroupState {
  const s: GroupState = { ...state, version: state.version + 1 };
  if (evolveTopics(s.topics, event, DEDUP_SECONDS)) {
    if (event.type === TOPIC_CREATED) s.topicSlots = Math.max(s.topicSlots, event.data.slot);
    return s;
  }
  if (evolvePermissionGroups(s.permissionGroups, event)) return s;
  if (evolveAttributes(s, event)) return s;
  if (evolveReceipts(s, event)) return s;
  if (evolveCounters(s, event)) return s;
  if (evolveMembership(s, event)) return s;
  if (evolveMessageEdits(s, event)) return s;
  if (evolveBans(s, event)) return s;
  if (evolveLiveAdmins(s, event)) return s;
  switch (event.type) {
    case GROUP_CREATED: {
      const d = event.data;
      s.profile = {
        type: d.type,
        name: d.name,
        introduction: d.introduction,
        notification: d.notification,
        faceUrl: d.faceUrl,
        owner: d.owner,
        createTime: d.createTime,
        maxMembers: d.maxMembers,
        applyJoin: d.applyJoin,
        inviteJoin: d.inviteJoin,
        muteAll: false,
        historyBeforeJoin: d.historyBeforeJoin,
        custom: JSON.parse(d.custom) as Record<string, string>,
        infoSeq: 1,
        lastInfoTime: d.createTime,
        supportTopic: d.supportTopic ?? false,
      };
      s.topics = new Map();
      s.permissionGroups = new Map();
      s.members = new Map();
      s.pending = new Map();
      s.invited = new Map();
      s.recallNotes = undefined;
      s.active = d.type !== 'Work' || d.imported;
      break;
    }
    case PROFILE_CHANGED: {
      if (!s.profile) break;
      const patch = JSON.parse(event.data.patch) as ProfilePatch;
      const { custom, ...plain } = patch;
      const merged = { ...s.profile.custom, ...(custom ?? {}) };
      for (const [k, v] of Object.entries(merged)) if (v === '') delete merged[k];
      s.profile = { ...s.profile, ...plain, custom: merged, infoSeq: s.profile.infoSeq + 1, lastInfoTime: Math.floor(event.data.at / 1000) };
      break;
    }
    case GROUP_DESTROYED:
      s.profile = undefined;
      s.members = new Map();
      s.pending = new Map();
      s.invited = new Map();
      s.mutes = new Map();
      s.topics = new Map();
      s.permissionGroups = new Map();
      break;
    case MESSAGE_SENT: {
      const m = event.data;
      forgetBefore(s.dedup, m.time - DEDUP_SECONDS);
      s.dedup.set(`${m.from}|${m.random}`, { seq: m.seq, time: m.time, contentHash: m.contentHash });
      const targeted = m.to !== undefined && m.to.length > 0;
      remember(s, m.seq, { from: m.from, time: m.time, random: m.random, clientTime: m.clientTime, version: s.version, recalled: false, deleted: false, tip: false, ...(targeted ? { to: m.to } : {}) });
      if (targeted) s.silent.push(m.seq);
      s.lastSeq = m.seq;
      s.lastMsgTime = Math.max(s.lastMsgTime, m.time);
      s.active = true;
      const sender = s.members.get(m.from);
      if (sender) s.members.set(m.from, { ...sender, lastSendTime: m.time, readSeq: Math.max(sender.readSeq, m.seq) });
      break;
    }
    case TIP_STORED: {
      const t = event.data;
      remember(s, t.seq, { from: t.by, time: t.time, random: 0, clientTime: t.time, version: s.version, recalled: false, deleted: false, tip: true });
      s.lastSeq = t.seq;
      break;
    }
    case MESSAGES_RECALLED:
      noteRecalls(s, event.data);
      for (const seq of event.data.seqs) {
        const meta = s.messages.get(seq);
        if (meta) meta.recalled = true;
        else s.recalledBefore.add(seq);
      }
      break;
    case MESSAGES_DELETED:
      for (const seq of event.data.seqs) {
        const meta = s.messages.get(seq);
        if (meta) meta.deleted = true;
        else s.deletedBefore.add(seq);
      }
      break;
  }
  return s;
}

function remember(s: GroupState, seq: number, meta: MessageMeta): void {
  s.messages.set(seq, meta);
  if (s.messages.size <= REMEMBERED_MESSAGES) return;
  const [oldest, forgotten] = s.messages.entries().next().value as [number, MessageMeta];
  s.messages.delete(oldest);
  // What history must keep marking outlives the window.
  if (forgotten.deleted) s.deletedBefore.add(oldest);
  else if (forgotten.recalled) s.recalledBefore.add(oldest);
}

function forgetBefore(dedup: GroupState['dedup'], cutoff: number): void {
  for (const [key, entry] of dedup) {
    if (entry.time >= cutoff) break;
    dedup.delete(key);
  }
}

/**
 * A member's read sequence as unread counts see it: their own mark, raised to what
 * clear_group_msg hid from members. The clear moves one number in the group, so it costs no
 * write per member, and a member reading later moves their own mark past it as before.
 */
export const readSeqOf = (s: Pick<GroupState, 'clearedUpTo'>, readSeq: number): number => Math.max(readSeq, s.clearedUpTo ?? 0);

/** Unread messages of a member: the group's last sequence minus the member's read sequence (raised by clears), less targeted messages. */
export const unreadOf = (s: GroupState, user: string): number => unreadAfter(s, readSeqOf(s, s.members.get(user)?.readSeq ?? s.lastSeq));

/** Messages after `readSeq` that count as unread: all but the targeted ones (`silent`). */
export function unreadAfter(s: Pick<GroupState, 'lastSeq' | 'silent'>, readSeq: number): number {
  const silent = s.silent;
  let lo = 0;
  let hi = silent.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (silent[mid] <= readSeq) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, s.lastSeq - readSeq - (silent.length - lo));
}
