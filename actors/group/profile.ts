/** Changes to the group's profile and to its members' profiles, mutes included. */
import type { GroupCommand } from './commands';
import { MEMBER_CHANGED, MEMBERS_MUTED, PROFILE_CHANGED, type MemberPatch, type ProfilePatch } from './events';
import { checkGroupWrite, checkMemberWrite, NO_FIELDS, readableGroupFields } from './fields';
import { allowRight, mayActOn } from './rights';
import { actorOf, allow, existing, GROUP_CODES, none, receivers, refuse, roleOf, tip, type Effects } from './rules';
import type { GroupState } from './state';

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

export { CUSTOM_LIMITS } from './fields';

/** Mute until this instant means "for ever" (Tencent's MuteTime 4294967295). */
export const MUTE_FOREVER = 0xffffffff;

const BASIC: (keyof ProfilePatch)[] = ['name', 'introduction', 'notification', 'faceUrl'];
const OPTIONS: (keyof ProfilePatch)[] = ['applyJoin', 'muteAll'];

export function modify(s: GroupState, c: Cmd<'modify'>): Effects {
  const { profile, policy } = existing(s);
  const actor = actorOf(s, c.by);
  const keys = (Object.keys(c.patch) as (keyof ProfilePatch)[]).filter((k) => c.patch[k] !== undefined);
  if (keys.some((k) => BASIC.includes(k))) allowRight(s, c.by, policy.modifyProfile, 'ManageGroupInfo', 'change the group profile');
  // Custom fields carry their own write level per key (fields.ts) instead of the options rule.
  if (keys.some((k) => !BASIC.includes(k) && k !== 'custom')) allowRight(s, c.by, policy.modifyOptions, 'ManageGroupInfo', 'change the group options');
  if ((c.patch.enablePermission !== undefined || c.patch.defaultPermission !== undefined) && profile.type !== 'Community') refuse(GROUP_CODES.INVALID, 'only a Community has permission groups');
  if (c.patch.applyJoin !== undefined && !policy.applyConfigurable) refuse(GROUP_CODES.NO_PERMISSION, `${profile.type} groups take no applications`);
  if (c.patch.custom) checkGroupWrite(c.fields ?? NO_FIELDS, actor, profile.custom, c.patch.custom);
  if (c.patch.maxMembers !== undefined && c.patch.maxMembers > 0 && c.patch.maxMembers < s.members.size) refuse(GROUP_CODES.INVALID, 'MaxMemberNum is below the member count');
  const fx = none();
  if (keys.length === 0) return fx;
  fx.events.push({ type: PROFILE_CHANGED, data: { by: c.by.id, patch: JSON.stringify(c.patch), at: c.now } });
  const shown = Object.fromEntries(keys.filter((k) => BASIC.includes(k) || OPTIONS.includes(k)).map((k) => [k, c.patch[k]])) as ProfilePatch;
  // The tip reaches every member: it names only the custom fields every member may read.
  const told = c.patch.custom ? readableGroupFields(c.fields ?? NO_FIELDS, 'Member', c.patch.custom) : {};
  if (Object.keys(told).length > 0) shown.custom = told;
  const mode = keys.some((k) => BASIC.includes(k)) ? policy.profileTips : keys.some((k) => OPTIONS.includes(k)) ? policy.optionTips : 'off';
  tip(s, fx, mode, { opType: 6, by: c.by.id, users: [], memberNum: s.members.size, profile: shown }, receivers(s), c.now);
  return fx;
}

export function modifyMember(s: GroupState, c: Cmd<'modifyMember'>): Effects {
  const { policy } = existing(s);
  const actor = actorOf(s, c.by);
  const target = s.members.get(c.user);
  if (!target) refuse(GROUP_CODES.NO_PERMISSION, `${c.user} is not a member`);
  const self = !c.by.admin && c.by.id === c.user;
  const p = c.patch;
  if (p.role !== undefined) {
    if (!policy.admins) refuse(GROUP_CODES.NO_PERMISSION, 'this group type has no admins');
    allow(policy.setAdmins, actor, 'set admins');
    if (target?.role === 'Owner') refuse(GROUP_CODES.NO_PERMISSION, "the owner's role changes only by transferring the group");
  }
  if (p.msgFlag !== undefined && !self && actor !== 'AppAdmin') refuse(GROUP_CODES.NO_PERMISSION, 'only members themselves set their message option');
  if ((p.nameCard !== undefined || p.custom !== undefined) && !self) {
    allowRight(s, c.by, ['Owner', 'Admin', 'AppAdmin'], 'ManageGroupMember', "change another member's profile");
    mayActOn(s, actor, target, 'change the profile of');
  }
  if (p.custom) checkMemberWrite(c.fields ?? NO_FIELDS, s.profile?.type ?? 'Public', actor, self, target?.custom ?? {}, p.custom);
  const fx = none();
  const changed = (Object.keys(p) as (keyof MemberPatch)[]).filter((k) => p[k] !== undefined && (k === 'custom' || p[k] !== target?.[k as 'role']));
  if (changed.length === 0) return fx;
  fx.events.push({ type: MEMBER_CHANGED, data: { user: c.user, patch: JSON.stringify(p), by: c.by.id, at: c.now } });
  if (p.role !== undefined && p.role !== target?.role) {
    tip(s, fx, policy.memberProfileTips, { opType: p.role === 'Admin' ? 4 : 5, by: c.by.id, users: [c.user], memberNum: s.members.size }, receivers(s), c.now);
  }
  return fx;
}

export function mute(s: GroupState, c: Cmd<'mute'>): Effects {
  const { policy } = existing(s);
  const actor = actorOf(s, c.by);
  allowRight(s, c.by, policy.mute, 'GroupMuteMember', 'mute members');
  const users = [...new Set(c.users)];
  for (const u of users) {
    // A live room (AVChatRoom) stores no plain members: any viewer may be muted, present or not.
    if (!s.members.has(u) && policy.listsMembers) refuse(GROUP_CODES.NO_PERMISSION, `${u} is not a member`);
    const role = roleOf(s, u);
    mayActOn(s, actor, role && { role }, 'mute');
  }
  const fx = none();
  if (users.length === 0) return fx;
  const nowSec = Math.floor(c.now / 1000);
  const until = c.seconds === 0 ? 0 : c.seconds >= MUTE_FOREVER ? MUTE_FOREVER : Math.min(MUTE_FOREVER, nowSec + c.seconds);
  fx.events.push({ type: MEMBERS_MUTED, data: { users, until, by: c.by.id, at: c.now } });
  tip(s, fx, policy.memberProfileTips, { opType: 7, by: c.by.id, users, memberNum: s.members.size, muteSeconds: c.seconds }, receivers(s), c.now);
  return fx;
}

/** Seconds left of a member's mute, 0 when they may speak. */
export const mutedFor = (s: GroupState, user: string, nowSec: number): number => Math.max(0, (s.mutes.get(user) ?? 0) - nowSec);
