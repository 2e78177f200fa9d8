/**
 * The seed's "Use Limits": an app's net new groups per day (created minus disbanded, Communities
 * aside) are capped, 10,000 by default (the app's `groups.dailyNewGroups`; 0 = no quota, nothing
 * counted). The count lives in the groupquota actor (actors/groupquota), one per app and day in
 * the statistics' time zone (PARLEY_UTC_OFFSET_MIN), hosted beside the groups (quota-host.ts):
 * durable in the event log, exact across nodes (one mailbox per app and day).
 *
 * - create_group takes a place before the group's command (10036 at the quota) and gives it back
 *   if the create then fails; a crash between the two leaves it taken, so the count can only err
 *   on the side of the quota. import_group is not counted.
 * - Disbanding writes −1 into the day's stream in the group's own transaction (a feed of the
 *   disbanding), so destroy_group makes no extra call.
 * - The create that takes the count past 70% queues Group.CallbackOnDailyGroupQuotaAlarm in the
 *   quota actor's own transaction (quota-host.ts).
 */
import type { Context, ServiceBroker } from 'moleculer';
import { GROUP_DESTROYED, type GroupEvent, type GroupState, type GroupType } from '../../actors/group';
import { GROUPS_COUNTED, groupQuotaKey, groupQuotaStream, quotaDay, type GroupQuotaReply } from '../../actors/groupquota';
import { groupSettings } from '../../actors/apps/settings/app-settings';
import type { SideFeeds } from '../../runtime/host';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { routerOf } from '../../runtime/moleculer/router';
import { appDirectory } from '../apps/registry';

/** The seed's value: a net 10,000 new groups a day (Standard and Premium editions). */
export const DEFAULT_DAILY_NEW_GROUPS = 10_000;
/** The Moleculer service hosting the groupquota actors (quota-host.ts). */
export const GROUP_QUOTA_SERVICE = 'groupquota';

const quotaOf = (broker: ServiceBroker, app: number): number => groupSettings(appDirectory(broker).get(app)?.settings ?? {}).dailyNewGroups ?? DEFAULT_DAILY_NEW_GROUPS;
const dayOf = (broker: ServiceBroker, ms: number): string => quotaDay(ms, runtimeOf(broker).config.ops.utcOffsetMin);

/**
 * Takes a place of the day for a new group of `type`, refusing with 10036 at the quota. Answers
 * how to give it back should the create fail; undefined when nothing was counted.
 */
export async function takeDailyQuota(broker: ServiceBroker, app: number, groupId: string, type: GroupType, ctx?: Context): Promise<(() => Promise<void>) | undefined> {
  const quota = quotaOf(broker, app);
  if (type === 'Community' || quota === 0) return undefined;
  const now = Date.now();
  // The day is fixed here, so a give-back after midnight goes to the day that was counted.
  const key = groupQuotaKey(app, dayOf(broker, now));
  await routerOf(broker).call<GroupQuotaReply>(GROUP_QUOTA_SERVICE, key, { op: 'take', groupId, quota, now }, { parentCtx: ctx });
  return () =>
    routerOf(broker)
      .call(GROUP_QUOTA_SERVICE, key, { op: 'release', groupId, now: Date.now() })
      .then(
        () => undefined,
        (err: Error) => broker.logger.warn(`app ${app}: a failed create's daily group quota place was not given back (${err.message})`),
      );
}

/** The −1 of a group disbanded, into its day's count, written with the disbanding itself. */
export function disbandedFeeds(broker: ServiceBroker, state: GroupState, events: GroupEvent[]): SideFeeds | undefined {
  const gone = events.find((e) => e.type === GROUP_DESTROYED);
  if (gone?.type !== GROUP_DESTROYED || gone.data.type === 'Community' || quotaOf(broker, state.app) === 0) return undefined;
  const at = gone.data.at;
  const counted = { type: GROUPS_COUNTED, data: { delta: -1, reason: 'destroy', groupId: state.id, quota: 0, alarm: false, at } };
  return { feeds: [{ stream: groupQuotaStream(state.app, dayOf(broker, at)), events: [counted] }] };
}
