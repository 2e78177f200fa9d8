/**
 * The app backend's after-callbacks for groups (docs/webhooks.md): outbox items written in the
 * same transaction as the group's events (afterFeeds), delivered in order per group. A
 * disbanded group no longer has a profile in its state, so the last one seen is remembered per
 * group for that report.
 */
import type { ServiceBroker } from 'moleculer';
import type { SideFeeds } from '../../actors/host';
import {
  GROUP_CREATED,
  GROUP_DESTROYED,
  MEMBER_CHANGED,
  MEMBERS_JOINED,
  MEMBERS_LEFT,
  MESSAGE_SENT,
  MESSAGES_RECALLED,
  OWNER_CHANGED,
  PROFILE_CHANGED,
  type GroupEvent,
  type GroupState,
  type MemberPatch,
  type ProfilePatch,
} from '../../actors/group';
import { afterFeeds, type AfterParams } from '../webhooks.service';

interface Known {
  type: string;
  name: string;
  owner: string;
}

const members = (users: string[]) => users.map((Member_Account) => ({ Member_Account }));

export class GroupCallbacks {
  private readonly known = new Map<string, Known>();

  constructor(private readonly broker: ServiceBroker) {}

  /** The after-callbacks the events call for, as side feeds of their append. */
  after(state: GroupState, events: GroupEvent[]): SideFeeds | undefined {
    const { app, id: GroupId } = state;
    // A group disbanded before this node saw it still gets its report, with what is left.
    const last = state.profile ? { type: state.profile.type, name: state.profile.name, owner: state.profile.owner } : (this.known.get(`${app}:${GroupId}`) ?? { type: '', name: '', owner: '' });
    const Type = last.type;
    const reports: AfterParams[] = [];
    const queue = (command: string, body: Record<string, unknown>) => reports.push({ app, command, body: { GroupId, Type, ...body }, orderKey: `group:${GroupId}` });
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
          queue('Group.CallbackAfterGroupDestroyed', { Owner_Account: last.owner, Name: last.name, MemberList: members(e.data.members) });
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
      }
    }
    if (state.profile) this.known.set(`${app}:${GroupId}`, last);
    else this.known.delete(`${app}:${GroupId}`);
    return reports.length > 0 ? afterFeeds(this.broker, reports) : undefined;
  }
}
