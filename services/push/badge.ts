/**
 * The group part of a push's badge, asked for many recipients at once: the deliverers push up
 * to 64 items in parallel, each resolving its recipients separately; the requests of one turn
 * of the event loop are gathered into one call to the groups context, which reads each
 * user's joined-group feed once and asks each distinct group once for all of them
 * (services/groups/badge-unread.ts). So a group message pushed to 100 members asks that group
 * one question, not 100 questions per member's other groups.
 */
import type { ServiceBroker } from 'moleculer';
import { groupsOf } from '../groups/client';

interface Waiting {
  users: Set<string>;
  result: Promise<Map<string, number>>;
}

const batches = new WeakMap<ServiceBroker, Map<number, Waiting>>();

/** `user`'s unread total over their groups (0 where the groups context is not deployed). */
export function groupBadgeOf(broker: ServiceBroker, app: number, user: string): Promise<number> {
  let byApp = batches.get(broker);
  if (!byApp) batches.set(broker, (byApp = new Map()));
  let waiting = byApp.get(app);
  if (!waiting) {
    const users = new Set<string>();
    const apps = byApp;
    const result = new Promise<Map<string, number>>((resolve, reject) => {
      setImmediate(() => {
        apps.delete(app);
        groupsOf(broker).badgeUnread(app, [...users]).then(resolve, reject);
      });
    });
    waiting = { users, result };
    byApp.set(app, waiting);
  }
  waiting.users.add(user);
  return waiting.result.then((totals) => totals.get(user) ?? 0);
}
