/**
 * An app's net count of new groups on one day, and the seed's daily quota on it ("Use Limits":
 * created minus disbanded, Communities aside). The mailbox takes one create at a time, so the
 * quota holds exactly however many nodes create groups at once.
 */
import { DomainError, type Decision } from '../../runtime/kind';
import { GROUPS_COUNTED, type GroupQuotaEvent } from './events';
import type { GroupQuotaState } from './state';

/**
 * The refusal at the quota. Tencent's references give no code for it; 10036 is theirs for the
 * nearest limit, the number of (live-room) groups an app may create (docs/groups.md).
 */
export const DAILY_QUOTA_CODE = 10036;
/** Tencent's alarm: the day's net count passes 70% of the quota. */
export const ALARM_PERCENT = 70;

export type GroupQuotaCommand =
  /** A create_group takes a place, or is refused at the quota (0 = no quota). */
  | { op: 'take'; groupId: string; quota: number; now: number }
  /** A create that took a place and then failed gives it back. */
  | { op: 'release'; groupId: string; now: number }
  | { op: 'view' };

export interface GroupQuotaReply {
  /** The day's net count after the command. */
  used: number;
}

/** Whether `used` is past the alarm threshold of `quota` (70%, exactly, in integers). */
export const pastAlarm = (used: number, quota: number): boolean => quota > 0 && used * 100 > quota * ALARM_PERCENT;

export function decide(s: GroupQuotaState, c: GroupQuotaCommand): Decision<GroupQuotaEvent, GroupQuotaReply> {
  switch (c.op) {
    case 'take': {
      if (c.quota > 0 && s.used >= c.quota) throw new DomainError(DAILY_QUOTA_CODE, `the app created its ${c.quota} new groups of the day (net of those disbanded)`);
      const used = s.used + 1;
      // Once per crossing: a day that falls back under the threshold (groups disbanded) alarms again when it passes it.
      const alarm = pastAlarm(used, c.quota) && !pastAlarm(s.used, c.quota);
      return { events: [{ type: GROUPS_COUNTED, data: { delta: 1, reason: 'create', groupId: c.groupId, quota: c.quota, alarm, at: c.now } }], reply: { used } };
    }
    case 'release':
      return { events: [{ type: GROUPS_COUNTED, data: { delta: -1, reason: 'release', groupId: c.groupId, quota: 0, alarm: false, at: c.now } }], reply: { used: s.used - 1 } };
    case 'view':
      return { events: [], reply: { used: s.used } };
  }
}
