/** Adding members: the shared step of creating, inviting, approving and importing. */
import type { NewMember } from './commands';
import { MEMBERS_JOINED, type JoinedMember, type JoinHow } from './events';
import { POLICIES, type TypePolicy } from './policy';
import { joinedFeeds, receivers, tip, type Effects } from './rules';
import type { GroupState, Profile } from './state';

/** Applications kept per group; older ones must be handled first (the seed caps pending lists at 50). */
export const MAX_PENDING = 50;

export function joined(s: GroupState, policy: TypePolicy, m: NewMember): JoinedMember {
  const role = m.role === 'Admin' && !policy.admins ? 'Member' : m.role;
  return { user: m.user, role, joinTime: m.joinTime, msgFlag: m.msgFlag ?? policy.defaultMsgFlag, nameCard: m.nameCard, custom: m.custom, readSeq: Math.max(0, s.lastSeq - (m.unread ?? 0)) };
}

export function join(s: GroupState, profile: Profile, fx: Effects, members: JoinedMember[], by: string, how: JoinHow, now: number, silent = false): void {
  if (members.length === 0) return;
  const users = members.map((m) => m.user);
  fx.events.push({ type: MEMBERS_JOINED, data: { members, by, how, at: now } });
  fx.feeds.push(...joinedFeeds(s, profile, users, now, how === 'create' ? members.find((m) => m.role === 'Owner')?.user : undefined));
  if (!silent && how !== 'create' && how !== 'import') {
    tip(s, fx, POLICIES[profile.type].memberTips, { opType: 1, by, users, memberNum: s.members.size + users.length }, receivers(s, users), now);
  }
}

