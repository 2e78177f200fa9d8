/**
 * Live rooms administered by the app (AVChatRoom): ban_group_member, unban_group_member,
 * get_group_ban_member (the rules in actors/group/bans.ts: the room drops a banned user's
 * devices before the answer and refuses them until the ban ends), and send_broadcast_msg, one
 * message to every live room of the app.
 */
import type { ActionSchema, Context } from 'moleculer';
import { appGroupsStream, type SendResult } from '../../actors/group';
import { MAX_BAN_USERS } from '../../actors/group/bans';
import { DomainError } from '../../runtime/kind';
import type { CommandParams } from '../commands/commands';
import { cloudCustomDataRule } from '../messages/elements';
import { account, groupId, int } from './bodies';
import { GROUP_TENCENT, groupCommand, groupsOfFeed, requireAccounts, whoOf } from './context';
import { sendFields } from './convert';
import { senderProfile } from './senders';
import type { GroupsService } from './types';

const members = { type: 'array', items: account, min: 1, max: MAX_BAN_USERS };

export interface BanBody {
  GroupId: string;
  Members_Account: string[];
  Duration: number;
  Description?: string;
}
export const banBody = { GroupId: groupId, Members_Account: members, Duration: int(1, 0xffffffff, false), Description: { type: 'string', max: 1000, optional: true } };

export interface UnbanBody {
  GroupId: string;
  Members_Account: string[];
}
export const unbanBody = { GroupId: groupId, Members_Account: members };

export interface BanListBody {
  GroupId: string;
  Limit?: number;
  Offset?: number;
}
export const banListBody = { GroupId: groupId, Limit: int(1, 100), Offset: int(0, Number.MAX_SAFE_INTEGER) };

export interface BroadcastBody {
  From_Account?: string;
  Random: number;
  MsgBody: unknown;
  CloudCustomData?: string;
}
export const broadcastBody = { From_Account: { ...account, optional: true }, Random: int(0, 0xffffffff, false), MsgBody: { type: 'any' }, CloudCustomData: cloudCustomDataRule };

/** Tencent's page: "up to 1,000 bytes"; the validator counts characters. */
const DESCRIPTION_BYTES = 1000;

type Handler<B> = (this: GroupsService, ctx: Context<CommandParams<B>>) => Promise<unknown>;
const command = <B>(name: string, summary: string, body: Record<string, unknown>, handler: Handler<B>): ActionSchema => groupCommand(name, summary, body, handler);

/** One message to every live room of the app, each through its own owner node (as send_group_msg). */
async function broadcast(this: GroupsService, ctx: Context<CommandParams<BroadcastBody>>) {
  const { app, caller, body } = ctx.params;
  const from = body.From_Account ?? caller.id;
  if (body.From_Account !== undefined) await requireAccounts(this, app, [from], ctx);
  const sender = await senderProfile(this, app, from, ctx);
  const fields = sendFields(from, { GroupId: '', Random: body.Random, MsgBody: body.MsgBody, CloudCustomData: body.CloudCustomData }, true, sender.nick, sender.faceUrl);
  const rooms = [...(await groupsOfFeed(this.broker, appGroupsStream(app)))].filter(([, g]) => g.type === 'AVChatRoom').map(([id]) => id);
  // A room disbanded meanwhile, or one that refuses, does not keep the message from the others.
  const sent = await Promise.allSettled(rooms.map((id) => this.group<SendResult>(app, id, { op: 'send', by: whoOf(caller), message: fields, onlineOnly: false, now: Date.now() }, ctx)));
  sent.forEach((r, i) => r.status === 'rejected' && this.logger.warn(`broadcast to ${rooms[i]} failed: ${(r.reason as Error).message}`));
  return {};
}

export const banActions: Record<string, ActionSchema> = {
  ban: command<BanBody>('group_open_http_svc/ban_group_member', 'Ban users from a live room for a time', banBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const description = body.Description ?? '';
    if (Buffer.byteLength(description) > DESCRIPTION_BYTES) throw new DomainError(GROUP_TENCENT.invalidCode, `Description is limited to ${DESCRIPTION_BYTES} bytes`);
    await this.group(app, body.GroupId, { op: 'ban', by: whoOf(caller), users: body.Members_Account, seconds: body.Duration, description, now: Date.now() }, ctx);
    return {};
  }),
  unban: command<UnbanBody>('group_open_http_svc/unban_group_member', 'Lift bans of a live room', unbanBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    await this.group(app, body.GroupId, { op: 'unban', by: whoOf(caller), users: body.Members_Account, now: Date.now() }, ctx);
    return {};
  }),
  banList: command<BanListBody>('group_open_http_svc/get_group_ban_member', 'The bans of a live room in force, paged', banListBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const page = await this.group<{ bans: { user: string; until: number }[]; next: number }>(app, body.GroupId, { op: 'viewBans', by: whoOf(caller), offset: body.Offset ?? 0, limit: body.Limit ?? 100, now: Date.now() }, ctx);
    return { BannedAccountList: page.bans.map((b) => ({ Member_Account: b.user, BannedUntil: b.until })), NextOffset: page.next };
  }),
  broadcast: command<BroadcastBody>('group_open_http_svc/send_broadcast_msg', 'One message to every live room (AVChatRoom) of the app', broadcastBody, broadcast),
};
