/**
 * Do-not-disturb kept by the user: per one-to-one conversation (openim/
 * {get,set}_c2c_peer_mute_notifications; the SDK asks the first whenever a one-to-one
 * conversation appears, and sends the second from setMessageRemindType) and global quiet hours
 * (im_msg_db_logic/{ws_set,ws_get}_do_not_disturb, the SDK's set/getAllReceiveMessageOpt).
 * Group do-not-disturb is a member field of the group (modify_group_member_info MsgFlag).
 * Offline push reads both through services/conversations/client.ts.
 */
import type { ActionSchema, Context } from 'moleculer';
import { c2cConv, type ConvSettingsPage, type QuietHours } from '../../actors/inbox';
import { commandParams, type CommandParams } from '../commands/commands';
import { subjectOf } from '../commands/subject';
import * as b from './settings-bodies';
import * as wire from './settings-wire';
import type { ConversationsService } from './types';

/** openim codes: 90001 bad params, 90994 internal (as the other openim commands). */
const OPENIM = { invalidCode: 90001, internalCode: 90994 } as const;

export const muteActions: Record<string, ActionSchema> = {
  getPeerMute: {
    tencent: { command: 'openim/get_c2c_peer_mute_notifications', summary: 'Do-not-disturb of a user’s one-to-one conversations', user: true, ...OPENIM },
    params: commandParams(b.getMuteBody),
    async handler(this: ConversationsService, ctx: Context<CommandParams<b.GetMuteBody>>) {
      const { app, caller, body } = ctx.params;
      const user = subjectOf(caller, body.To_Account, OPENIM.invalidCode);
      const page = await this.inbox<ConvSettingsPage>(app, user, { op: 'convSettings', convs: body.Peer_Account.map(c2cConv) }, ctx);
      return { MuteNotificationsList: body.Peer_Account.map((p, i) => ({ Peer_Account: p, MuteNotifications: page.items[i][1].mute })) };
    },
  },
  setPeerMute: {
    tencent: { command: 'openim/set_c2c_peer_mute_notifications', summary: 'Set do-not-disturb of one-to-one conversations (SDK setMessageRemindType)', user: true, ...OPENIM },
    params: commandParams(b.setMuteBody),
    async handler(this: ConversationsService, ctx: Context<CommandParams<b.SetMuteBody>>) {
      const { app, caller, body } = ctx.params;
      const user = subjectOf(caller, body.From_Account, OPENIM.invalidCode);
      const peers = [...new Set(body.Peer_Account)];
      await this.inbox(app, user, { op: 'setPeerMute', peers, flag: body.Mute_Notifications, now: Date.now() }, ctx);
      this.pushToUser(app, user, wire.peerMutePush(peers, body.Mute_Notifications), caller);
      return { ErrorList: [] };
    },
  },
  setQuietHours: {
    tencent: { command: 'im_msg_db_logic/ws_set_do_not_disturb', summary: 'Set the user’s global do-not-disturb (SDK setAllReceiveMessageOpt)', user: true, ...OPENIM },
    params: commandParams(b.quietHoursBody),
    async handler(this: ConversationsService, ctx: Context<CommandParams<b.QuietHoursBody>>) {
      const { app, caller, body } = ctx.params;
      const user = subjectOf(caller, body.From_Account, OPENIM.invalidCode);
      const quiet: QuietHours = { level: body.Level, startTime: body.StartTime ?? 0, endTime: body.EndTime ?? 0, repeated: body.IsRepeated === 1 };
      await this.inbox(app, user, { op: 'setQuietHours', quiet, now: Date.now() }, ctx);
      this.pushToUser(app, user, wire.quietHoursPush(quiet), caller);
      return {};
    },
  },
  getQuietHours: {
    tencent: { command: 'im_msg_db_logic/ws_get_do_not_disturb', summary: 'The user’s global do-not-disturb (SDK getAllReceiveMessageOpt)', user: true, ...OPENIM },
    params: commandParams(b.getQuietHoursBody),
    async handler(this: ConversationsService, ctx: Context<CommandParams<b.GetQuietHoursBody>>) {
      const { app, caller, body } = ctx.params;
      const user = subjectOf(caller, body.To_Account, OPENIM.invalidCode);
      const { quiet } = await this.inbox<{ quiet: QuietHours }>(app, user, { op: 'getQuietHours' }, ctx);
      return wire.quietHoursReply(quiet);
    },
  },
};
