/**
 * Rules of a group: membership, roles, profile, messages. Every per-type rule comes from
 * policy.ts; the reply carries what the host service delivers after the append (`out`).
 */
import { DomainError, type Decision } from '../../runtime/kind';
import type { GroupCommand, GroupReply, GroupView, HistoryWindow, Who } from './commands';
import type { GroupEvent } from './events';
import * as attributes from './attributes';
import * as bans from './bans';
import * as edits from './message-edits';
import * as counters from './counters';
import * as invitations from './invitations';
import * as liveAdmins from './live-admins';
import * as members from './membership';
import * as messages from './messages';
import { POLICIES, type GroupType } from './policy';
import * as permissionGroups from './permission-groups';
import * as profile from './profile';
import * as receipts from './receipts';
import { recallNotes } from './recall-notes';
import * as topicMessages from './topic-messages';
import * as topics from './topics';
import { actorOf, existing, GROUP_CODES, refuse, type Effects } from './rules';
import { readSeqOf, unreadOf, type GroupState, type Member } from './state';

const decision = (fx: Effects, result: unknown = {}, type?: GroupType): Decision<GroupEvent, GroupReply> => ({
  events: fx.events,
  reply: { result, out: fx.out, type },
  feeds: fx.feeds.length > 0 ? fx.feeds : undefined,
});

export function decide(state: GroupState, command: GroupCommand): Decision<GroupEvent, GroupReply> {
  const d = decideOne(state, command);
  d.reply.type ??= state.profile?.type;
  return d;
}

function decideOne(state: GroupState, command: GroupCommand): Decision<GroupEvent, GroupReply> {
  switch (command.op) {
    case 'create':
      return decision(members.create(state, command), { groupId: state.id });
    case 'view':
      return { events: [], reply: { result: view(state, command.viewer) } };
    case 'modify':
      return decision(profile.modify(state, command));
    case 'invite': {
      const { fx, results } = members.invite(state, command);
      return decision(fx, results);
    }
    case 'importMembers': {
      const { fx, results } = members.importMembers(state, command);
      return decision(fx, results);
    }
    case 'apply': {
      bans.refuseBanned(state, command.user, command.now);
      const { fx, status } = members.apply(state, command);
      // HugeGroupFlag 1 sends the web SDK down its live-room path (AVChatRoomHandler).
      return decision(fx, { status, huge: POLICIES[existing(state).profile.type].listsMembers ? 0 : 1 });
    }
    case 'handleApplication':
      return decision(members.handleApplication(state, command));
    case 'handleInvitation':
      return decision(invitations.handleInvitation(state, command));
    case 'quit':
      return decision(members.quit(state, command));
    case 'remove':
      return decision(members.remove(state, command));
    case 'modifyMember':
      return decision(profile.modifyMember(state, command));
    case 'mute':
      return decision(command.topicId ? topicMessages.muteInTopic(state, command, command.topicId) : profile.mute(state, command));
    case 'changeOwner':
      return decision(members.changeOwner(state, command));
    case 'destroy':
      return decision(members.destroy(state, command));
    case 'send': {
      if (!command.by.admin) bans.refuseBanned(state, command.message.from, command.now);
      const { fx, result } = command.topicId ? topicMessages.sendToTopic(state, command, command.topicId) : messages.send(state, command);
      return decision(fx, result);
    }
    case 'systemNotice':
      return decision(messages.systemNotice(state, command));
    case 'importMessages': {
      const { fx, results } = command.topicId ? topicMessages.importToTopic(state, command, command.topicId) : messages.importMessages(state, command);
      return decision(fx, results);
    }
    case 'recall': {
      const { fx, results } = command.topicId ? topicMessages.recallInTopic(state, command, command.topicId) : messages.recall(state, command);
      return decision(fx, results);
    }
    case 'recallNotes':
      return { events: [], reply: { result: recallNotes(state, command) } };
    case 'deleteBySender': {
      if (command.topicId) {
        const fx = topicMessages.deleteInTopic(state, command, command.topicId);
        const seqs = fx.events.length > 0 ? (fx.events[0].data as { seqs: number[] }).seqs : [];
        return decision(fx, { deleted: seqs.length, seqs });
      }
      const { fx, result } = messages.deleteBySender(state, command);
      return decision(fx, result);
    }
    case 'read':
      return decision(command.topicId ? topicMessages.readTopic(state, command, command.topicId) : messages.read(state, command));
    case 'setUnread':
      return decision(messages.setUnread(state, command));
    case 'badgeUnread':
      return { events: [], reply: { result: badgeUnread(state, command.users) } };
    case 'locate':
      return { events: [], reply: { result: command.topicId ? topicMessages.locateInTopic(state, command, command.topicId) : locate(state, command) } };
    case 'createTopic':
      return decision(topics.createTopic(state, command), { topicId: command.topic.id });
    case 'modifyTopic':
      return decision(topics.modifyTopic(state, command));
    case 'destroyTopics': {
      const { fx, results } = topics.destroyTopics(state, command);
      return decision(fx, results);
    }
    case 'viewTopics':
      return { events: [], reply: { result: topics.viewTopics(state, command) } };
    case 'createPermissionGroup':
      return decision(permissionGroups.create(state, command), { id: command.group.id });
    case 'modifyPermissionGroup':
      return decision(permissionGroups.modify(state, command));
    case 'destroyPermissionGroups': {
      const { fx, results } = permissionGroups.destroy(state, command);
      return decision(fx, results);
    }
    case 'viewPermissionGroups':
      return { events: [], reply: { result: permissionGroups.view(state, command) } };
    case 'permissionGroupMembers': {
      const { fx, results } = permissionGroups.members(state, command);
      return decision(fx, results);
    }
    case 'topicPermissions': {
      const { fx, results } = permissionGroups.topicPermissions(state, command);
      return decision(fx, results);
    }
    case 'attributes': {
      const { fx, result } = attributes.changeAttributes(state, command);
      return decision(fx, result);
    }
    case 'viewAttributes':
      return { events: [], reply: { result: attributes.viewAttributes(state, command) } };
    case 'receipt':
      return decision(receipts.receipt(state, command));
    case 'viewReceipts':
      return { events: [], reply: { result: receipts.receiptCounts(state, command) } };
    case 'receiptDetail':
      return { events: [], reply: { result: receipts.receiptDetail(state, command) } };
    case 'counters': {
      const { fx, result } = counters.changeCounters(state, command);
      return decision(fx, result);
    }
    case 'viewCounters':
      return { events: [], reply: { result: counters.viewCounters(state, command) } };
    case 'modifyMessage': {
      const { fx, result } = edits.modifyMessage(state, command);
      return decision(fx, result);
    }
    case 'clearHistory':
      return decision(edits.clearHistory(state, command));
    case 'ban':
      return decision(bans.ban(state, command));
    case 'unban':
      return decision(bans.unban(state, command));
    case 'viewBans':
      return { events: [], reply: { result: bans.viewBans(state, command) } };
    case 'modifyLiveAdmins':
      return decision(liveAdmins.modifyLiveAdmins(state, command));
    case 'viewLiveAdmins':
      return { events: [], reply: { result: liveAdmins.viewLiveAdmins(state, command) } };
    default: {
      const never: never = command;
      throw new DomainError(GROUP_CODES.INVALID, `unknown group command ${JSON.stringify(never)}`);
    }
  }
}

function view(s: GroupState, viewer?: Who): GroupView {
  const { profile: p, policy } = existing(s);
  const member = viewer && !viewer.admin ? liveMember(s, viewer.id) : undefined;
  // The read mark the member's clients see (SelfInfo.MsgSeq, the conversation's read sequence) includes a clear, as the unread count does.
  const self = member && { ...member, readSeq: readSeqOf(s, member.readSeq) };
  return {
    id: s.id,
    profile: p,
    lastSeq: s.lastSeq,
    lastMsgTime: s.lastMsgTime,
    active: s.active,
    memberNum: s.members.size,
    members: policy.listsMembers ? [...s.members] : viewer?.admin ? liveMembers(s) : [],
    self,
    selfUnread: self && viewer ? unreadOf(s, viewer.id) : undefined,
    mutes: [...s.mutes],
    pending: [...s.pending],
    invited: [...s.invited],
    version: s.version,
  };
}

/**
 * A member as the views show them: stored, with a live room's admins (live-admins.ts) as Admin,
 * whether stored or not, since when they were named. Their role is what the SDK and get_role_in_group read.
 */
function liveMember(s: GroupState, user: string): Member | undefined {
  const stored = s.members.get(user);
  const since = s.liveAdmins?.get(user);
  if (since === undefined || stored?.role === 'Owner') return stored;
  return { ...(stored ?? { joinTime: since, msgFlag: POLICIES.AVChatRoom.defaultMsgFlag, nameCard: '', readSeq: s.lastSeq, joinSeq: s.lastSeq + 1, lastSendTime: 0, custom: {} }), role: 'Admin' };
}

/** A live room's stored members and its admins, for the app administrator's views. */
function liveMembers(s: GroupState): [string, Member][] {
  const users = [...new Set([...s.members.keys(), ...(s.liveAdmins?.keys() ?? [])])];
  return users.map((u) => [u, liveMember(s, u)!]);
}

/**
 * Each member's unread count as their app badge counts it: only groups that count unread
 * (not live rooms, not Meeting, the SDK's ChatRoom) and only members notified of every message
 * (AcceptAndNotify), as the SDK's total unread leaves do-not-disturb conversations out.
 * Non-members and a group that does not exist (any more) count 0.
 */
function badgeUnread(s: GroupState, users: string[]): Record<string, number> {
  const counts = s.profile !== undefined && POLICIES[s.profile.type].unreadCounts;
  const out: Record<string, number> = {};
  for (const user of users) {
    const m = counts ? s.members.get(user) : undefined;
    out[user] = m && m.msgFlag === 'AcceptAndNotify' ? unreadOf(s, user) : 0;
  }
  return out;
}

export type { HistoryWindow } from './commands';

function locate(s: GroupState, c: Extract<GroupCommand, { op: 'locate' }>): HistoryWindow {
  const { profile: p, policy } = existing(s);
  if (!policy.storesHistory) return { top: 0, floor: 1, recalled: [], deleted: [] };
  const actor = actorOf(s, c.viewer);
  if (actor === 'NotMember') refuse(GROUP_CODES.NO_PERMISSION, `${c.viewer.id} is not a member`);
  const member = s.members.get(c.viewer.id);
  const joined = actor === 'AppAdmin' || p.historyBeforeJoin || POLICIES[p.type].historyBeforeJoin ? 1 : (member?.joinSeq ?? 1);
  // clear_group_msg hides what it cleared from members; the administrator still reads it.
  const floor = actor === 'AppAdmin' ? joined : Math.max(joined, (s.clearedUpTo ?? 0) + 1);
  const top = Math.min(c.seq, s.lastSeq);
  const recalled: number[] = [];
  const deleted: number[] = [];
  for (const [seq, m] of s.messages) {
    if (seq > top || seq < floor) continue;
    if (m.recalled) recalled.push(seq);
    if (m.deleted) deleted.push(seq);
  }
  for (const seq of s.deletedBefore) if (seq <= top && seq >= floor) deleted.push(seq);
  for (const seq of s.recalledBefore) if (seq <= top && seq >= floor) recalled.push(seq);
  return { top, floor, recalled, deleted };
}
