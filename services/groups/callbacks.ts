/**
 * The app backend's after-callbacks for groups (docs/webhooks.md): outbox items written in the
 * same transaction as the group's events (afterFeeds), delivered in order per group.
 */
import type { ServiceBroker } from 'moleculer';
import type { SideFeeds } from '../../runtime/host';
import {
  ATTRIBUTES_CHANGED,
  GROUP_CREATED,
  GROUP_DESTROYED,
  MEMBER_CHANGED,
  MEMBERS_JOINED,
  MEMBERS_LEFT,
  MESSAGE_SENT,
  MESSAGES_RECALLED,
  OWNER_CHANGED,
  PROFILE_CHANGED,
  TOPIC_CHANGED,
  TOPIC_CREATED,
  TOPIC_DESTROYED,
  TOPIC_MESSAGES_RECALLED,
  type GroupEvent,
  type GroupState,
  type MemberPatch,
  type ProfilePatch,
  type TopicPatch,
} from '../../actors/group';
import { viaParams, type Via } from '../commands/commands';
import { afterFeeds, wantsCallback, type AfterParams } from '../webhooks/client';

const members = (users: string[]) => users.map((Member_Account) => ({ Member_Account }));

/** Group.CallbackAfterGroupAttrChanged's OptionType, by the event's op (actors/group/attribute-state.ts ATTRIBUTE_OPS). */
const ATTRIBUTE_OPTION = ['', 'set', 'modify', 'clear', 'delete'];

/** The after-callbacks the events call for, as side feeds of their append; nothing when the app has no callback URL. */
export function groupReports(broker: ServiceBroker, state: GroupState, events: GroupEvent[], via?: Via): SideFeeds | undefined {
  const { app, id: GroupId } = state;
  if (!wantsCallback(broker, app)) return undefined;
  // Disbanding leaves no profile in the state: its event carries what the report names.
  const destroyed = events.find((e) => e.type === GROUP_DESTROYED);
  const Type = state.profile?.type ?? (destroyed?.type === GROUP_DESTROYED ? destroyed.data.type : '');
  const reports: AfterParams[] = [];
  const queue = (command: string, body: Record<string, unknown>) => reports.push({ app, command, body: { GroupId, Type, ...body }, orderKey: `group:${GroupId}`, ...viaParams(via) });
  for (const e of events) {
    switch (e.type) {
      case GROUP_CREATED: {
        const created = events.find((x) => x.type === MEMBERS_JOINED);
        const list = created?.type === MEMBERS_JOINED ? created.data.members.map((m) => m.user) : [e.data.owner];
        const custom = Object.entries(JSON.parse(e.data.custom || '{}') as Record<string, string>).map(([Key, Value]) => ({ Key, Value }));
        queue('Group.CallbackAfterCreateGroup', { Operator_Account: e.data.by, Owner_Account: e.data.owner, Name: e.data.name, MemberList: members(list), UserDefinedDataList: custom });
        break;
      }
      case MEMBERS_JOINED:
        if (e.data.how === 'create') break;
        queue('Group.CallbackAfterNewMemberJoin', { JoinType: e.data.how === 'apply' || e.data.how === 'free' ? 'Apply' : 'Invited', Operator_Account: e.data.by, NewMemberList: members(e.data.members.map((m) => m.user)) });
        if (state.profile && state.members.size >= state.profile.maxMembers) queue('Group.CallbackAfterGroupFull', {});
        break;
      case MEMBERS_LEFT:
        queue('Group.CallbackAfterMemberExit', { ExitType: e.data.how === 'kicked' ? 'Kicked' : 'Quit', Operator_Account: e.data.by, ExitMemberList: members(e.data.users) });
        break;
      case PROFILE_CHANGED: {
        const patch = JSON.parse(e.data.patch) as ProfilePatch;
        const changed = { Name: patch.name, Introduction: patch.introduction, Notification: patch.notification, FaceUrl: patch.faceUrl };
        if (Object.values(changed).some((v) => v !== undefined)) queue('Group.CallbackAfterGroupInfoChanged', { Operator_Account: e.data.by, ...changed });
        break;
      }
      case MEMBER_CHANGED: {
        // Tencent reports a member's role and name card only (not message option, read mark or custom fields).
        const patch = JSON.parse(e.data.patch) as MemberPatch;
        const changed = { Role: patch.role, NameCard: patch.nameCard };
        if (changed.Role !== undefined || changed.NameCard !== undefined) queue('Group.CallbackAfterMemberFieldChanged', { Operator_Account: e.data.by, Modified_Account: e.data.user, ...changed });
        break;
      }
      case OWNER_CHANGED:
        queue('Group.CallbackAfterChangeGroupOwner', { Operator_Account: e.data.by, OldOwner_Account: e.data.from, NewOwner_Account: e.data.to });
        break;
      case GROUP_DESTROYED:
        queue('Group.CallbackAfterGroupDestroyed', { Owner_Account: e.data.owner, Name: e.data.name, MemberList: members(e.data.members) });
        break;
      case MESSAGE_SENT: {
        const m = e.data;
        queue('Group.CallbackAfterSendMsg', {
          From_Account: m.from,
          Operator_Account: m.from,
          Random: m.random,
          MsgSeq: m.seq,
          MsgTime: m.time,
          OnlineOnlyFlag: 0,
          MsgBody: JSON.parse(m.body) as unknown,
          CloudCustomData: m.cloudCustomData,
          GroupAtInfo: m.atAll ? [{ GroupAtAllFlag: 1 }] : m.atUsers.map((u) => ({ GroupAtAllFlag: 0, GroupAt_Account: u })),
        });
        break;
      }
      case MESSAGES_RECALLED:
        queue('Group.CallbackAfterRecallMsg', { Operator_Account: e.data.by, MsgSeqList: e.data.seqs.map((MsgSeq) => ({ MsgSeq })), TopicId: '' });
        break;
      case TOPIC_MESSAGES_RECALLED:
        queue('Group.CallbackAfterRecallMsg', { Operator_Account: e.data.by, MsgSeqList: e.data.seqs.map((MsgSeq) => ({ MsgSeq })), TopicId: e.data.topicId });
        break;
      case ATTRIBUTES_CHANGED:
        queue('Group.CallbackAfterGroupAttrChanged', {
          Operator_Account: e.data.by,
          OptionType: ATTRIBUTE_OPTION[e.data.op] ?? '',
          GroupAttr: e.data.keys.map((key, n) => ({ key, value: e.data.values[n] ?? '' })),
          EventTime: e.data.at,
        });
        break;
      case TOPIC_CREATED:
        queue('Group.CallbackAfterCreateTopic', { TopicId: e.data.topicId, Operator_Account: e.data.by, TopicName: e.data.name, FaceUrl: e.data.faceUrl, Introduction: e.data.introduction, Notification: e.data.notification, CustomString: e.data.customString, EventTime: e.data.at });
        break;
      case TOPIC_CHANGED: {
        const p = JSON.parse(e.data.patch) as TopicPatch;
        const changed = { TopicName: p.name, FaceUrl: p.faceUrl, Introduction: p.introduction, Notification: p.notification, CustomString: p.customString };
        if (Object.values(changed).some((v) => v !== undefined)) queue('Group.CallbackAfterTopicInfoChanged', { TopicId: e.data.topicId, Operator_Account: e.data.by, ...changed, EventTime: e.data.at });
        break;
      }
    }
  }
  // One report per command for the topics it destroyed, as Tencent lists them (TopicIdList).
  const destroyedTopics = events.filter((e) => e.type === TOPIC_DESTROYED).map((e) => (e.type === TOPIC_DESTROYED ? e.data.topicId : ''));
  if (destroyedTopics.length > 0) queue('Group.CallbackAfterTopicDestroyed', { TopicIdList: destroyedTopics });
  return reports.length > 0 ? afterFeeds(broker, reports) : undefined;
}
