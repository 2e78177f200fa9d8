/**
 * Invitations that wait for approval: while a group's InviteJoinOption is NeedPermission, an
 * ordinary member's invitation does not add the invitee; it waits, beside requests to join,
 * until the owner or an admin approves or refuses it (the SDK's applicationType 2,
 * handle_invite_join_permission_group). The owner, admins and the app administrator invite
 * directly. Invitations that the invitee must accept (handle_invite_join_group) are not served.
 */
import type { GroupCommand } from './commands';
import { INVITATION_ADDED, INVITATION_HANDLED } from './events';
import { join, joined, MAX_PENDING } from './joining';
import type { Actor } from './policy';
import { actorOf, allow, existing, GROUP_CODES, hasRoom, none, refuse, type Effects } from './rules';
import type { GroupState, Profile } from './state';

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

/** add_group_member's Result for an invitee who waits for approval. */
export const WAITING = 3;

export const needsApproval = (profile: Profile, actor: Actor): boolean => profile.inviteJoin === 'NeedPermission' && actor === 'Member';

export function inviteForApproval(s: GroupState, c: Cmd<'invite'>): { fx: Effects; results: Record<string, number> } {
  const results: Record<string, number> = {};
  const invitees: string[] = [];
  for (const user of new Set(c.users)) {
    if (s.members.has(user)) results[user] = 2;
    else {
      results[user] = WAITING;
      if (!s.invited.has(user)) invitees.push(user);
    }
  }
  if (s.invited.size + invitees.length > MAX_PENDING) refuse(GROUP_CODES.INVALID, `the group already has ${s.invited.size} invitations waiting for approval`);
  const fx = none();
  if (invitees.length === 0) return { fx, results };
  fx.events.push({ type: INVITATION_ADDED, data: { inviter: c.by.id, invitees, at: c.now } });
  const managers = [...s.members].filter(([, m]) => m.role !== 'Member').map(([u]) => u);
  fx.out.push({ kind: 'system', time: Math.floor(c.now / 1000), by: c.by.id, content: '', recipients: managers, opType: 1 });
  return { fx, results };
}

export function handleInvitation(s: GroupState, c: Cmd<'handleInvitation'>): Effects {
  const { profile, policy } = existing(s);
  allow(policy.approve, actorOf(s, c.by), 'handle invitations');
  const waiting = s.invited.get(c.invitee);
  if (!waiting) refuse(GROUP_CODES.HANDLED, `no invitation of ${c.invitee} waits for approval`);
  const fx = none();
  fx.events.push({ type: INVITATION_HANDLED, data: { invitee: c.invitee, approved: c.approve, by: c.by.id, at: c.now } });
  if (c.approve && !s.members.has(c.invitee)) {
    hasRoom(s, profile, 1);
    const member = joined(s, policy, { user: c.invitee, role: 'Member', joinTime: Math.floor(c.now / 1000), nameCard: '', custom: '{}' });
    join(s, profile, fx, [member], waiting?.inviter ?? c.by.id, 'invite', c.now);
  }
  return fx;
}
