/**
 * The groupquota service: hosts the daily group quota actors (actors/groupquota; daily-quota.ts
 * says what they count). The groups service creates it on every node it runs on, so wherever
 * groups are created their quota is hosted too, with no service of its own to deploy or forget.
 * A create that takes the count past 70% of the quota writes the app's
 * Group.CallbackOnDailyGroupQuotaAlarm ({QuotaUsed, Quota, EventTime}) into the webhooks
 * outbox in the same transaction, as the groups write their after-callbacks.
 */
import type { ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { groupQuotaKind, type GroupQuotaCommand, type GroupQuotaEvent, type GroupQuotaReply, type GroupQuotaState } from '../../actors/groupquota';
import { splitAppKey } from '../../runtime/kind';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import { afterFeeds } from '../webhooks/client';
import { GROUP_QUOTA_SERVICE } from './daily-quota';

type QuotaService = ActorHostService<GroupQuotaState, GroupQuotaCommand, GroupQuotaEvent, GroupQuotaReply>;

export const groupQuotaService: ServiceSchema<ServiceSettingSchema, QuotaService> = {
  name: GROUP_QUOTA_SERVICE,
  mixins: [actorHostMixin(groupQuotaKind)],
  methods: {
    sideFeeds(this: QuotaService, key: string, events: GroupQuotaEvent[], _first: number, state: GroupQuotaState) {
      const alarm = events.find((e) => e.data.alarm);
      if (!alarm) return undefined;
      const [app] = splitAppKey(key);
      const body = { QuotaUsed: state.used, Quota: alarm.data.quota, EventTime: alarm.data.at };
      return afterFeeds(this.broker, [{ app, command: 'Group.CallbackOnDailyGroupQuotaAlarm', body, orderKey: GROUP_QUOTA_SERVICE }]);
    },
  },
};
