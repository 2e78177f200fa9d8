/**
 * The seed's "Use Limits": how many groups one user may be in (Premium: extended to 3,000), the
 * app's `groups.joinedGroupsPerUser` when it sets one. A user at the limit joins no further group:
 * create_group and apply_join_group answer 10037 (Tencent's per-user create-and-join limit),
 * add_group_member and import_group_member answer Result 0 for that user and add the others.
 *
 * Counted from the user's joined-group feed (`joined:<app>:<user>`, written in the same
 * transaction as each join and leave), one read per user joining; live-room viewers are in no
 * feed, and joining a live room is never refused for it. The check runs before the group's
 * command, so two joins into different groups at the same instant can pass it together: the limit
 * may be exceeded by the joins in flight, never by a join after them.
 */
import { joinedStream, type GroupType } from '../../actors/group';
import { groupSettings } from '../../actors/apps/settings/app-settings';
import { DomainError } from '../../runtime/kind';
import { appDirectory } from '../apps/registry';
import { groupsOfFeed } from './context';
import type { GroupsService } from './types';

/** The seed's Premium value. */
export const DEFAULT_JOINED_GROUPS = 3000;
/** Tencent's code: the user created or joined as many groups as allowed. */
export const JOIN_LIMIT = 10037;

/**
 * The users among `users` already in as many groups as allowed. `type` is asked only when
 * someone is at the limit (a live room lets them in).
 */
export async function atJoinLimit(svc: GroupsService, app: number, users: string[], type: () => Promise<GroupType>): Promise<Set<string>> {
  const limit = groupSettings(appDirectory(svc.broker).get(app)?.settings ?? {}).joinedGroupsPerUser ?? DEFAULT_JOINED_GROUPS;
  const counts = await Promise.all([...new Set(users)].map(async (u) => [u, (await groupsOfFeed(svc.broker, joinedStream(app, u))).size] as const));
  const full = new Set(counts.filter(([, n]) => n >= limit).map(([u]) => u));
  if (full.size === 0 || (await type()) === 'AVChatRoom') return new Set();
  return full;
}

/** Refuses the whole command (create_group, apply_join_group) when any of `users` is at the limit. */
export async function refuseAtJoinLimit(svc: GroupsService, app: number, users: string[], type: () => Promise<GroupType>): Promise<void> {
  const [first] = await atJoinLimit(svc, app, users, type);
  if (first !== undefined) throw new DomainError(JOIN_LIMIT, `${first} is in as many groups as one user may join`);
}
