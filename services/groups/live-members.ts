/**
 * Who is in a live room (AVChatRoom), for the app's backend: group_open_avchatroom_http_svc
 * get_members (the online list, newest first, paged; also the SDK's getGroupMemberList for a
 * live room) and check_members (which of the named
 * users are in). Both are answered from the gateway nodes' room indexes (services/groups/rooms.ts
 * gathers every node; services/connector/rooms.ts keeps one node's viewers), so they are exact
 * at the moment of the call — Tencent refreshes its list every 40 s.
 *
 * Paging: Tencent answers everyone under 250 viewers with NextTimestamp 0, else a non-zero
 * NextTimestamp to send back as Timestamp, and never more than the 1,000 viewers who entered
 * last. Our NextTimestamp is the entry time (ms) of a page's last viewer: the next page holds the
 * viewers who entered before it. A page never splits viewers who entered in the same
 * millisecond, so none is skipped or listed twice while nobody leaves.
 */
import type { ActionSchema, Context } from 'moleculer';
import { GROUP_CODES, type Role } from '../../actors/group';
import { DomainError } from '../../runtime/kind';
import type { Caller, CommandParams } from '../commands/commands';
import { account, groupId, int } from './bodies';
import { groupCommand, view } from './context';
import { membersInRoom, type RoomViewer } from './rooms';
import { senderProfile } from './senders';
import type { GroupsService } from './types';

/** Viewers per page, and the newest viewers listed at most (Tencent's page). */
export const MEMBERS_PAGE = 250;
export const MEMBERS_LISTED = 1000;
/** Users per check_members call: Tencent names no limit; ours keeps one answer small. */
export const MAX_CHECKED = 500;

export interface LiveMembersBody {
  GroupId: string;
  Timestamp: number;
  Mark?: number;
}
export const liveMembersBody = { GroupId: groupId, Timestamp: int(0, Number.MAX_SAFE_INTEGER, false), Mark: int(0, 0xffffffff) };

export interface CheckMembersBody {
  GroupId: string;
  Member_Account: string[];
}
export const checkMembersBody = { GroupId: groupId, Member_Account: { type: 'array', items: account, min: 1, max: MAX_CHECKED } };

type Handler<B> = (this: GroupsService, ctx: Context<CommandParams<B>>) => Promise<unknown>;
const command = <B>(name: string, summary: string, body: Record<string, unknown>, handler: Handler<B>, user = false): ActionSchema => groupCommand(name, summary, body, handler, user);

/**
 * The room's viewers. A group that is not a live room answers 10007 (Tencent lists these
 * commands for AVChatRoom only), a missing one 10010. An SDK user (getGroupMemberList) must be
 * in the room or its stored owner or admin (10007 otherwise): the list is the room's, not the app's.
 * `ownerOnly`: an SDK user must be the room's owner (marks: "app administrators and the owner").
 */
export async function viewers(svc: GroupsService, app: number, id: string, ctx: Context, caller: Caller, ownerOnly = false): Promise<Map<string, RoomViewer>> {
  return (await viewersWithRoles(svc, app, id, ctx, caller, ownerOnly)).all;
}

/**
 * The room's viewers, and the roles of its owner and admins (stored, or named by modify_admin):
 * the app administrator's view of a live room lists only those, so reading it costs one small
 * actor call, the same as the caller's own view.
 */
export async function viewersWithRoles(svc: GroupsService, app: number, id: string, ctx: Context, caller: Caller, ownerOnly = false): Promise<{ all: Map<string, RoomViewer>; roles: Map<string, Role> }> {
  const v = await view(svc, app, id, ctx, { id: '', admin: true });
  if (v.profile.type !== 'AVChatRoom') throw new DomainError(GROUP_CODES.NO_PERMISSION, 'only live rooms (AVChatRoom) have an online member list');
  const roles = new Map(v.members.map(([u, m]) => [u, m.role]));
  const self = caller.kind === 'admin' ? undefined : roles.get(caller.id);
  const all = await membersInRoom(svc.broker, app, id);
  if (caller.kind !== 'admin' && !self && !all.has(caller.id)) throw new DomainError(GROUP_CODES.NO_PERMISSION, 'join the live room first');
  if (ownerOnly && caller.kind !== 'admin' && self !== 'Owner') throw new DomainError(GROUP_CODES.NO_PERMISSION, 'only the owner or the app administrator may do this');
  return { all, roles };
}

/** One page of the newest viewers who entered before `before` (ms; 0 = from the newest). */
export function membersPage(all: Map<string, number>, before: number): { page: [string, number][]; next: number } {
  const newest = [...all].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MEMBERS_LISTED);
  const rest = before > 0 ? newest.filter(([, at]) => at < before) : newest;
  let end = Math.min(MEMBERS_PAGE, rest.length);
  while (end < rest.length && rest[end][1] === rest[end - 1][1]) end++;
  return { page: rest.slice(0, end), next: end < rest.length ? rest[end - 1][1] : 0 };
}

async function getMembers(this: GroupsService, ctx: Context<CommandParams<LiveMembersBody>>) {
  const { app, caller, body } = ctx.params;
  const { all, roles } = await viewersWithRoles(this, app, body.GroupId, ctx, caller);
  const listed = new Map<string, number>();
  for (const [user, viewer] of all) if (body.Mark === undefined || viewer.marks.has(body.Mark)) listed.set(user, viewer.joinedAt);
  const { page, next } = membersPage(listed, body.Timestamp);
  const MemberList = await Promise.all(
    page.map(async ([user, at]) => {
      const p = await senderProfile(this, app, user, ctx);
      // Role is ours (Tencent's item has none): the SDK takes it into the member's role, so an app sees its owner and admins.
      return { Member_Account: user, JoinTime: Math.floor(at / 1000), NickName: p.nick, Avatar: p.faceUrl, Role: roles.get(user) ?? 'Member' };
    }),
  );
  return { MemberList, NextTimestamp: next };
}

export const liveMemberActions: Record<string, ActionSchema> = {
  liveMembers: command<LiveMembersBody>('group_open_avchatroom_http_svc/get_members', 'The online members of a live room, newest first, paged', liveMembersBody, getMembers, true),
  checkLiveMembers: command<CheckMembersBody>('group_open_avchatroom_http_svc/check_members', 'Which of the named users are in a live room', checkMembersBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const all = await viewers(this, app, body.GroupId, ctx, caller);
    return { Member_Account: [...new Set(body.Member_Account)].filter((u) => all.has(u)) };
  }),
};
