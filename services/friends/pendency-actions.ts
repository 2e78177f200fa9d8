/** Friend requests (sns/pendency_*, friend_response): read, answer, withdraw, mark read. */
import type { ServiceActionsSchema } from 'moleculer';
import type { FriendsService } from './types';
import { commandParams, platformOf } from '../commands/commands';
import { callBefore } from '../webhooks/client';
import * as b from './bodies';
import { FRIEND_ADD, reportHeader } from './callbacks';
import { checkListName, checkRemark } from './checks';
import { nowSec, results, sns, vetoes, type P } from './common';
import { pendencyAnswer, type Face } from './reads';
import { dropRequest, respond } from './saga';

/** A ResponseFriendItem of Sns.CallbackPrevFriendResponse: Tencent sends every field, '' when not given. */
const responseItem = (i: b.RespondBody['ResponseFriendItem'][number]) => ({ To_Account: i.To_Account, Remark: i.Remark ?? '', TagName: i.TagName ?? '', ResponseAction: i.ResponseAction });

export const pendencyActions: ServiceActionsSchema = {
    pendencyGet: {
      tencent: { command: 'sns/pendency_get', summary: 'Friend requests of an account, both directions', ...sns },
      params: commandParams(b.pendencyGetBody),
      async handler(this: FriendsService, ctx: P<b.PendencyGetBody>) {
        const { chain, owner } = await this.owner(ctx);
        const view = await chain.read(owner);
        const peers = [...new Set([...view.pendingIn, ...view.pendingOut].map(([id]) => id))];
        const faces = new Map<string, Face>(await Promise.all(peers.map(async (id) => {
          const u = await chain.user(id);
          return [id, { nick: u.nick ?? '', image: u.faceUrl ?? '' }] as [string, Face];
        })));
        return pendencyAnswer(view, ctx.params.body.PendencyType, faces);
      },
    },
    friendResponse: {
      tencent: { command: 'sns/friend_response', summary: 'Accept or refuse friend requests', ...sns },
      params: commandParams(b.respondBody),
      async handler(this: FriendsService, ctx: P<b.RespondBody>) {
        const { chain, owner } = await this.owner(ctx);
        const { app, caller, body } = ctx.params;
        body.ResponseFriendItem.forEach((i) => {
          checkRemark(i.Remark);
          if (i.TagName) checkListName(i.TagName);
        });
        const verdict =
          caller.kind === 'user'
            ? await callBefore(this.broker, { app, command: 'Sns.CallbackPrevFriendResponse', body: { Requester_Account: caller.id, From_Account: owner, ResponseFriendItem: body.ResponseFriendItem.map(responseItem) }, requestId: ctx.requestID ?? undefined, platform: platformOf(caller), clientIp: caller.ip })
            : undefined;
        const vetoed = vetoes(verdict, body.ResponseFriendItem.map((i) => i.To_Account));
        const responses = body.ResponseFriendItem.filter((i) => !vetoed.has(i.To_Account)).map((i) => ({ requester: i.To_Account, action: i.ResponseAction, remark: i.Remark ?? '', group: i.TagName ?? '' }));
        const codes = await respond(chain, owner, responses, nowSec(), reportHeader(this.broker, app, FRIEND_ADD, caller, { clientCmd: 'friend_response' }));
        return results(codes, body.ResponseFriendItem.map((i) => i.To_Account), vetoed);
      },
    },
    pendencyDelete: {
      tencent: { command: 'sns/pendency_delete', summary: 'Withdraw sent or drop received friend requests', ...sns },
      params: commandParams(b.pendencyDeleteBody),
      async handler(this: FriendsService, ctx: P<b.PendencyDeleteBody>) {
        const { chain, owner } = await this.owner(ctx);
        const direction = ctx.params.body.PendencyType === 'Pendency_Type_SendOut' ? 'out' : 'in';
        const ids = [...new Set(ctx.params.body.To_Account)];
        const codes: Record<string, number> = {};
        for (const peer of ids) codes[peer] = await dropRequest(chain, owner, peer, direction, nowSec());
        return results(codes, ids);
      },
    },
    pendencyReport: {
      tencent: { command: 'sns/pendency_report', summary: 'Mark received friend requests as read', ...sns },
      params: commandParams(b.pendencyReportBody),
      async handler(this: FriendsService, ctx: P<b.PendencyReportBody>) {
        const { chain, owner } = await this.owner(ctx);
        await chain.change(owner, { op: 'readPendency', now: nowSec() });
        return {};
      },
    },
};
