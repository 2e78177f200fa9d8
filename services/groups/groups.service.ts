/**
 * groups — groups of every type, their members and their messages. Hosts the group actor
 * (actors/group, key `<app>:<groupId>`); users' joined-group lists are feeds the groups write
 * (`joined:<app>:<user>`). Tencent commands of group_open_http_svc (REST administrators, and
 * SDK users where marked `user`): create_group, get_group_info, get_group_self_member_info,
 * get_group_member_info, modify_group_base_info, add_group_member, delete_group_member,
 * modify_group_member_info, destroy_group, get_joined_group_list, get_role_in_group,
 * forbid_send_msg, get_group_muted_account, send_group_msg, send_group_system_notification,
 * change_group_owner, group_msg_recall, group_msg_get_simple, group_msg_get, msg_read_report,
 * import_group, import_group_msg, import_group_member, set_unread_msg_num,
 * delete_group_msg_by_sender, get_online_member_num, apply_join_group, quit_group,
 * handle_apply_join_group, handle_invite_join_permission_group, get_pendency,
 * get_group_public_info, get_specified_group_member_info, get_appid_group_list,
 * get_group_shutted_uin (legacy); Community topics (services/groups/topics.ts: create_topic,
 * get_topic, modify_topic, destroy_topic, import_topic, and TopicId on the message commands)
 * and permission groups (services/groups/permission-groups.ts), modify_group_msg and clear_group_msg
 * (services/groups/message-edits.ts), live-room bans and send_broadcast_msg (services/groups/bans.ts), the live room's online members (get_members, check_members: services/groups/live-members.ts; member marks, modify_user_info: live-marks.ts; admins, modify_admin and get_admin_list: live-admins.ts), group attributes (services/groups/attributes.ts), read receipts (services/groups/receipts.ts), counters (services/groups/counters.ts) and the recalls a device missed offline, batch_get_group_notify (services/groups/recall-notices.ts). The SDK's
 * commands about a Community are also served under million_group_open_http_svc (its own
 * get_joined_group_list and get_pendency there). Member groups push through connector.pushMany
 * (services/groups/delivery.ts), live rooms once per gateway node (services/groups/live.ts).
 * Hosts beside it the daily group quota (services/groups/daily-quota.ts, quota-host.ts).
 * Writes the app's group after-callbacks with its events. Emits (after the append, from the
 * owner node): group.message.sent, group.member.joined, group.member.left, group.member.changed
 * (services/events.ts).
 */
import { splitAppKey } from '../../runtime/kind';
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { GROUP_DESTROYED, groupKind, MEMBER_CHANGED, MEMBERS_JOINED, MEMBERS_LEFT, MESSAGE_SENT, type GroupCommand, type GroupEvent, type GroupReply, type GroupState, type GroupType, type GroupView, type MemberPatch, type SendResult } from '../../actors/group';
import { groupSettings } from '../../actors/apps/settings/app-settings';
import { actorHostMixin } from '../../runtime/moleculer/host.mixin';
import { appDirectory } from '../apps/registry';
import { groupReports } from './callbacks';
import { groupPushFeeds, joinFeeds } from '../push/client';
import { FrequencyGate } from './frequency';
import { deliverAll } from './outgoing';
import { prepareSend, settleRooms } from './rooms';
import { groupActions } from './actions';
import { messageActions } from './message-actions';
import { topicActions } from './topics';
import { permissionGroupActions } from './permission-groups';
import { attributeActions } from './attributes';
import { receiptActions } from './receipts';
import { counterActions } from './counters';
import { recallNoticeActions } from './recall-notices';
import { conversationActions } from './conversations';
import { reactionActions } from './reactions';
import { messageEditActions } from './message-edits';
import { banActions } from './bans';
import { liveMemberActions } from './live-members';
import { liveMarkActions } from './live-marks';
import { liveAdminActions } from './live-admins';
import { disbandedFeeds, GROUP_QUOTA_SERVICE } from './daily-quota';
import { groupQuotaService } from './quota-host';
import { viaOf, type Caller, type Via } from '../commands/commands';
import type { GroupsService } from './types';
import { BUS, type GroupDestroyed, type GroupJoined, type GroupLeft, type GroupMemberChanged, type GroupSent } from '../events';


const groups: ServiceSchema<ServiceSettingSchema, GroupsService> = {
  name: 'groups',
  mixins: [actorHostMixin(groupKind)],
  actions: {
    ...groupActions,
    ...messageActions,
    ...topicActions,
    ...permissionGroupActions,
    ...attributeActions,
    ...receiptActions,
    ...counterActions,
    ...recallNoticeActions,
    ...conversationActions,
    ...reactionActions,
    ...messageEditActions,
    ...banActions,
    ...liveMemberActions,
    ...liveMarkActions,
    ...liveAdminActions,
  },
  methods: {
    /** After the durable append: stored messages, membership changes and the group's end, for subscribers. */
    afterAppend(this: GroupsService, _key: string, events: GroupEvent[], _first: number, state: GroupState) {
      const { app, id: groupId } = state;
      // A disbanded group has no profile left: its end is told before the check below.
      for (const e of events) if (e.type === GROUP_DESTROYED) this.broker.emit(BUS.GROUP_DESTROYED, { app, groupId, at: e.data.at, groupType: e.data.type as GroupType, members: e.data.members, by: e.data.by } satisfies GroupDestroyed);
      const groupType = state.profile?.type;
      if (!groupType) return;
      for (const e of events) {
        if (e.type === MESSAGE_SENT) this.broker.emit(BUS.GROUP_SENT, { app, groupId, groupType, message: e.data } satisfies GroupSent);
        else if (e.type === MEMBERS_JOINED) this.broker.emit(BUS.GROUP_JOINED, { app, groupId, groupType, users: e.data.members.map((m) => m.user), by: e.data.by, how: e.data.how, at: e.data.at } satisfies GroupJoined);
        else if (e.type === MEMBERS_LEFT) this.broker.emit(BUS.GROUP_LEFT, { app, groupId, groupType, ...e.data } satisfies GroupLeft);
        else if (e.type === MEMBER_CHANGED) this.broker.emit(BUS.GROUP_MEMBER_CHANGED, { app, groupId, groupType, user: e.data.user, patch: JSON.parse(e.data.patch) as MemberPatch, by: e.data.by, at: e.data.at } satisfies GroupMemberChanged);
      }
    },
    /** The app's after-callbacks, written to the outbox in the group's own transaction; a disbanding's −1 in the daily group quota (daily-quota.ts). */
    sideFeeds(this: GroupsService, _key: string, events: GroupEvent[], _first: number, state: GroupState, command: GroupCommand & { via?: Via }) {
      return joinFeeds(joinFeeds(groupReports(this.broker, state, events, command.via), groupPushFeeds(this.broker, state, events)), disbandedFeeds(this.broker, state, events));
    },
    group(this: GroupsService, app: number, groupId: string, command: GroupCommand, ctx?: Context) {
      // The caller's platform and address ride along for the after-callbacks the command causes.
      const caller = (ctx?.params as { caller?: Caller } | undefined)?.caller;
      const withVia = caller ? { ...command, via: viaOf(caller) } : command;
      return this.actorCall(`${app}:${groupId}`, withVia, ctx) as never;
    },
  },
  started(this: GroupsService) {
    // The owner node's side of every group command, whichever way it arrives (the mixin's
    // dispatch action, or the router's direct call on the owning node): frequency control
    // before the command, delivery of what it produced after the append, and only the result
    // leaves the node. Runs after the mixin's started(), which created the host.
    const host = this.actorHost;
    const execute = host.execute.bind(host);
    host.execute = async (key: string, command: GroupCommand) => {
      if (command.op === 'send' && !this.gate.admit(key, command.message.priority, command.now)) {
        const dropped: SendResult = { seq: 0, time: Math.floor(command.now / 1000), duplicate: false, dropped: 'frequency limit' };
        return { reply: dropped as unknown as GroupReply, version: 0 };
      }
      // Live rooms (AVChatRoom): the send's live sequence and room check before, entries and exits before the answer.
      command = await prepareSend(this.broker, key, command, async () => ((await execute(key, { op: 'view' })).reply.result as GroupView).profile.type);
      const { reply, version } = await execute(key, command);
      if (reply.out && reply.out.length > 0 && reply.type) {
        await settleRooms(this.broker, key, reply.out, (command as { via?: Via }).via);
        const [app, groupId] = splitAppKey(key);
        void deliverAll(this.broker, app, groupId, reply.type, reply.out).catch((err) => this.logger.warn(`delivery in ${key} failed:`, err));
      }
      return { reply: reply.result as GroupReply, version };
    };
  },
  created(this: GroupsService) {
    // The daily group quota's actors live wherever groups do (services/groups/quota-host.ts).
    if (!this.broker.getLocalService(GROUP_QUOTA_SERVICE)) this.broker.createService(groupQuotaService as never);
    this.gate = new FrequencyGate((key) => groupSettings(appDirectory(this.broker).get(splitAppKey(key)[0])?.settings ?? {}).messagesPerSecond);
  },
};

export default groups;
