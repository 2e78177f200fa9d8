/**
 * The one-to-one commands only the SDK sends (history for getMessageList, revokeMessage,
 * setMessageRead, peer read times, deleteMessage), served by the messages service beside the
 * REST ones.
 */
import type { Context, ServiceActionsSchema } from 'moleculer';
import { conversationStream, type ConversationView, type Located } from '../../actors/c2c';
import { messageSettings } from '../../actors/apps/settings/app-settings';
import { appDirectory } from '../apps/registry';
import type { MessagesService } from './types';
import { commandParams, type CommandParams } from '../commands/commands';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { retentionFloor } from './retention';
import { locateMessage } from './history';
import { sdkHistory } from './sdk';
import * as sdkBodies from './sdk-bodies';
import { C2C_TENCENT as c2c } from './send';
import { peerReadTimeReply } from './wire';

export const sdkActions: ServiceActionsSchema = {
    sdkRoam: {
      tencent: { command: 'openim/getroammsg', user: true, summary: 'History of a one-to-one conversation for the SDK (getMessageList)', ...c2c },
      params: commandParams(sdkBodies.sdkRoamBody),
      async handler(this: MessagesService, ctx: Context<CommandParams<sdkBodies.SdkRoamBody>>) {
        const { app, caller, body } = ctx.params;
        const view = await this.conversation<ConversationView>(app, caller.id, body.Peer_Account, { op: 'get', user: caller.id }, ctx);
        let cursor: { version: number; seq: number } | undefined;
        if (body.MsgKey && body.GetDirection !== 1) {
          cursor = await this.conversation<Located>(app, caller.id, body.Peer_Account, { op: 'locate', msgKey: body.MsgKey }, ctx).catch(() => undefined);
          // One the conversation no longer remembers is found through the log's time index.
          cursor ??= await locateMessage(runtimeOf(this.broker).store, conversationStream(app, caller.id, body.Peer_Account), body.MsgKey);
        }
        const minTime = retentionFloor(messageSettings(appDirectory(this.broker).get(app)?.settings ?? {}).roamingDays);
        return sdkHistory(runtimeOf(this.broker).store, { app, reader: caller.id, view, cursorVersion: cursor?.version, cursorSeq: cursor?.seq, body, minTime });
      },
    },
    sdkWithdraw: {
      tencent: { command: 'openim/msgwithdraw', user: true, summary: 'Recall one’s own one-to-one message (SDK revokeMessage)', ...c2c },
      params: commandParams(sdkBodies.sdkWithdrawBody),
      async handler(this: MessagesService, ctx: Context<CommandParams<sdkBodies.SdkWithdrawBody>>) {
        const { app, caller, body } = ctx.params;
        const m = body.MsgInfo;
        const peer = m.From_Account === caller.id ? m.To_Account : m.From_Account;
        await this.recall(app, caller.id, peer, `${m.MsgSeq}_${m.MsgRandom}_${m.MsgTimeStamp}`, caller, ctx);
        return { RecallRetList: [{ RetCode: 0 }] };
      },
    },
    sdkRead: {
      tencent: { command: 'openim/msgreaded', user: true, summary: 'Mark one-to-one conversations read (SDK setMessageRead)', ...c2c },
      params: commandParams(sdkBodies.sdkReadBody),
      async handler(this: MessagesService, ctx: Context<CommandParams<sdkBodies.SdkReadBody>>) {
        const { app, caller, body } = ctx.params;
        for (const item of body.C2CMsgReaded.C2CMsgReadedItem) await this.markRead(app, caller.id, item.To_Account, caller, ctx);
        return {};
      },
    },
    peerReadTime: {
      tencent: { command: 'openim/get_peer_read_time', user: true, summary: 'Up to when peers have read their conversations with the caller', ...c2c },
      params: commandParams(sdkBodies.peerReadTimeBody),
      async handler(this: MessagesService, ctx: Context<CommandParams<sdkBodies.PeerReadTimeBody>>) {
        const { app, caller, body } = ctx.params;
        const views = await Promise.all(body.To_Account.map((peer) => this.conversation<ConversationView>(app, caller.id, peer, { op: 'get', user: caller.id }, ctx)));
        return peerReadTimeReply(views.map((v) => v.peerReadTime));
      },
    },
    deleteMessages: {
      tencent: { command: 'openim/delete_c2c_msg_ramble', user: true, summary: 'Delete one-to-one messages on the caller’s side (SDK deleteMessage)', ...c2c },
      params: commandParams(sdkBodies.deleteMessagesBody),
      async handler(this: MessagesService, ctx: Context<CommandParams<sdkBodies.DeleteMessagesBody>>) {
        const { app, caller, body } = ctx.params;
        const user = caller.kind === 'user' ? caller.id : (body.From_Account ?? caller.id);
        await this.conversation(app, user, body.To_Account, { op: 'deleteMessages', user, msgKeys: body.MsgKeyList, now: Date.now() }, ctx);
        return {};
      },
    },
};
