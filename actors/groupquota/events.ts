/** Events of an app's daily count of new groups (schemas/groupquota/*.avsc). */
export const GROUPS_COUNTED = 'parley.groupquota.GroupsCounted';

export type CountReason = 'create' | 'release' | 'destroy';

export interface GroupsCountedData {
  /** +1 a create, −1 a release or a disbanding. */
  delta: number;
  reason: CountReason;
  groupId: string;
  /** The quota the create was judged by; 0 where nothing was judged. */
  quota: number;
  /** The create took the count past 70% of the quota (the alarm callback goes with it). */
  alarm: boolean;
  at: number;
}

export type GroupQuotaEvent = { type: typeof GROUPS_COUNTED; data: GroupsCountedData };
