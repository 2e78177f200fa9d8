/**
 * One check for the community rules that permission groups can grant: while a Community's
 * permission groups are on, the member's bits decide (permissions.ts); otherwise, and in every
 * other group type, the role rules of policy.ts do.
 */
import type { Who } from './commands';
import { authorize, holds, type GroupRight } from './permissions';
import type { Actor } from './policy';
import { actorOf, allow, GROUP_CODES, outranks, refuse } from './rules';
import type { GroupState, Member } from './state';
import { factsOf } from './topics';

export const permissionsOn = (s: GroupState): boolean => s.profile?.type === 'Community' && (s.profile.enablePermission ?? false);

export function allowRight(s: GroupState, by: Who, roles: readonly Actor[], right: GroupRight, what: string): void {
  const actor = actorOf(s, by);
  if (permissionsOn(s)) authorize(factsOf(s), by, actor, roles, right, what);
  else allow(roles as Actor[], actor, what);
}

/**
 * "An admin acts only on ordinary members" under roles; with permission groups on, whoever
 * holds the right may act on anyone but the owner (admins count as ordinary members then).
 */
export function mayActOn(s: GroupState, actor: Actor, target: Pick<Member, 'role'> | undefined, what: string): void {
  if (!permissionsOn(s)) return outranks(actor, target, what);
  if (target?.role === 'Owner' && actor !== 'Owner' && actor !== 'AppAdmin') refuse(GROUP_CODES.NO_PERMISSION, `only the owner may ${what} the owner`);
}

/** Whether a member holds a right by bits, when permission groups are on (always true when they are off). */
export function holdsRight(s: GroupState, by: Who, right: GroupRight): boolean {
  if (!permissionsOn(s) || by.admin) return true;
  const actor = actorOf(s, by);
  return actor === 'Owner' || (actor !== 'NotMember' && holds(factsOf(s), by.id, right));
}
