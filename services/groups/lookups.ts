/**
 * Group commands that read across groups or from outside one: the join requests and invitations
 * waiting for the caller (get_pendency, the SDK's getGroupApplicationList; an invitation is
 * handled with handle_invite_join_permission_group) and a group's public profile
 * (get_group_public_info, the SDK's searchGroupByID).
 */
import type { ActionSchema, Context } from 'moleculer';
import { GROUP_CODES, liveAdminStream, MAX_PENDING, type GroupView } from '../../actors/group';
import type { CommandParams } from '../commands/commands';
import type { GroupsService } from './types';
import { fieldRulesOf, groupCommand, groupsOfFeed, joinedGroups, subject, view, viewOrError, whoOf } from './context';
import { senderProfile } from './senders';
import { groupInfo } from './wire';
import { refuseAtJoinLimit } from './join-limit';

type Handler<B> = (this: GroupsService, ctx: Context<CommandParams<B>>) => Promise<unknown>;

const command = <B>(name: string, summary: string, body: Record<string, unknown>, handler: Handler<B>, user = false): ActionSchema => groupCommand(name, summary, body, handler, user);

export interface PendencyBody {
  Handle_Account?: string;
  StartTime?: number;
  Limit?: number;
  Type?: string;
}
const pendencyBody = {
  Handle_Account: { type: 'string', optional: true, max: 64 },
  StartTime: { type: 'number', integer: true, min: 0, optional: true },
  Limit: { type: 'number', integer: true, min: 0, max: 1000, optional: true },
  Type: { type: 'string', optional: true, max: 32 },
};

export interface PublicInfoBody {
  GroupIdList: string[];
}
const publicInfoBody = { GroupIdList: { type: 'array', items: { type: 'string', min: 1, max: 128 }, min: 1, max: 50 }, ResponseFilter: { type: 'object', optional: true } };

/** PendencyType of a request to join, and of a member's invitation waiting for an owner or admin (actors/group/invitations.ts). */
const APPLY_TO_JOIN = 0;
const INVITED = 2;

/**
 * The requests to join that the caller may handle: those of every group they own or administer,
 * read from the groups in their joined-group feed and the live rooms they were named admin of. Each group keeps at most 50 (MAX_PENDING), and
 * a user's list shows at most the 50 newest (the seed's cap per user), oldest first, in one page
 * (NextStartTime 0). The SDK asks group_open_http_svc for ordinary groups, then
 * million_group_open_http_svc for Communities (its `type` never reaches the wire).
 */
function pendency(communities: boolean): Handler<PendencyBody> {
  return async function (this: GroupsService, ctx) {
    const { app, caller, body } = ctx.params;
    const user = subject(caller, body.Handle_Account);
    const community = communities || body.Type === 'Community';
    const who = { id: user, admin: false };
    // Live rooms (never Communities) keep no plain members: their named admins are found in a feed of their own.
    const ids = new Set(await joinedGroups(this, app, user));
    if (!community) for (const id of (await groupsOfFeed(this.broker, liveAdminStream(app, user))).keys()) ids.add(id);
    const views = await Promise.all([...ids].map((id) => viewOrError(this, app, id, ctx, who)));
    const managed = (views.filter((v) => 'profile' in v) as GroupView[]).filter((v) => (v.profile.type === 'Community') === community && v.self && v.self.role !== 'Member');
    const requests = [
      ...managed.flatMap((v) => v.pending.map(([applicant, p]) => ({ v, from: applicant, to: user, type: APPLY_TO_JOIN, message: p.message, at: p.at }))),
      ...managed.flatMap((v) => v.invited.map(([invitee, i]) => ({ v, from: i.inviter, to: invitee, type: INVITED, message: '', at: i.at }))),
    ]
      .sort((a, b) => a.at - b.at)
      .slice(-MAX_PENDING);
    const PendencyList = await Promise.all(
      requests.map(async ({ v, from, to, type, message, at }) => ({
        GroupId: v.id,
        GroupName: v.profile.name,
        From_Account: from,
        FromUserNickName: (await senderProfile(this, app, from, ctx)).nick,
        To_Account: to,
        AddTime: Math.floor(at / 1000),
        PendencyType: type,
        Handled: 0,
        HandleResult: 0,
        ApplyInviteMsg: message,
        Authentication: '',
      })),
    );
    return { PendencyList, NextStartTime: 0, RecentReadTime: 0, UnReadPendencyCount: PendencyList.length };
  };
}

/**
 * A group's public profile by id. The seed's "Differences in Joining a Group": Work groups cannot
 * be found by id (10007 for anyone but their members and the administrator); every other type can.
 * Custom fields show where their read level is Anyone.
 */
async function publicInfo(this: GroupsService, ctx: Context<CommandParams<PublicInfoBody>>) {
  const { app, caller, body } = ctx.params;
  const list = body.GroupIdList;
  const who = whoOf(caller);
  const rules = fieldRulesOf(this, app);
  const GroupInfo = await Promise.all(
    list.map(async (id) => {
      const v = await viewOrError(this, app, id, ctx, who);
      if (!('profile' in v)) return v;
      const p = v.profile;
      if (p.type === 'Work' && !who.admin && !v.self) return { GroupId: id, ErrorCode: GROUP_CODES.NO_PERMISSION, ErrorInfo: 'work groups cannot be searched' };
      // The profile a member would see, read as an outsider, without the fields search leaves out.
      const { InfoSeq: _seq, MuteAllMember: _mute, ShutUpAllMember: _shutUp, ...found } = groupInfo(v, caller.kind === 'user', { rules, actor: 'NotMember', id: '' });
      return found;
    }),
  );
  return { GroupInfo };
}

export interface HandleInvitationBody {
  GroupId: string;
  Applicant_Account?: string;
  Invited_Account: string;
  HandleMsg: string;
}
const handleInvitationBody = {
  GroupId: { type: 'string', min: 1, max: 128 },
  Applicant_Account: { type: 'string', optional: true, max: 64 },
  Invited_Account: { type: 'string', min: 1, max: 64 },
  HandleMsg: { type: 'enum', values: ['Agree', 'Reject'] },
  ApprovalMsg: { type: 'string', optional: true, max: 300 },
};

/** The SDK's handleGroupApplication for an application of type 2: approve or refuse a member's invitation. */
async function handleInvitation(this: GroupsService, ctx: Context<CommandParams<HandleInvitationBody>>) {
  const { app, caller, body } = ctx.params;
  if (body.HandleMsg === 'Agree') await refuseAtJoinLimit(this, app, [body.Invited_Account], async () => (await view(this, app, body.GroupId, ctx)).profile.type);
  await this.group(app, body.GroupId, { op: 'handleInvitation', by: whoOf(caller), invitee: body.Invited_Account, approve: body.HandleMsg === 'Agree', now: Date.now() }, ctx);
  return {};
}

export const lookupActions: Record<string, ActionSchema> = {
  handleInvitation: command<HandleInvitationBody>('group_open_http_svc/handle_invite_join_permission_group', "Approve or refuse a member's invitation", handleInvitationBody, handleInvitation, true),
  pendency: command<PendencyBody>('group_open_http_svc/get_pendency', 'Requests to join the groups the caller manages', pendencyBody, pendency(false), true),
  communityPendency: command<PendencyBody>('million_group_open_http_svc/get_pendency', 'Requests to join the Communities the caller manages', pendencyBody, pendency(true), true),
  publicInfo: command<PublicInfoBody>('group_open_http_svc/get_group_public_info', 'Public profiles of groups, by id', publicInfoBody, publicInfo, true),
};
