/**
 * Push jobs as side feeds of the append that stores a message: one Queued event per push-queue
 * shard the recipients hash to, written in the message's own transaction, so a crash keeps
 * both or neither. Once durable, the shards' deliverers are woken on their owner nodes. Nothing
 * is written for an app without a push provider: the send path pays for push only when used.
 */
import type { ServiceBroker } from 'moleculer';
import type { SideFeeds } from '../../runtime/host';
import type { FeedAppend } from '../../runtime/eventlog';
import { routerOf } from '../../runtime/moleculer/router';
import { anyPushOn, pushSettings } from '../../actors/apps/settings/push';
import { pushqKey, pushqKind, pushShardOf, QUEUED } from '../../actors/pushq';
import { appDirectory } from '../apps/registry';
import type { PushJob } from './job';

export const PUSH_SERVICE = 'push';

/** Whether the app has a provider to push with (checked before any job is built). */
export function wantsPush(broker: ServiceBroker, app: number): boolean {
  const settings = appDirectory(broker).get(app)?.settings;
  return settings !== undefined && anyPushOn(pushSettings(settings));
}

/** Groups recipients by shard: shard key → users. */
export function byShard(app: number, users: Iterable<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const user of users) {
    const key = pushqKey(app, pushShardOf(user));
    const list = out.get(key);
    if (list) list.push(user);
    else out.set(key, [user]);
  }
  return out;
}

/** The feeds of some jobs (each with its recipients); undefined when there is nothing to push. */
export function pushFeeds(broker: ServiceBroker, app: number, jobs: { job: PushJob; users: string[] }[]): SideFeeds | undefined {
  const feeds = new Map<string, FeedAppend>();
  const at = Date.now();
  for (const { job, users } of jobs) {
    const text = JSON.stringify(job);
    for (const [key, shardUsers] of byShard(app, users)) {
      let feed = feeds.get(key);
      if (!feed) feeds.set(key, (feed = { stream: `${pushqKind.name}:${key}`, events: [] }));
      feed.events.push({ type: QUEUED, data: { id: 0, users: shardUsers, job: text, at } });
    }
  }
  if (feeds.size === 0) return undefined;
  return { feeds: [...feeds.values()], then: () => wakeShards(broker, feeds.keys()) };
}

/** Both side feeds in one transaction; `then` of each runs once it is durable. */
export function joinFeeds(a: SideFeeds | undefined, b: SideFeeds | undefined): SideFeeds | undefined {
  if (!a || !b) return a ?? b;
  return {
    feeds: [...a.feeds, ...b.feeds],
    then: () => {
      a.then?.();
      b.then?.();
    },
  };
}

const due = new WeakMap<ServiceBroker, Set<string>>();

/** Wakes the deliverers of shards on their owners, at most once per shard per turn of the event loop. */
export function wakeShards(broker: ServiceBroker, keys: Iterable<string>): void {
  let set = due.get(broker);
  if (!set) due.set(broker, (set = new Set()));
  const first = set.size === 0;
  for (const key of keys) set.add(key);
  if (!first || set.size === 0) return;
  setImmediate(() => {
    const keys = [...set];
    set.clear();
    const router = routerOf(broker);
    for (const key of keys) {
      const nodeID = router.ownerOf(PUSH_SERVICE, key);
      // No owner now (no push service, or placement settling): delivery resumes on the next placement change.
      if (nodeID === undefined) continue;
      broker.call(`${PUSH_SERVICE}.wake`, { key }, { nodeID }).catch((err: Error) => broker.logger.warn(`push queue ${key}: wake-up not delivered (${err.message}); it resumes on the next placement change`));
    }
  });
}
