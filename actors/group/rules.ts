/** Shared checks of the group decider: existence, who the actor is, what the type allows. */
import type { FeedAppend } from '../../runtime/eventlog';
import type { Outgoing, TipBody, Who } from './commands';
import { JOINED_GROUP, LEFT_GROUP, TIP_STORED, joinedStream, type GroupEvent } from './events';
import { POLICIES, RANK, type Actor, type Role, type TipMode, type TypePolicy } from './policy';
import type { GroupState, Member, Profile } from './state';
import { GROUP_CODES, refuse } from './codes';

export { byteLength, GROUP_CODES, refuse } from './codes';


export function existing(s: GroupState): { profile: Profile; policy: TypePolicy } {
  if (!s.profile) refuse(GROUP_CODES.NOT_FOUND, `group ${s.id} does not exist`);
  const profile = s.profile as Profile;
  return { profile, policy: POLICIES[profile.type] };
}

/**
 * A user's role: their stored membership's, raised to Admin for a live room's admin named by
 * modify_admin (live-admins.ts), who need not be a stored member; undefined for a non-member.
 */
export function roleOf(s: GroupState, user: string): Role | undefined {
  const role = s.members.get(user)?.role;
  return role !== 'Owner' && s.liveAdmins?.has(user) ? 'Admin' : role;
}

export const actorOf = (s: GroupState, who: Who): Actor => (who.admin ? 'AppAdmin' : (roleOf(s, who.id) ?? 'NotMember'));

export function allow(allowed: readonly Actor[], actor: Actor, what: string): void {
  if (!allowed.includes(actor)) refuse(GROUP_CODES.NO_PERMISSION, `${actor} may not ${what} in this group`);
}

/** "An admin may act only on ordinary members": the actor must outrank the target. */
export function outranks(actor: Actor, target: Pick<Member, 'role'> | undefined, what: string): void {
  if (target && RANK[actor] <= RANK[target.role] && actor !== 'AppAdmin') refuse(GROUP_CODES.NO_PERMISSION, `${actor} may not ${what} a ${target.role}`);
  if (target?.role === 'Owner' && actor !== 'Owner' && actor !== 'AppAdmin') refuse(GROUP_CODES.NO_PERMISSION, `only the owner may ${what} the owner`);
}

/** Members who receive messages: all but those who chose Discard. */
export const receivers = (s: GroupState, extra: string[] = [], without: string[] = []): string[] => {
  const out: string[] = [];
  for (const [user, m] of s.members) if (m.msgFlag !== 'Discard' && !without.includes(user)) out.push(user);
  for (const u of extra) if (!s.members.has(u)) out.push(u);
  return out;
};

export function hasRoom(s: GroupState, profile: Profile, adding: number): void {
  if (profile.maxMembers > 0 && s.members.size + adding > profile.maxMembers) refuse(GROUP_CODES.FULL, `the group is full (${profile.maxMembers} members)`);
}

export interface Effects {
  events: GroupEvent[];
  out: Outgoing[];
  feeds: FeedAppend[];
}

export const none = (): Effects => ({ events: [], out: [], feeds: [] });

/** A tip under the type's mode: stored as the group's next message, pushed only, or nothing. */
export function tip(s: GroupState, fx: Effects, mode: TipMode, body: TipBody, recipients: string[], now: number): void {
  if (mode === 'off') return;
  const time = Math.floor(now / 1000);
  const stored = mode === 'stored' && POLICIES[s.profile?.type ?? 'AVChatRoom'].storesHistory;
  if (!stored) {
    fx.out.push({ kind: 'tip', seq: 0, time, tip: body, recipients, stored: false });
    return;
  }
  const pendingSeqs = fx.events.filter((e) => e.type === TIP_STORED).length;
  const seq = s.lastSeq + 1 + pendingSeqs;
  fx.events.push({ type: TIP_STORED, data: { seq, time, by: body.by, opType: body.opType, tip: JSON.stringify(body) } });
  fx.out.push({ kind: 'tip', seq, time, tip: body, recipients, stored: true });
}

/** Each user's joined-group feed learns of the group; `creator` marks the one who created it. */
export function joinedFeeds(s: GroupState, profile: Profile, users: string[], now: number, creator?: string): FeedAppend[] {
  return users.map((u) => ({ stream: joinedStream(s.app, u), events: [{ type: JOINED_GROUP, data: { groupId: s.id, type: profile.type, created: u === creator, at: now } }] }));
}

export function leftFeeds(s: GroupState, users: string[], now: number): FeedAppend[] {
  return users.map((u) => ({ stream: joinedStream(s.app, u), events: [{ type: LEFT_GROUP, data: { groupId: s.id, at: now } }] }));
}

