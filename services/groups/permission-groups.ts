/**
 * Permission groups of a Community over REST (group_open_http_svc): create, modify, destroy and
 * get permission groups; add, delete and get their members; add, set, delete and get their
 * topic permissions. The rules are the community actor's (actors/group/permission-groups.ts).
 * Field names follow Tencent's documentation where it was found (docs/groups.md lists the
 * ones that are our reading).
 */
import { randomBytes } from 'node:crypto';
import type { ActionSchema, Context } from 'moleculer';
import { GROUP_CODES, type PermissionGroupView } from '../../actors/group';
import { DomainError } from '../../runtime/kind';
import type { CommandParams } from '../commands/commands';
import { groupCommand, whoOf } from './context';
import type { GroupsService } from './types';

type Handler<B> = (this: GroupsService, ctx: Context<CommandParams<B>>) => Promise<unknown>;
const command = <B>(name: string, summary: string, body: Record<string, unknown>, handler: Handler<B>): ActionSchema => groupCommand(`group_open_http_svc/${name}`, summary, body, handler);

const groupId = { type: 'string', min: 1, max: 128 };
const pgId = { type: 'string', min: 1, max: 128 };
const text = (max: number) => ({ type: 'string', max, optional: true });
const accounts = { type: 'array', min: 1, max: 500, items: { type: 'multi', rules: [{ type: 'string', min: 1, max: 64 }, { type: 'object', props: { Member_Account: { type: 'string', min: 1, max: 64 } } }] } };
const topicMasks = { type: 'array', min: 1, max: 200, items: { type: 'object', props: { TopicId: { type: 'string', min: 1, max: 96 }, Permission: { type: 'any' } } } };

interface PgBody {
  GroupId: string;
  PermissionGroupId: string;
  PermissionGroupName?: string;
  Permission?: unknown;
  CustomString?: string;
  PermissionGroupIdList?: string[];
  MemberList?: (string | { Member_Account: string })[];
  TopicPermission?: { TopicId: string; Permission?: unknown }[];
  TopicIdList?: string[];
  Limit?: number;
  Next?: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const generatedId = () => `@PMG#_@PMG#${[...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
const usersOf = (list: PgBody['MemberList']) => (list ?? []).map((m) => (typeof m === 'string' ? m : m.Member_Account));
const now = () => Date.now();

async function viewOne(svc: GroupsService, ctx: Context<CommandParams<PgBody>>): Promise<PermissionGroupView> {
  const { app, caller, body } = ctx.params;
  const [found] = await svc.group<(PermissionGroupView | { id: string; code: number })[]>(app, body.GroupId, { op: 'viewPermissionGroups', viewer: whoOf(caller), ids: [body.PermissionGroupId] }, ctx);
  if (!('name' in found)) throw new DomainError(GROUP_CODES.NOT_FOUND, `permission group ${body.PermissionGroupId} does not exist`);
  return found;
}

function topicCommand(mode: 'add' | 'modify' | 'delete'): Handler<PgBody> {
  return async function (ctx) {
    const { app, caller, body } = ctx.params;
    const topics = mode === 'delete'
      ? Object.fromEntries((body.TopicIdList ?? []).map((id) => [id, '']))
      : Object.fromEntries((body.TopicPermission ?? []).map((t) => [t.TopicId, String(t.Permission)]));
    const results = await this.group<Record<string, number>>(app, body.GroupId, { op: 'topicPermissions', by: whoOf(caller), id: body.PermissionGroupId, topics, mode, now: now() }, ctx);
    return { TopicResultList: Object.entries(results).map(([TopicId, ErrorCode]) => ({ TopicId, ErrorCode, ErrorInfo: ErrorCode === 0 ? '' : 'not applied' })) };
  };
}

function memberCommand(add: boolean): Handler<PgBody> {
  return async function (ctx) {
    const { app, caller, body } = ctx.params;
    const results = await this.group<Record<string, number>>(app, body.GroupId, { op: 'permissionGroupMembers', by: whoOf(caller), id: body.PermissionGroupId, users: usersOf(body.MemberList), add, now: now() }, ctx);
    return { MemberList: Object.entries(results).map(([Member_Account, ErrorCode]) => ({ Member_Account, Result: ErrorCode === 0 ? 1 : 0, ErrorCode })) };
  };
}

export const permissionGroupActions: Record<string, ActionSchema> = {
  createPermissionGroup: command<PgBody>('create_permission_group', 'Create a permission group in a Community', { GroupId: groupId, PermissionGroupId: { ...pgId, optional: true }, PermissionGroupName: { type: 'string', min: 1, max: 600 }, Permission: { type: 'any', optional: true }, CustomString: text(12_000) }, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const generated = body.PermissionGroupId === undefined;
    for (let attempt = 0; ; attempt++) {
      const id = body.PermissionGroupId ?? generatedId();
      const group = { id, name: body.PermissionGroupName ?? '', permission: String(body.Permission ?? 0), customString: body.CustomString ?? '' };
      try {
        await this.group(app, body.GroupId, { op: 'createPermissionGroup', by: whoOf(caller), group, generated, now: now() }, ctx);
        return { PermissionGroupId: id };
      } catch (err) {
        if ((err as { data?: { code?: number } }).data?.code !== GROUP_CODES.ID_USED || !generated || attempt >= 4) throw err;
      }
    }
  }),
  modifyPermissionGroup: command<PgBody>('modify_permission_group', 'Change a permission group', { GroupId: groupId, PermissionGroupId: pgId, PermissionGroupName: text(600), Permission: { type: 'any', optional: true }, CustomString: text(12_000) }, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const patch = { name: body.PermissionGroupName, permission: body.Permission === undefined ? undefined : String(body.Permission), customString: body.CustomString };
    await this.group(app, body.GroupId, { op: 'modifyPermissionGroup', by: whoOf(caller), id: body.PermissionGroupId, patch, now: now() }, ctx);
    return {};
  }),
  destroyPermissionGroups: command<PgBody>('destroy_permission_group', 'Destroy permission groups', { GroupId: groupId, PermissionGroupIdList: { type: 'array', min: 1, max: 100, items: pgId } }, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const results = await this.group<{ id: string; code: number }[]>(app, body.GroupId, { op: 'destroyPermissionGroups', by: whoOf(caller), ids: body.PermissionGroupIdList ?? [], now: now() }, ctx);
    return { DestroyResultItem: results.map((r) => ({ PermissionGroupId: r.id, ErrorCode: r.code, ErrorInfo: r.code === 0 ? '' : 'not found' })) };
  }),
  getPermissionGroups: command<PgBody>('get_permission_group', 'Permission groups of a Community', { GroupId: groupId, PermissionGroupIdList: { type: 'array', max: 100, items: pgId, optional: true } }, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const views = await this.group<(PermissionGroupView | { id: string; code: number })[]>(app, body.GroupId, { op: 'viewPermissionGroups', viewer: whoOf(caller), ids: body.PermissionGroupIdList ?? [] }, ctx);
    const PermissionGroupInfo = views.map((v) =>
      'name' in v
        ? { PermissionGroupId: v.id, PermissionGroupName: v.name, Permission: Number(v.permission), CustomString: v.customString, MemberNum: v.members.length, CreateTime: v.createTime, ErrorCode: 0, ErrorInfo: '' }
        : { PermissionGroupId: v.id, ErrorCode: v.code, ErrorInfo: 'not found' },
    );
    return { PermissionGroupInfo };
  }),
  addPermissionGroupMembers: command<PgBody>('add_permission_group_member', 'Add community members to a permission group', { GroupId: groupId, PermissionGroupId: pgId, MemberList: accounts }, memberCommand(true)),
  deletePermissionGroupMembers: command<PgBody>('delete_permission_group_member', 'Remove members from a permission group', { GroupId: groupId, PermissionGroupId: pgId, MemberList: accounts }, memberCommand(false)),
  getPermissionGroupMembers: command<PgBody>('get_permission_group_member', 'Members of a permission group, paged by Next', { GroupId: groupId, PermissionGroupId: pgId, Limit: { type: 'number', integer: true, min: 1, max: 1000, optional: true }, Next: text(20) }, async function (ctx) {
    const members = (await viewOne(this, ctx)).members;
    const start = Number(ctx.params.body.Next || 0) || 0;
    const page = members.slice(start, start + (ctx.params.body.Limit ?? 100));
    const next = start + page.length;
    return { MemberList: page.map((Member_Account) => ({ Member_Account })), MemberNum: members.length, Next: next < members.length ? String(next) : '' };
  }),
  addTopicPermissions: command<PgBody>('add_topic_permission_group', "Add topic permissions to a permission group", { GroupId: groupId, PermissionGroupId: pgId, TopicPermission: topicMasks }, topicCommand('add')),
  setTopicPermissions: command<PgBody>('set_topic_permission_group', "Change a permission group's topic permissions", { GroupId: groupId, PermissionGroupId: pgId, TopicPermission: topicMasks }, topicCommand('modify')),
  deleteTopicPermissions: command<PgBody>('delete_topic_permission_group', "Delete a permission group's topic permissions", { GroupId: groupId, PermissionGroupId: pgId, TopicIdList: { type: 'array', min: 1, max: 200, items: { type: 'string', min: 1, max: 96 } } }, topicCommand('delete')),
  getTopicPermissions: command<PgBody>('get_topic_permission_group', "A permission group's topic permissions", { GroupId: groupId, PermissionGroupId: pgId, TopicIdList: { type: 'array', max: 200, items: { type: 'string', min: 1, max: 96 }, optional: true } }, async function (ctx) {
    const wanted = ctx.params.body.TopicIdList;
    const topics = (await viewOne(this, ctx)).topics.filter(([id]) => !wanted || wanted.includes(id));
    return { TopicPermission: topics.map(([TopicId, m]) => ({ TopicId, Permission: Number(m) })) };
  }),
};
