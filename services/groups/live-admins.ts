/**
 * Admins of a live room (AVChatRoom), named by the app's backend:
 * group_open_avchatroom_http_svc modify_admin `{GroupId, CommandType (1 names, 2 takes back),
 * Admin_Account (1–5)}` and get_admin_list `{GroupId}` → `Admin_List: [{Admin_Account, NickName,
 * Avatar}]`. The rules are the group actor's (actors/group/live-admins.ts): app administrator
 * only, live rooms only (10007), at most 5 admins (10004); an admin need not be in the room and
 * stays admin through leaving it. Accounts must exist (10004): one unknown account refuses the
 * whole call, so nothing is half done.
 */
import type { ActionSchema, Context } from 'moleculer';
import { MAX_LIVE_ADMINS } from '../../actors/group/live-admins';
import type { CommandParams } from '../commands/commands';
import { account, groupId } from './bodies';
import { groupCommand, requireAccounts, whoOf } from './context';
import { senderProfile } from './senders';
import type { GroupsService } from './types';

/** CommandType: 1 names the accounts admins, 2 takes the role back. */
export interface ModifyAdminBody {
  GroupId: string;
  CommandType: 1 | 2;
  Admin_Account: string[];
}
export const modifyAdminBody = {
  GroupId: groupId,
  CommandType: { type: 'number', integer: true, min: 1, max: 2 },
  Admin_Account: { type: 'array', items: account, min: 1, max: MAX_LIVE_ADMINS },
};

export interface AdminListBody {
  GroupId: string;
}
export const adminListBody = { GroupId: groupId };

async function modifyAdmin(this: GroupsService, ctx: Context<CommandParams<ModifyAdminBody>>) {
  const { app, caller, body } = ctx.params;
  await requireAccounts(this, app, body.Admin_Account, ctx);
  await this.group(app, body.GroupId, { op: 'modifyLiveAdmins', by: whoOf(caller), users: body.Admin_Account, add: body.CommandType === 1, now: Date.now() }, ctx);
  return {};
}

async function adminList(this: GroupsService, ctx: Context<CommandParams<AdminListBody>>) {
  const { app, caller, body } = ctx.params;
  const admins = await this.group<string[]>(app, body.GroupId, { op: 'viewLiveAdmins', by: whoOf(caller) }, ctx);
  const Admin_List = await Promise.all(
    admins.map(async (user) => {
      const p = await senderProfile(this, app, user, ctx);
      return { Admin_Account: user, NickName: p.nick, Avatar: p.faceUrl };
    }),
  );
  return { Admin_List };
}

export const liveAdminActions: Record<string, ActionSchema> = {
  modifyLiveAdmins: groupCommand('group_open_avchatroom_http_svc/modify_admin', 'Name or take back admins of a live room', modifyAdminBody, modifyAdmin),
  liveAdmins: groupCommand('group_open_avchatroom_http_svc/get_admin_list', 'The admins of a live room, with their profiles', adminListBody, adminList),
};
