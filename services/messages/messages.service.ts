/**
 * messages — one-to-one messages: send (REST and SDK), batch send, import, roaming history,
 * recall, read marks, modification. Hosts the conversation actor (actors/c2c).
 * Tencent commands: openim/{sendmsg, batchsendmsg, importmsg, admin_getroammsg,
 * admin_msgwithdraw, admin_set_msg_read, modify_c2c_msg}; for SDK users also openim/{getroammsg,
 * msgwithdraw, msgreaded, get_peer_read_time, delete_c2c_msg_ramble, c2c_msg_read_receipt
 * (per-message read receipts: receipts.ts)}. Pushes to devices go out
 * from the action once the conversation answered (messages/pushes.ts). Internal: broadcast (one
 * message to many accounts for all_member_push, broadcast.ts).
 * Emits: message.c2c.sent, message.c2c.recalled, message.c2c.read, message.c2c.modified (after the append).
 * Consumes nothing (the accounts client forgets deleted accounts: services/accounts/client.ts).
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { c2cKindWithin, CONVERSATION_READ, conversationKey, conversationStream, MESSAGE_MODIFIED, MESSAGE_RECALLED, MESSAGE_SENT, unreadOf, type C2CCommand, type C2CEvent, type C2CState, type ConversationView, type Located, type MessageSentData, type ReadReply, type SendReply } from '../../actors/c2c';
import { DomainError } from '../../runtime/kind';
import { messageSettings } from '../../actors/apps/settings/app-settings';
import { actorHostMixin } from '../../runtime/moleculer/host.mixin';
import { appDirectory } from '../apps/registry';
import { sendToUsers } from '../connector/delivery';
import { PUSH_SERVCMD } from '../connector/replies';
import { pushModified, pushRead, pushRecall, pushSent } from './pushes';
import { currentContent, identityOf } from './sdk';
import * as bodies from './bodies';
import { validateMsgBody } from './elements';
import { locateMessage, readHistory } from './history';
import { askRemembering } from './remembered';
import { purgeExpired, retentionFloor } from './retention';
import { beforeSend, readReport, recallReport, sendReport } from './callbacks';
import { afterFeeds, callbackFilter, type AfterParams } from '../webhooks/client';
import { c2cPushFeeds, joinFeeds } from '../push/client';
import { canSend, C2C_REFUSED } from '../friends/permissions';
import { sdkActions } from './sdk-actions';
import { broadcast, type BroadcastParams } from './broadcast';
import { receiptActions } from './receipts';
import { C2C_TENCENT, isOnlineOnly, platformOf, senderOf, sendFields, SEND_CODES } from './send';
import { c2cPush, roamItem, wireMessage } from './wire';
import { commandParams, type CommandParams } from '../commands/commands';
import { fitting } from '../commands/reply-budget';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import type { MessagesService } from './types';
import { accountsOf, isMuted } from '../accounts/client';
import { BUS, type C2CModified, type C2CRead, type C2CRecalled, type C2CSent } from '../events';
import { c2cConversation, holdingMedia } from '../media/client';

/** 20012: the sender is muted (Tencent's one-to-one code; openconfigsvr/setnospeaking). */
const C2C_MUTED = 20012;

const refusalText = (code: number) =>
  code === C2C_REFUSED.BLOCKED ? 'the sender is in the recipient’s blocklist' : code === C2C_REFUSED.NOT_FRIENDS ? 'only friends may send messages' : 'the two accounts are friends one way only';

const c2c = C2C_TENCENT;

const messages: ServiceSchema<ServiceSettingSchema, MessagesService> = {
  name: 'messages',
  mixins: [actorHostMixin((config) => c2cKindWithin(config.actors.c2cRemembered))],
  actions: {
    send: {
      tencent: { command: 'openim/sendmsg', user: true, summary: 'Send a one-to-one message', ...c2c },
      params: commandParams(bodies.sendBody),
      async handler(this: MessagesService, ctx: Context<CommandParams<bodies.SendBody>>) {
        const { app, caller, body } = ctx.params;
        const reply = await this.send(app, senderOf(caller, body), body.To_Account, body, caller, ctx);
        return { MsgTime: reply.time, MsgKey: reply.msgKey, MsgSeq: reply.seq, MsgId: reply.msgKey };
      },
    },
    batchSend: {
      tencent: { command: 'openim/batchsendmsg', summary: 'Send one message to up to 500 accounts', ...c2c },
      params: commandParams(bodies.batchSendBody),
      async handler(this: MessagesService, ctx: Context<CommandParams<bodies.BatchSendBody>>) {
        const { app, caller, body } = ctx.params;
        const from = senderOf(caller, body);
        // One client seq for every copy, so the message has one MsgKey across recipients.
        const shared = { ...body, MsgSeq: body.MsgSeq ?? 1 + Math.floor(Math.random() * 0x7fffffff) };
        const ErrorList: { To_Account: string; ErrorCode: number }[] = [];
        let MsgKey = '';
        await Promise.all(
          [...new Set(body.To_Account)].map(async (to) => {
            try {
              MsgKey = (await this.send(app, from, to, { ...shared, To_Account: to }, caller, ctx)).msgKey;
            } catch (err) {
              const code = (err as { code?: unknown; data?: { code?: unknown } }).data?.code ?? (err as { code?: unknown }).code;
              if (typeof code !== 'number' || code === 90994) throw err;
              ErrorList.push({ To_Account: to, ErrorCode: code });
            }
          }),
        );
        return { MsgKey, ErrorList };
      },
    },
    import: {
      tencent: { command: 'openim/importmsg', summary: 'Import a one-to-one message from another system', ...c2c },
      params: commandParams(bodies.importBody),
      async handler(this: MessagesService, ctx: Context<CommandParams<bodies.ImportBody>>) {
        const { app, body } = ctx.params;
        await this.requireAccounts(app, [body.From_Account, body.To_Account], ctx);
        // SyncFromOldSystem 2 imports history: it does not count as unread for the recipient.
        const message = sendFields(body.From_Account, body.To_Account, body, { syncToSender: true, byAdmin: true, control: body.SyncFromOldSystem === 2 ? ['NoUnread'] : [] });
        const imported = () => this.conversation(app, body.From_Account, body.To_Account, { op: 'import', message, time: body.MsgTimeStamp, now: Date.now() }, ctx);
        // An import is the administrator's: its files are held whoever the messages name as sender.
        await holdingMedia(this.broker, app, c2cConversation(body.From_Account, body.To_Account), message.body, { id: body.From_Account, admin: true }, imported, () => undefined);
        return {};
      },
    },
    roam: {
      tencent: { command: 'openim/admin_getroammsg', renames: bodies.ROAM_RENAMES, summary: 'Page the roaming history of a one-to-one conversation', ...c2c },
      params: commandParams(bodies.roamBody),
      async handler(this: MessagesService, ctx: Context<CommandParams<bodies.RoamBody>>) {
        const { app, body } = ctx.params;
        const { Operator_Account: reader, Peer_Account: peer } = body;
        const view = await this.conversation<ConversationView>(app, reader, peer, { op: 'get', user: reader }, ctx);
        let beforeVersion = Number.MAX_SAFE_INTEGER;
        let beforeSeq: number | undefined;
        if (body.LastMsgKey) {
          const msgKey = body.LastMsgKey;
          const at: { version: number; seq: number } = await this.conversation<Located>(app, reader, peer, { op: 'locate', msgKey }, ctx).catch(async (err: unknown) => {
            // One the conversation no longer remembers is found through the log's time index.
            const found = await locateMessage(runtimeOf(this.broker).store, conversationStream(app, reader, peer), msgKey);
            if (found === undefined) throw err;
            return found;
          });
          ({ version: beforeVersion, seq: beforeSeq } = at);
        }
        const stream = conversationStream(app, reader, peer);
        const floor = retentionFloor(messageSettings(appDirectory(this.broker).get(app)?.settings ?? {}).roamingDays);
        const minTime = Math.max(body.MinTime, floor);
        const page = await readHistory(runtimeOf(this.broker).store, { stream, reader, beforeVersion, beforeSeq, maxCount: body.MaxCnt, minTime, maxTime: body.MaxTime });
        const all = page.items.map((i) => roamItem(i.message, i.recalled, view.peerReadSeq, reader, i.receipted));
        // At most REPLY_BUDGET_BYTES of messages: Complete 0 and LastMsgKey go on from the oldest sent.
        const MsgList = fitting(all);
        const last = MsgList[MsgList.length - 1];
        const complete = page.complete && MsgList.length === all.length;
        return { Complete: complete ? 1 : 0, MsgCnt: MsgList.length, LastMsgTime: last?.MsgTimeStamp ?? 0, LastMsgKey: last?.MsgKey ?? '', MsgList };
      },
    },
    withdraw: {
      tencent: { command: 'openim/admin_msgwithdraw', summary: 'Recall a one-to-one message as administrator', ...c2c },
      params: commandParams(bodies.withdrawBody),
      async handler(this: MessagesService, ctx: Context<CommandParams<bodies.WithdrawBody>>) {
        const { app, caller, body } = ctx.params;
        await this.recall(app, body.From_Account, body.To_Account, body.MsgKey, caller, ctx);
        return {};
      },
    },
    setRead: {
      tencent: { command: 'openim/admin_set_msg_read', summary: 'Mark a one-to-one conversation read for a user', ...c2c },
      params: commandParams(bodies.setReadBody),
      async handler(this: MessagesService, ctx: Context<CommandParams<bodies.SetReadBody>>) {
        const { app, caller, body } = ctx.params;
        await this.requireAccounts(app, [body.Report_Account, body.Peer_Account], ctx);
        await this.markRead(app, body.Report_Account, body.Peer_Account, caller, ctx);
        return {};
      },
    },
    modify: {
      tencent: { command: 'openim/modify_c2c_msg', user: true, summary: 'Change the body or custom data of a stored one-to-one message', ...c2c },
      params: commandParams(bodies.modifyBody),
      async handler(this: MessagesService, ctx: Context<CommandParams<bodies.ModifyBody>>) {
        const { app, caller, body } = ctx.params;
        if (body.MsgBody === undefined && body.CloudCustomData === undefined) throw new DomainError(SEND_CODES.INVALID, 'nothing to modify: give MsgBody or CloudCustomData');
        // REST names the message by MsgKey; the SDK by its MsgSeq, MsgRandom and MsgTime.
        const msgKey = body.MsgKey ?? `${body.MsgSeq ?? 0}_${body.MsgRandom ?? 0}_${body.MsgTime ?? 0}`;
        const stored = body.MsgBody === undefined ? undefined : validateMsgBody(body.MsgBody, body.CloudCustomData ?? '');
        // Only the sender modifies over the SDK; an administrator may modify any message.
        const by = caller.kind === 'user' ? caller.id : undefined;
        const command: C2CCommand = { op: 'modify', msgKey, body: stored, cloudCustomData: body.CloudCustomData, by, now: Date.now() };
        const at = await this.conversation<Located>(app, body.From_Account, body.To_Account, command, ctx);
        const stream = conversationStream(app, body.From_Account, body.To_Account);
        const content = await currentContent(runtimeOf(this.broker).store, stream, at.version, msgKey, at.edits ?? 1);
        const from = at.from ?? body.From_Account;
        const to = from === body.From_Account ? body.To_Account : body.From_Account;
        pushModified(this.broker, app, identityOf(msgKey, from, to, at.clientTime), content, caller.id, caller.instId);
        return content;
      },
    },
    ...sdkActions,
    ...receiptActions,
    /** One message to many accounts for all_member_push (broadcast.ts); not a Tencent command. */
    broadcast: {
      params: {
        $$strict: true,
        app: { type: 'number', integer: true, positive: true },
        from: 'string',
        to: { type: 'array', items: 'string', max: 500 },
        body: { type: 'object', strict: true, props: bodies.broadcastBody },
      },
      handler(this: MessagesService, ctx: Context<BroadcastParams>) {
        return broadcast(this, ctx.params, ctx);
      },
    },
    /** Erases the content of messages past the app's retention now (the sweep runs hourly on its own). */
    purgeExpired: {
      params: { $$strict: true, app: { type: 'number', integer: true, positive: true }, beforeMs: { type: 'number', integer: true, optional: true } },
      async handler(this: MessagesService, ctx: Context<{ app: number; beforeMs?: number }>) {
        const { app, beforeMs } = ctx.params;
        const days = messageSettings(appDirectory(this.broker).get(app)?.settings ?? {}).roamingDays;
        return purgeExpired(runtimeOf(this.broker).store, app, beforeMs ?? retentionFloor(days) * 1000);
      },
    },
    /** One-sided deletion of a conversation's history (recentcontact/delete with ClearRamble). */
    deleteHistory: {
      params: { $$strict: true, app: { type: 'number', integer: true, positive: true }, user: 'string', peer: 'string' },
      async handler(this: MessagesService, ctx: Context<{ app: number; user: string; peer: string }>) {
        const { app, user, peer } = ctx.params;
        return this.conversation(app, user, peer, { op: 'deleteHistory', user, now: Date.now() }, ctx);
      },
    },
  },
  methods: {
    async send(this: MessagesService, app, from, to, body, caller, ctx) {
      const byAdmin = caller.kind === 'admin';
      const adminSelf = byAdmin && from === caller.id;
      // Both accounts must exist; then the recipient's blocklist and the app's friends-only switch
      // (the administrator sending as itself is exempt, a send on behalf of a user is not: hence
      // 20007 over REST too). Asked at once, not one after the other; a missing account still
      // answers first.
      // The sender's global mute (openconfigsvr/setnospeaking) comes from this node's cache, filled by
      // the same user-actor answer that proves the sender exists: no hop of its own per message.
      const [accounts, refused, mutes] = await Promise.allSettled([
        this.requireAccounts(app, adminSelf ? [to] : [from, to], ctx),
        adminSelf ? null : canSend(this.broker, app, from, to),
        adminSelf ? null : accountsOf(this.broker).mutedUntil(app, from, ctx),
      ]);
      if (accounts.status === 'rejected') throw accounts.reason;
      if (mutes.status === 'rejected') throw mutes.reason;
      if (mutes.value && isMuted(mutes.value, 'c2c')) throw new DomainError(C2C_MUTED, `${from} is muted for one-to-one messages`);
      if (refused.status === 'rejected') throw refused.reason;
      if (refused.value !== null) throw new DomainError(refused.value, refusalText(refused.value));
      const fields = sendFields(from, to, body, { syncToSender: body.SyncOtherMachine !== 2, byAdmin, forbidCallbacks: body.ForbidCallbackControl, control: body.SendMsgControl, lifeTimeSec: body.MsgLifeTime });
      const now = Date.now();
      const before = await beforeSend(this.broker, app, { ...fields, platform: platformOf(caller), clientIp: caller.ip ?? '' }, isOnlineOnly(body), now, ctx.requestID ?? undefined);
      if ('dropped' in before) {
        // Tencent's drop: the sender is told it was sent; nothing is stored or delivered.
        const time = Math.floor(now / 1000);
        return { seq: 0, time, msgKey: `${fields.clientSeq || 1}_${fields.random}_${time}`, duplicate: false, version: 0 };
      }
      const message = before.send;
      if (isOnlineOnly(body)) {
        const live: MessageSentData = { ...message, seq: 0, time: Math.floor(now / 1000), clientSeq: message.clientSeq || 1 };
        sendToUsers(this.broker, app, [{ userId: to }], PUSH_SERVCMD, c2cPush([wireMessage(app, live)])).catch((err: Error) => this.logger.warn(`online-only push to ${to} failed: ${err.message}`));
        return { seq: 0, time: live.time, msgKey: `${live.clientSeq}_${live.random}_${live.time}`, duplicate: false, version: 0 };
      }
      // Media the message carries are held by it from before its append (services/media/references.ts).
      // An administrator's send (itself or on a user's behalf) holds every file it names.
      const sender = { id: from, admin: byAdmin };
      const reply = await holdingMedia(this.broker, app, c2cConversation(from, to), message.body, sender, () => this.conversation<SendReply>(app, from, to, { op: 'send', message, now }, ctx), (r) => r.seq);
      // A resend that was recognised was pushed the first time.
      if (!reply.duplicate) pushSent(this.broker, app, { ...message, seq: reply.seq, time: reply.time, clientSeq: message.clientSeq || reply.seq }, caller.instId);
      return reply;
    },
    async recall(this: MessagesService, app, from, to, msgKey, caller, ctx) {
      const limitSeconds = messageSettings(appDirectory(this.broker).get(app)?.settings ?? {}).recallSeconds;
      const command: C2CCommand = { op: 'recall', msgKey, by: caller.id, admin: caller.kind === 'admin', limitSeconds, now: Date.now() };
      const at = await this.conversation<Located>(app, from, to, command, ctx);
      const sender = at.from ?? from;
      pushRecall(this.broker, app, identityOf(msgKey, sender, sender === from ? to : from, at.clientTime), caller.id, caller.instId);
    },
    async markRead(this: MessagesService, app, reader, peer, caller, ctx) {
      const reply = await this.conversation<ReadReply>(app, reader, peer, { op: 'read', reader, now: Date.now() }, ctx);
      if (reply.changed) pushRead(this.broker, app, reader, peer, reply.readTime, caller.instId);
    },
    /** A command to the conversation of a and b; older messages come from the log (remembered.ts). */
    conversation(this: MessagesService, app, a, b, command, ctx) {
      const key = conversationKey(app, a, b);
      return askRemembering((c) => this.actorCall(key, c, ctx), runtimeOf(this.broker).store, app, a, b, command) as never;
    },
    async requireAccounts(this: MessagesService, app, ids, ctx) {
      const imported = await accountsOf(this.broker).importedAmong(app, ids, ctx);
      for (const [i, id] of ids.entries()) {
        if (imported.has(id)) continue;
        const last = i === ids.length - 1;
        throw new DomainError(last ? SEND_CODES.NO_RECEIVER : SEND_CODES.NO_SENDER, `${id} is not an imported account`);
      }
    },
    /** The app's after-callbacks, written to the outbox in the conversation's own transaction. */
    sideFeeds(this: MessagesService, key: string, events: C2CEvent[], _first: number, state: C2CState, command: C2CCommand) {
      const app = state.app;
      // A body is built only for a command the app enabled: an app with the before-send
      // callback alone paid ~10 µs per message for after-send bodies afterFeeds then dropped.
      // Offline push jobs go into the same transaction (services/push): a crash keeps both or neither.
      // A broadcast's jobs are written by its task, one append per batch (services/messages/broadcast.ts).
      const push = command.op === 'send' && command.bulkPush ? undefined : c2cPushFeeds(this.broker, state, events);
      const wants = callbackFilter(this.broker, app);
      if (!wants) return push;
      const conversation = `c2c:${key}`;
      const reports: AfterParams[] = [];
      for (const event of events) {
        if (event.type === MESSAGE_SENT) {
          const m = event.data;
          if (wants('C2C.CallbackAfterSendMsg')) reports.push(sendReport(app, conversation, m, unreadOf(state, m.to)));
        } else if (event.type === MESSAGE_RECALLED) {
          const from = event.data.from || (state.messages.get(event.data.msgKey)?.from ?? event.data.by);
          const to = state.users[0] === from ? state.users[1] : state.users[0];
          if (wants('C2C.CallbackAfterMsgWithDraw')) reports.push(recallReport(app, conversation, from, to, event.data.msgKey, unreadOf(state, to)));
        } else if (event.type === CONVERSATION_READ && wants('C2C.CallbackAfterMsgReport')) {
          const { reader, at } = event.data;
          reports.push(readReport(app, conversation, reader, state.users[0] === reader ? state.users[1] : state.users[0], at));
        }
      }
      return joinFeeds(reports.length > 0 ? afterFeeds(this.broker, reports) : undefined, push);
    },
    /** After the durable append: tell the bus what happened (the actions push to devices). */
    afterAppend(this: MessagesService, _key: string, events: C2CEvent[], _first: number, state: C2CState) {
      const app = state.app;
      const other = (user: string) => (state.users[0] === user ? state.users[1] : state.users[0]);
      for (const event of events) {
        if (event.type === MESSAGE_SENT) {
          this.broker.emit(BUS.C2C_SENT, { app, message: event.data } satisfies C2CSent);
        } else if (event.type === MESSAGE_RECALLED) {
          const { seq, msgKey, by, at } = event.data;
          const from = event.data.from || (state.messages.get(msgKey)?.from ?? by);
          this.broker.emit(BUS.C2C_RECALLED, { app, from, to: other(from), seq, msgKey, by, at } satisfies C2CRecalled);
        } else if (event.type === CONVERSATION_READ) {
          const { reader, seq, at } = event.data;
          this.broker.emit(BUS.C2C_READ, { app, reader, peer: other(reader), seq, at } satisfies C2CRead);
        } else if (event.type === MESSAGE_MODIFIED) {
          const { seq, msgKey, at } = event.data;
          this.broker.emit(BUS.C2C_MODIFIED, { app, users: [state.users[0], state.users[1]], seq, msgKey, at } satisfies C2CModified);
        }
      }
    },
  },
  started(this: MessagesService) {
    // Each app's sweep runs on the node that owns the key `retention:<app>`, so one node per app does it.
    this.sweeper = setInterval(() => {
      for (const app of appDirectory(this.broker).all()) {
        if (this.actorRouter.ownerOf(this.fullName, `retention:${app.sdkAppId}`) !== this.broker.nodeID) continue;
        void this.broker.call('messages.purgeExpired', { app: app.sdkAppId }, { nodeID: this.broker.nodeID }).catch((err) => this.logger.warn('retention sweep failed:', err));
      }
    }, runtimeOf(this.broker).config.retentionSweepSec * 1000);
    this.sweeper.unref();
  },
  stopped(this: MessagesService) {
    clearInterval(this.sweeper);
  },
};

export default messages;
