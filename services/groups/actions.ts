/** Group and membership commands of the groups service (REST and, where `user`, the SDK). */
import type { ActionSchema, Context } from 'moleculer';
import { appGroupsStream, GROUP_CODES, MUTE_FOREVER, type GroupView, type Role, type TopicView } from '../../actors/group';
import { DomainError } from '../../runtime/kind';
import { viaOf, type CommandParams } from '../commands/commands';
import type { GroupsService } from './types';
import * as b from './bodies';
import { fieldRulesOf, groupCommand, groupsOfFeed, importedAmong, joinedGroups, requireAccounts, subject, view, viewOrError, whoOf } from './context';
import { lookupActions } from './lookups';
import { checkCustomId, checkLengths, createFields, generatedId, keyValues, newMember, profilePatch, typeOf } from './convert';
import { groupInfo, memberItem, readerOf, selfInfo } from './wire';
import { beforeApply, beforeCreate, beforeInvite } from './gates';
import { atJoinLimit, refuseAtJoinLimit } from './join-limit';
import { takeDailyQuota } from './daily-quota';

type Handler<B> = (this: GroupsService, ctx: Context<CommandParams<B>>) => Promise<unknown>;

const command = <B>(name: string, summary: string, body: Record<string, unknown>, handler: Handler<B>, user = false): ActionSchema => groupCommand(name, summary, body, handler, user);

const now = () => Date.now();
const nowSec = () => Math.floor(Date.now() / 1000);

async function createGroup(this: GroupsService, ctx: Context<CommandParams<b.CreateBody>>, imported: boolean) {
  const { app, caller, body } = ctx.params;
  const type = typeOf(body.Type);
  // The SDK sends GroupId "" when the app gave none (Tencent's UIKit always does): generate one, as Tencent does.
  const customId = body.GroupId === '' ? undefined : body.GroupId;
  const owner = caller.kind === 'user' ? caller.id : (body.Owner_Account ?? '');
  const entries = body.MemberList ?? [];
  await requireAccounts(this, app, [...(owner ? [owner] : []), ...entries.map((e) => e.Member_Account)], ctx);
  if (customId !== undefined) checkCustomId(customId, type);
  const members = entries.map((e) => newMember(e, nowSec()));
  if (owner) members.unshift({ ...newMember({ Member_Account: owner }, nowSec()), role: 'Owner' });
  await refuseAtJoinLimit(this, app, members.map((m) => m.user), async () => type);
  const group = createFields(body, type, owner, nowSec());
  if (!imported) await beforeCreate(this.broker, app, viaOf(caller), caller.id, owner, body.Type, body.Name, members.map((m) => m.user));
  // The app's daily quota of new groups (10036 at it); given back if the create fails.
  const giveBack = imported ? undefined : await takeDailyQuota(this.broker, app, customId ?? '', type, ctx);
  for (let attempt = 0; ; attempt++) {
    const groupId = customId ?? generatedId(type);
    try {
      await this.group(app, groupId, { op: 'create', by: whoOf(caller), group, members, imported, now: now(), fields: fieldRulesOf(this, app) }, ctx);
      return { GroupId: groupId, Type: body.Type, HugeGroupFlag: type === 'AVChatRoom' ? 1 : 0 };
    } catch (err) {
      const clash = (err as { data?: { code?: number } }).data?.code === GROUP_CODES.ID_USED;
      if (!clash || customId !== undefined || attempt >= 4) {
        await giveBack?.();
        throw err;
      }
    }
  }
}

/** The app's groups in creation order, from its group feed (actors/group/events.ts appGroupsStream). */
async function appGroups(svc: GroupsService, app: number): Promise<{ id: string; type: string }[]> {
  return [...(await groupsOfFeed(svc.broker, appGroupsStream(app)))].map(([id, g]) => ({ id, type: g.type }));
}

function joinedList(community: boolean): Handler<b.JoinedBody> {
  return async function (this: GroupsService, ctx) {
    const { app, caller, body } = ctx.params;
    const user = subject(caller, body.Member_Account);
    const sdk = caller.kind === 'user';
    const views = await Promise.all((await joinedGroups(this, app, user)).map((id) => viewOrError(this, app, id, ctx, { id: user, admin: false })));
    const wantType = body.GroupType ? typeOf(body.GroupType) : undefined;
    const visible = (views.filter((v) => 'profile' in v) as GroupView[]).filter((v) => {
      const type = v.profile.type;
      if (sdk && (type === 'Community') !== community) return false;
      if (wantType && type !== wantType) return false;
      if (type === 'AVChatRoom' && (sdk || body.WithHugeGroups !== 1)) return false;
      // A Work group is invisible to all but its owner until its first message.
      return v.active || v.profile.owner === user || body.WithNoActiveGroups === 1;
    });
    const offset = body.Offset ?? 0;
    const page = visible.slice(offset, offset + (body.Limit ?? visible.length));
    const rules = fieldRulesOf(this, app);
    // The administrator reads every field; a user what their role in each group allows.
    const who = { id: user, admin: caller.kind === 'admin' };
    const GroupIdList = page.map((v) => ({ ...groupInfo(v, sdk, readerOf(rules, v, who)), ...(v.self ? { SelfInfo: selfInfo(v.self, v.profile.type, v.lastSeq, v.selfUnread) } : {}) }));
    return { GroupIdList, TotalCount: visible.length };
  };
}

/** The group, how the caller reads member fields, and the mutes, for the commands that show members (SDK users must be members). */
async function memberReading(svc: GroupsService, ctx: Context<CommandParams<{ GroupId: string; AppDefinedDataFilter_GroupMember?: string[] }>>, refusal: string) {
  const { app, caller, body } = ctx.params;
  const who = whoOf(caller);
  const v = await view(svc, app, body.GroupId, ctx, who);
  if (caller.kind === 'user' && !v.self) throw new DomainError(GROUP_CODES.NO_PERMISSION, refusal);
  const reader = readerOf(fieldRulesOf(svc, app), v, who, { memberKeys: body.AppDefinedDataFilter_GroupMember });
  return { v, reader, mutes: new Map(v.mutes) };
}

async function groupInfos(this: GroupsService, ctx: Context<CommandParams<b.GroupsBody>>, selfOnly: boolean) {
  const { app, caller, body } = ctx.params;
  const viewer = whoOf(caller);
  const sdk = caller.kind === 'user';
  const rules = fieldRulesOf(this, app);
  const filter = body.ResponseFilter ?? {};
  const GroupInfo = await Promise.all(
    body.GroupIdList.map(async (id) => {
      const v = await viewOrError(this, app, id, ctx, viewer);
      if (!('profile' in v)) return v;
      const reader = readerOf(rules, v, viewer, { groupKeys: filter.AppDefinedDataFilter_Group, memberKeys: filter.AppDefinedDataFilter_GroupMember });
      const base = groupInfo(v, sdk, reader);
      const mutes = new Map(v.mutes);
      if (selfOnly) return { ...base, MemberList: v.self ? [memberItem(caller.id, v.self, mutes.get(caller.id) ?? 0, v.profile.type, v.lastSeq, reader)] : [] };
      // Only members (and the administrator) see who the other members are.
      const listed = sdk && !v.self ? [] : v.members;
      return { ...base, MemberList: listed.map(([u, m]) => memberItem(u, m, mutes.get(u) ?? 0, v.profile.type, v.lastSeq, reader)) };
    }),
  );
  return { GroupInfo };
}

async function mutedAccounts(this: GroupsService, ctx: Context<CommandParams<b.TopicGroupBody>>) {
  const { app, body } = ctx.params;
  const admin = { id: '', admin: true };
  const t = nowSec();
  let mutes: [string, number][];
  if (body.TopicId) {
    const [topic] = await this.group<(TopicView | { id: string; code: number })[]>(app, body.GroupId, { op: 'viewTopics', viewer: admin, topicIds: [body.TopicId] }, ctx);
    if (!('name' in topic)) throw new DomainError(topic.code, `topic ${body.TopicId} does not exist`);
    mutes = topic.mutes ?? [];
  } else mutes = (await view(this, app, body.GroupId, ctx, admin)).mutes;
  return { MutedAccountList: mutes.filter(([, until]) => until > t).map(([u, until]) => ({ Member_Account: u, MutedUntil: until })) };
}

export const groupActions: Record<string, ActionSchema> = {
  ...lookupActions,
  create: command<b.CreateBody>('group_open_http_svc/create_group', 'Create a group', b.createBody, function (ctx) {
    return createGroup.call(this, ctx, false);
  }, true),
  importGroup: command<b.CreateBody>('group_open_http_svc/import_group', 'Import a group from another system', b.createBody, function (ctx) {
    if (typeOf(ctx.params.body.Type) === 'AVChatRoom') throw new DomainError(GROUP_CODES.NO_PERMISSION, 'AVChatRoom groups cannot be imported');
    return createGroup.call(this, ctx, true);
  }),
  info: command<b.GroupsBody>('group_open_http_svc/get_group_info', 'Profiles and members of groups', b.groupsBody, function (ctx) {
    return groupInfos.call(this, ctx, false);
  }, true),
  selfInfo: command<b.GroupsBody>('group_open_http_svc/get_group_self_member_info', 'Profiles of groups with the caller as member', b.groupsBody, function (ctx) {
    return groupInfos.call(this, ctx, true);
  }, true),
  members: command<b.MembersBody>('group_open_http_svc/get_group_member_info', 'Page the members of a group', b.membersBody, async function (ctx) {
    const { body } = ctx.params;
    const { v, reader, mutes } = await memberReading(this, ctx, 'only members list the members');
    const roles = body.MemberRoleFilter;
    const all = v.members.filter(([, m]) => !roles || roles.includes(m.role));
    const offset = body.Next ? Number(body.Next) || 0 : (body.Offset ?? 0);
    const limit = body.Limit || all.length;
    const MemberList = all.slice(offset, offset + limit).map(([u, m]) => memberItem(u, m, mutes.get(u) ?? 0, v.profile.type, v.lastSeq, reader));
    const next = offset + MemberList.length < all.length ? String(offset + MemberList.length) : '';
    return { MemberNum: v.memberNum, MemberList, Next: next };
  }, true),
  specifiedMembers: command<b.SpecifiedMembersBody>('group_open_http_svc/get_specified_group_member_info', 'Profiles of named members of a group', b.specifiedMembersBody, async function (ctx) {
    const { body } = ctx.params;
    const { v, reader, mutes } = await memberReading(this, ctx, 'only members read member profiles');
    const members = new Map(v.members);
    const named = body.Member_List_Account.filter((u) => members.has(u));
    return { MemberList: named.map((u) => memberItem(u, members.get(u)!, mutes.get(u) ?? 0, v.profile.type, v.lastSeq, reader)) };
  }, true),
  modify: command<b.ModifyBody>('group_open_http_svc/modify_group_base_info', 'Change the profile of a group', b.modifyBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    await this.group(app, body.GroupId, { op: 'modify', by: whoOf(caller), patch: profilePatch(body), now: now(), fields: fieldRulesOf(this, app) }, ctx);
    return {};
  }, true),
  addMembers: command<b.AddMembersBody>('group_open_http_svc/add_group_member', 'Invite accounts into a group', b.addMembersBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const wanted = body.MemberList.map((m) => m.Member_Account);
    const ok = await importedAmong(this, app, wanted, ctx);
    const typeOfGroup = async () => (await view(this, app, body.GroupId, ctx)).profile.type;
    const full = await atJoinLimit(this, app, wanted.filter((u) => ok.has(u)), typeOfGroup);
    const users = await beforeInvite(this.broker, app, viaOf(caller), body.GroupId, typeOfGroup, caller.id, wanted.filter((u) => ok.has(u) && !full.has(u)));
    const results = users.length === 0 ? {} : await this.group<Record<string, number>>(app, body.GroupId, { op: 'invite', by: whoOf(caller), users, silence: body.Silence === 1, now: now() }, ctx);
    return { MemberList: wanted.map((u) => ({ Member_Account: u, Result: results[u] ?? 0 })) };
  }, true),
  deleteMembers: command<b.DeleteMembersBody>('group_open_http_svc/delete_group_member', 'Remove members from a group', b.deleteMembersBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    await this.group(app, body.GroupId, { op: 'remove', by: whoOf(caller), users: body.MemberToDel_Account, silence: body.Silence === 1, now: now() }, ctx);
    return {};
  }, true),
  modifyMember: command<b.ModifyMemberBody>('group_open_http_svc/modify_group_member_info', "Change a member's role, name card, option, fields or mute", b.modifyMemberBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    checkLengths({ NameCard: body.NameCard });
    const by = whoOf(caller);
    const patch = { role: body.Role as Role | undefined, nameCard: body.NameCard, msgFlag: body.MsgFlag as never, custom: body.AppMemberDefinedData ? keyValues(body.AppMemberDefinedData) : undefined };
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    if (Object.keys(defined).length > 0) await this.group(app, body.GroupId, { op: 'modifyMember', by, user: body.Member_Account, patch: defined, now: now(), fields: fieldRulesOf(this, app) }, ctx);
    const mute = body.MuteTime ?? body.ShutUpTime;
    if (mute !== undefined) await this.group(app, body.GroupId, { op: 'mute', by, users: [body.Member_Account], seconds: mute, now: now() }, ctx);
    return {};
  }, true),
  destroy: command<b.GroupBody>('group_open_http_svc/destroy_group', 'Disband a group', b.groupBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    await this.group(app, body.GroupId, { op: 'destroy', by: whoOf(caller), now: now() }, ctx);
    return {};
  }, true),
  appGroups: command<b.AppGroupsBody>('group_open_http_svc/get_appid_group_list', 'Every group of the app, in creation order, paged by Next', b.appGroupsBody, async function (ctx) {
    const { app, body } = ctx.params;
    const type = body.GroupType ? typeOf(body.GroupType) : undefined;
    const ids = (await appGroups(this, app)).filter((g) => !type || g.type === type).map((g) => g.id);
    const start = body.Next ?? 0;
    const page = ids.slice(start, start + (body.Limit ?? 10000));
    const next = start + page.length;
    return { TotalCount: ids.length, GroupIdList: page.map((GroupId) => ({ GroupId })), Next: next < ids.length ? next : 0 };
  }),
  joinedList: command<b.JoinedBody>('group_open_http_svc/get_joined_group_list', 'Groups a user belongs to', b.joinedBody, joinedList(false), true),
  joinedCommunities: command<b.JoinedBody>('million_group_open_http_svc/get_joined_group_list', 'Communities a user belongs to', b.joinedBody, joinedList(true), true),
  roles: command<b.RoleBody>('group_open_http_svc/get_role_in_group', 'Roles of accounts in a group', b.roleBody, async function (ctx) {
    const { app, body } = ctx.params;
    const v = await view(this, app, body.GroupId, ctx, { id: '', admin: true });
    const members = new Map(v.members);
    return { UserIdList: body.User_Account.map((u) => ({ Member_Account: u, Role: members.get(u)?.role ?? 'NotMember' })) };
  }),
  forbid: command<b.ForbidBody>('group_open_http_svc/forbid_send_msg', 'Mute or unmute members of a group', b.forbidBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const seconds = Math.min(MUTE_FOREVER, body.MuteTime ?? body.ShutUpTime ?? 0);
    await this.group(app, body.GroupId, { op: 'mute', by: whoOf(caller), users: body.Members_Account, seconds, now: now(), ...(body.TopicId ? { topicId: body.TopicId } : {}) }, ctx);
    return {};
  }),
  muted: command<b.TopicGroupBody>('group_open_http_svc/get_group_muted_account', 'Muted members of a group or of one of its topics', b.topicGroupBody, mutedAccounts),
  // The legacy name Tencent still answers (reference: get_group_shutted_uin).
  shutted: command<b.TopicGroupBody>('group_open_http_svc/get_group_shutted_uin', 'Muted members of a group (legacy name)', b.topicGroupBody, mutedAccounts),
  changeOwner: command<b.ChangeOwnerBody>('group_open_http_svc/change_group_owner', 'Transfer a group to another member', b.changeOwnerBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    await this.group(app, body.GroupId, { op: 'changeOwner', by: whoOf(caller), to: body.NewOwner_Account, now: now() }, ctx);
    return {};
  }, true),
  importMembers: command<b.ImportMembersBody>('group_open_http_svc/import_group_member', 'Import members with their join time and unread count', b.importMembersBody, async function (ctx) {
    const { app, body } = ctx.params;
    const ok = await importedAmong(this, app, body.MemberList.map((m) => m.Member_Account), ctx);
    const full = await atJoinLimit(this, app, [...ok], async () => (await view(this, app, body.GroupId, ctx)).profile.type);
    const members = body.MemberList.filter((m) => ok.has(m.Member_Account) && !full.has(m.Member_Account)).map((m) => newMember(m, nowSec()));
    const results = members.length === 0 ? {} : await this.group<Record<string, number>>(app, body.GroupId, { op: 'importMembers', members, now: now(), fields: fieldRulesOf(this, app) }, ctx);
    return { MemberList: body.MemberList.map((m) => ({ Member_Account: m.Member_Account, Result: results[m.Member_Account] ?? 0 })) };
  }),
  apply: command<b.ApplyBody>('group_open_http_svc/apply_join_group', 'Apply to join a group (joins at once where the group is free to join)', b.applyBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const user = subject(caller, body.From_Account);
    await refuseAtJoinLimit(this, app, [user], async () => (await view(this, app, body.GroupId, ctx)).profile.type);
    await beforeApply(this.broker, app, viaOf(caller), body.GroupId, async () => (await view(this, app, body.GroupId, ctx)).profile.type, user);
    const reply = await this.group<{ status: string; huge: number }>(app, body.GroupId, { op: 'apply', user, message: body.ApplyMsg ?? '', now: now() }, ctx);
    return { JoinedStatus: reply.status, HugeGroupFlag: reply.huge };
  }, true),
  handleApplication: command<b.HandleBody>('group_open_http_svc/handle_apply_join_group', 'Approve or refuse an application', b.handleBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    if (body.HandleMsg === 'Agree') await refuseAtJoinLimit(this, app, [body.Applicant_Account], async () => (await view(this, app, body.GroupId, ctx)).profile.type);
    await this.group(app, body.GroupId, { op: 'handleApplication', by: whoOf(caller), applicant: body.Applicant_Account, approve: body.HandleMsg === 'Agree', now: now() }, ctx);
    return {};
  }, true),
  quit: command<b.QuitBody>('group_open_http_svc/quit_group', 'Leave a group', b.quitBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    await this.group(app, body.GroupId, { op: 'quit', user: subject(caller, body.Member_Account), now: now() }, ctx);
    return {};
  }, true),
};
