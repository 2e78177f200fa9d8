import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type GroupQuotaCommand, type GroupQuotaReply } from './decide';
import type { GroupQuotaEvent } from './events';
import { evolve, initialState, type GroupQuotaState } from './state';

export * from './decide';
export * from './events';
export type { GroupQuotaState } from './state';

/**
 * One app's count of new groups on one day: key `<sdkAppId>:<YYYYMMDD>`, the day in the
 * statistics' time zone. A day per key keeps each stream to one day's creates and disbandings,
 * and a new day starts from nothing without a reset. Its own actor (not the app registry, which
 * every node reads and every app shares), so only create_group calls it. Groups disbanding write
 * into its stream in their own transaction (a feed), so a disbanding costs no call at all.
 */
export const groupQuotaKind: ActorKind<GroupQuotaState, GroupQuotaCommand, GroupQuotaEvent, GroupQuotaReply> = {
  name: 'groupquota',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<GroupQuotaState>('groupquota.v1'),
  sharedStream: true,
};

/** `YYYYMMDD` of an instant in a zone `offsetMin` minutes east of UTC (PARLEY_UTC_OFFSET_MIN, as the statistics count days). */
export const quotaDay = (ms: number, offsetMin: number): string => new Date(ms + offsetMin * 60_000).toISOString().slice(0, 10).replace(/-/g, '');
export const groupQuotaKey = (app: number, day: string) => `${app}:${day}`;
export const groupQuotaStream = (app: number, day: string) => `${groupQuotaKind.name}:${groupQuotaKey(app, day)}`;
