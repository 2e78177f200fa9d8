/** Creating, joining, leaving and disbanding a group, and who holds which role. */
import type { GroupCommand, Who } from './commands';
import {
  APPLICATION_ADDED,
  APPLICATION_HANDLED,
  GROUP_CREATED,
  GROUP_DESTROYED,
  MEMBERS_LEFT,
  OWNER_CHANGED,
  appGroupsStream,
  liveAdminStream,
  JOINED_GROUP,
  LEFT_GROUP,
  type JoinedMember,
} from './events';
import { checkNewFields, NO_FIELDS } from './fields';
import { inviteForApproval, needsApproval } from './invitations';
import { join, joined, MAX_PENDING } from './joining';
import { POLICIES } from './policy';
import { actorOf, allow, existing, GROUP_CODES, hasRoom, leftFeeds, none, receivers, refuse, tip, type Effects } from './rules';
import { allowRight, mayActOn } from './rights';
import type { GroupState, Profile } from './state';

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

export function create(s: GroupState, c: Cmd<'create'>): Effects {
  if (s.profile) refuse(GROUP_CODES.ID_USED, `group id ${s.id} is already used`);
  const g = c.group;
  const policy = POLICIES[g.type];
  const applyJoin = policy.applyConfigurable ? (g.applyJoin ?? policy.applyDefault) : 'DisableApply';
  const fx = none();
  const createTime = Math.floor(c.now / 1000);
  fx.events.push({
    type: GROUP_CREATED,
    data: { ...g, applyJoin, custom: JSON.stringify(g.custom), historyBeforeJoin: policy.historyBeforeJoin, imported: c.imported, by: c.by.id, createTime: g.createTime || createTime },
  });
  const seen = new Set<string>();
  const members: JoinedMember[] = [];
  const fresh = { ...s, lastSeq: 0 };
  for (const m of c.members) {
    if (seen.has(m.user)) continue;
    seen.add(m.user);
    members.push(joined(fresh, policy, { ...m, role: m.user === g.owner ? 'Owner' : m.role === 'Owner' ? 'Member' : m.role }));
  }
  if (g.maxMembers > 0 && members.length > g.maxMembers) refuse(GROUP_CODES.FULL, `${members.length} members do not fit in ${g.maxMembers}`);
  checkNewFields(c.fields ?? NO_FIELDS, g.type, c.by.admin, c.by.id, g.custom, members);
  const profile = { type: g.type } as Profile;
  join({ ...s, members: new Map() }, profile, fx, members, c.by.id, 'create', c.now);
  fx.feeds.push({ stream: appGroupsStream(s.app), events: [{ type: JOINED_GROUP, data: { groupId: s.id, type: g.type, at: c.now } }] });
  return fx;
}

export function invite(s: GroupState, c: Cmd<'invite'>): { fx: Effects; results: Record<string, number> } {
  const { profile, policy } = existing(s);
  const actor = actorOf(s, c.by);
  allow(policy.invite, actor, 'invite');
  if (profile.inviteJoin === 'DisableInvite' && actor !== 'AppAdmin') refuse(GROUP_CODES.NO_PERMISSION, 'invitations are disabled in this group');
  if (needsApproval(profile, actor)) return inviteForApproval(s, c);
  const results: Record<string, number> = {};
  const added: JoinedMember[] = [];
  for (const user of new Set(c.users)) {
    if (s.members.has(user)) results[user] = 2;
    else {
      results[user] = 1;
      added.push(joined(s, policy, { user, role: 'Member', joinTime: Math.floor(c.now / 1000), nameCard: '', custom: '{}' }));
    }
  }
  hasRoom(s, profile, added.length);
  const fx = none();
  join(s, profile, fx, added, c.by.id, 'invite', c.now, c.silence);
  return { fx, results };
}

export function importMembers(s: GroupState, c: Cmd<'importMembers'>): { fx: Effects; results: Record<string, number> } {
  const { profile, policy } = existing(s);
  if (!policy.importable) refuse(GROUP_CODES.NO_PERMISSION, `${profile.type} groups take no imported members`);
  checkNewFields(c.fields ?? NO_FIELDS, profile.type, true, 'import', {}, c.members);
  const results: Record<string, number> = {};
  const added: JoinedMember[] = [];
  for (const m of c.members) {
    if (s.members.has(m.user) || results[m.user] !== undefined) results[m.user] = 2;
    else {
      results[m.user] = 1;
      added.push(joined(s, policy, { ...m, role: m.role === 'Owner' ? 'Member' : m.role }));
    }
  }
  hasRoom(s, profile, added.length);
  const fx = none();
  join(s, profile, fx, added, 'import', 'import', c.now);
  return { fx, results };
}

export function apply(s: GroupState, c: Cmd<'apply'>): { fx: Effects; status: 'JoinedSuccess' | 'WaitAdminApproval' } {
  const { profile, policy } = existing(s);
  // A live room's stored members and its admins (live-admins.ts) enter without asking.
  if (!policy.listsMembers && (profile.applyJoin === 'FreeAccess' || s.members.has(c.user) || s.liveAdmins?.has(c.user))) return { fx: enterLiveRoom(s, profile, c.user, c.now), status: 'JoinedSuccess' };
  if (s.members.has(c.user)) refuse(GROUP_CODES.ALREADY_MEMBER, `${c.user} is already a member`);
  if (profile.applyJoin === 'DisableApply') refuse(GROUP_CODES.NO_PERMISSION, 'this group takes no applications');
  hasRoom(s, profile, 1);
  const fx = none();
  if (profile.applyJoin === 'FreeAccess') {
    join(s, profile, fx, [joined(s, policy, { user: c.user, role: 'Member', joinTime: Math.floor(c.now / 1000), nameCard: '', custom: '{}' })], c.user, 'free', c.now);
    return { fx, status: 'JoinedSuccess' };
  }
  if (!s.pending.has(c.user) && s.pending.size >= MAX_PENDING) refuse(GROUP_CODES.INVALID, `the group already has ${MAX_PENDING} pending applications`);
  fx.events.push({ type: APPLICATION_ADDED, data: { applicant: c.user, message: c.message, at: c.now } });
  const managers = [...new Set([...[...s.members].filter(([, m]) => m.role !== 'Member').map(([u]) => u), ...(s.liveAdmins?.keys() ?? [])])];
  fx.out.push({ kind: 'system', time: Math.floor(c.now / 1000), by: c.user, content: c.message, recipients: managers, opType: 1 });
  return { fx, status: 'WaitAdminApproval' };
}

export function handleApplication(s: GroupState, c: Cmd<'handleApplication'>): Effects {
  const { profile, policy } = existing(s);
  allowRight(s, c.by, policy.approve, 'ManageGroupMember', 'handle applications');
  if (!s.pending.has(c.applicant)) refuse(GROUP_CODES.HANDLED, `no pending application of ${c.applicant}`);
  const fx = none();
  fx.events.push({ type: APPLICATION_HANDLED, data: { applicant: c.applicant, approved: c.approve, by: c.by.id, at: c.now } });
  fx.out.push({ kind: 'system', time: Math.floor(c.now / 1000), by: c.by.id, content: '', recipients: [c.applicant], opType: c.approve ? 2 : 3 });
  if (c.approve && !policy.listsMembers) fx.out.push(...enterLiveRoom(s, profile, c.applicant, c.now).out);
  else if (c.approve && !s.members.has(c.applicant)) {
    hasRoom(s, profile, 1);
    join(s, profile, fx, [joined(s, policy, { user: c.applicant, role: 'Member', joinTime: Math.floor(c.now / 1000), nameCard: '', custom: '{}' })], c.by.id, 'apply', c.now);
  }
  return fx;
}

function leave(s: GroupState, profile: Profile, users: string[], by: string, how: 'quit' | 'kicked', now: number, silent: boolean): Effects {
  const fx = none();
  fx.events.push({ type: MEMBERS_LEFT, data: { users, by, how, at: now } });
  fx.feeds.push(...leftFeeds(s, users, now));
  const time = Math.floor(now / 1000);
  fx.out.push({ kind: 'system', time, by, content: '', recipients: users, opType: how === 'quit' ? 8 : 4 });
  if (!silent) {
    tip(s, fx, POLICIES[profile.type].memberTips, { opType: how === 'quit' ? 2 : 3, by, users, memberNum: s.members.size - users.length }, receivers(s, [], users), now);
  }
  return fx;
}

export function quit(s: GroupState, c: Cmd<'quit'>): Effects {
  const { profile, policy } = existing(s);
  const member = s.members.get(c.user);
  if (!member && !policy.listsMembers) return leaveLiveRoom(s, profile, c.user, c.now);
  if (!member) refuse(GROUP_CODES.NO_PERMISSION, `${c.user} is not a member`);
  if (member?.role === 'Owner' && !policy.ownerMayQuit) refuse(GROUP_CODES.OWNER_CANNOT_QUIT, 'the owner may not quit this group; transfer it or disband it');
  const fx = leave(s, profile, [c.user], c.user, 'quit', c.now, false);
  if (!policy.listsMembers) fx.out.unshift({ kind: 'room', op: 'leave', user: c.user, recipients: [] });
  return fx;
}

/**
 * Joining a live room (AVChatRoom), at once or once approved: nothing is stored (members named
 * at creation excepted); the user's online devices enter the room on their gateway nodes, and
 * the room gets a pushed join tip.
 */
function enterLiveRoom(s: GroupState, profile: Profile, user: string, now: number): Effects {
  const fx = none();
  fx.out.push({ kind: 'room', op: 'enter', user, recipients: [] });
  tip(s, fx, POLICIES[profile.type].memberTips, { opType: 1, by: user, users: [user], memberNum: s.members.size }, [], now);
  return fx;
}

function leaveLiveRoom(s: GroupState, profile: Profile, user: string, now: number): Effects {
  const fx = none();
  fx.out.push({ kind: 'room', op: 'leave', user, recipients: [] });
  tip(s, fx, POLICIES[profile.type].memberTips, { opType: 2, by: user, users: [user], memberNum: s.members.size }, [], now);
  return fx;
}

export function remove(s: GroupState, c: Cmd<'remove'>): Effects {
  const { profile, policy } = existing(s);
  const actor = actorOf(s, c.by);
  allowRight(s, c.by, policy.remove, 'ManageGroupMember', 'remove members');
  const users = [...new Set(c.users)].filter((u) => s.members.has(u));
  for (const u of users) mayActOn(s, actor, s.members.get(u), 'remove');
  if (users.length === 0) refuse(GROUP_CODES.NO_PERMISSION, 'none of these accounts is a member');
  return leave(s, profile, users, c.by.id, 'kicked', c.now, c.silence);
}

export function changeOwner(s: GroupState, c: Cmd<'changeOwner'>): Effects {
  const { profile, policy } = existing(s);
  const actor = actorOf(s, c.by);
  allow(['Owner', 'AppAdmin'], actor, 'transfer the group');
  if (!s.members.has(c.to)) refuse(GROUP_CODES.NO_PERMISSION, `${c.to} is not a member`);
  const fx = none();
  if (profile.owner === c.to) return fx;
  fx.events.push({ type: OWNER_CHANGED, data: { from: profile.owner, to: c.to, by: c.by.id, at: c.now } });
  tip(s, fx, policy.profileTips, { opType: 6, by: c.by.id, users: [], memberNum: s.members.size, profile: { owner: c.to } }, receivers(s), c.now);
  return fx;
}

export function destroy(s: GroupState, c: Cmd<'destroy'>): Effects {
  const { profile, policy } = existing(s);
  allow(policy.disband, actorOf(s, c.by), 'disband the group');
  const fx = none();
  const users = [...s.members.keys()];
  fx.events.push({ type: GROUP_DESTROYED, data: { by: c.by.id, at: c.now, members: users, type: profile.type, name: profile.name, owner: profile.owner } });
  fx.feeds.push(...leftFeeds(s, users, c.now));
  fx.feeds.push({ stream: appGroupsStream(s.app), events: [{ type: LEFT_GROUP, data: { groupId: s.id, at: c.now } }] });
  // A live room's named admins (live-admins.ts) leave their live-admin feed with it.
  for (const u of s.liveAdmins?.keys() ?? []) fx.feeds.push({ stream: liveAdminStream(s.app, u), events: [{ type: LEFT_GROUP, data: { groupId: s.id, at: c.now } }] });
  fx.out.push({ kind: 'system', time: Math.floor(c.now / 1000), by: c.by.id, content: '', recipients: users, opType: 5 });
  return fx;
}

export const memberWho = (id: string): Who => ({ id, admin: false });
