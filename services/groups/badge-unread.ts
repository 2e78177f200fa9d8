/**
 * The group part of users' app badges (offline push, services/push/badge.ts): for each user,
 * the sum of their unread counts over the groups they belong to that count toward a badge
 * (the group actor's `badgeUnread`: unread-counting types, AcceptAndNotify members).
 *
 * Cost: one read of each user's joined-group feed (the same feed get_joined_group_list reads,
 * never a scan over groups), then one read-only command per distinct group of the whole batch
 * asking for all of the batch's members of that group at once. Types that never count unread
 * (live rooms, ChatRooms) are left out from the feed without asking their actor.
 */
import type { ServiceBroker } from 'moleculer';
import { groupKey, joinedStream, POLICIES, type GroupType } from '../../actors/group';
import { routerOf } from '../../runtime/moleculer/router';
import { groupsOfFeed } from './context';

const GROUPS_SERVICE = 'groups';

export async function groupUnreadTotals(broker: ServiceBroker, app: number, users: string[]): Promise<Map<string, number>> {
  const membersOf = new Map<string, string[]>();
  await Promise.all(
    users.map(async (user) => {
      for (const [groupId, g] of await groupsOfFeed(broker, joinedStream(app, user))) {
        // A feed event from before types were recorded ('') is asked about like any other.
        if (POLICIES[g.type as GroupType]?.unreadCounts === false) continue;
        const list = membersOf.get(groupId);
        if (list) list.push(user);
        else membersOf.set(groupId, [user]);
      }
    }),
  );
  const totals = new Map<string, number>(users.map((u) => [u, 0]));
  const router = routerOf(broker);
  // A deployment without the groups service (nodes started with a subset of services) counts no
  // groups, rather than waiting out the router's retries on every push.
  const first = membersOf.keys().next();
  if (first.done || router.ownerOf(GROUPS_SERVICE, groupKey(app, first.value)) === undefined) return totals;
  await Promise.all(
    [...membersOf].map(async ([groupId, members]) => {
      const counts = await router.call<Record<string, number>>(GROUPS_SERVICE, groupKey(app, groupId), { op: 'badgeUnread', users: members });
      for (const [user, n] of Object.entries(counts)) totals.set(user, (totals.get(user) ?? 0) + n);
    }),
  );
  return totals;
}
