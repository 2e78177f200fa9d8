/** Group message commands: send, notices, history, read marks, recall, import, deletion. */
import type { ActionSchema, Context } from 'moleculer';
import { groupStream, GROUP_CODES, type DeleteBySenderResult, type HistoryWindow, type SendResult } from '../../actors/group';
import { DomainError } from '../../runtime/kind';
import { groupSettings, messageSettings } from '../../actors/apps/settings/app-settings';
import { appDirectory } from '../apps/registry';
import { platformOf, viaOf, type CommandParams } from '../commands/commands';
import { fitting } from '../commands/reply-budget';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { callBefore } from '../webhooks/client';
import { conversationsOf } from '../conversations/client';
import { retentionFloor } from '../messages/client';
import type { GroupsService } from './types';
import * as b from './message-bodies';
import { GROUP_TENCENT, groupCommand, requireAccounts, subject, view, whoOf } from './context';
import { sendFields } from './convert';
import { readGroupHistory, sentBy, type HistoryItem, type HistoryPage } from './history';
import { senderProfile } from './senders';
import { refusalOf, reportSendException } from './send-exception';
import { onlineInRoom } from './rooms';
import { accountsOf, isMuted } from '../accounts/client';
import { groupMessageItem, tipHistoryItem, tipItem, type Profiles } from './wire';
import type { GroupType, TipBody } from '../../actors/group';
import { groupConversation, holdingMedia, messageRef, releaseMedia } from '../media/client';

/** A command's TopicId, when it names one (an empty TopicId is the community itself, as the SDK sends it). */
const topicOf = (body: { TopicId?: string }): { topicId?: string } => (body.TopicId ? { topicId: body.TopicId } : {});

type Handler<B> = (this: GroupsService, ctx: Context<CommandParams<B>>) => Promise<unknown>;

const command = <B>(name: string, summary: string, body: Record<string, unknown>, handler: Handler<B>, user = false): ActionSchema => groupCommand(name, summary, body, handler, user);

/** The per-node memory of group types, for webhook bodies (a type never changes). */
const types = new Map<string, GroupType>();

async function typeOfGroup(svc: GroupsService, app: number, groupId: string, ctx: Context): Promise<GroupType> {
  const key = `${app}:${groupId}`;
  let type = types.get(key);
  if (!type) {
    type = (await view(svc, app, groupId, ctx)).profile.type;
    if (types.size > 100_000) types.clear();
    types.set(key, type);
  }
  return type;
}

async function send(this: GroupsService, ctx: Context<CommandParams<b.SendBody>>) {
  const { app, caller, body } = ctx.params;
  const byAdmin = caller.kind === 'admin';
  const from = byAdmin ? (body.From_Account ?? caller.id) : caller.id;
  if (byAdmin && body.From_Account !== undefined) await requireAccounts(this, app, [from], ctx);
  const sender = await senderProfile(this, app, from, ctx);
  // The sender's global mute (openconfigsvr/setnospeaking), from the node's cache that the profile
  // read above fills: no hop of its own per message. The administrator sending as itself is exempt.
  if (!(byAdmin && from === caller.id) && isMuted(await accountsOf(this.broker).mutedUntil(app, from, ctx), 'group')) throw new DomainError(GROUP_CODES.MUTED, `${from} is muted for group messages`);
  let fields = sendFields(from, body, byAdmin, sender.nick, sender.faceUrl);
  const verdict = await callBefore(this.broker, {
    app,
    command: 'Group.CallbackBeforeSendMsg',
    body: { GroupId: body.GroupId, Type: await typeOfGroup(this, app, body.GroupId, ctx), From_Account: from, Operator_Account: caller.id, Random: body.Random, OnlineOnlyFlag: body.OnlineOnlyFlag ?? 0, MsgBody: body.MsgBody, CloudCustomData: body.CloudCustomData ?? '', TopicId: body.TopicId ?? '' },
    forbid: body.ForbidCallbackControl,
    platform: platformOf(caller),
    clientIp: caller.ip,
    requestId: ctx.requestID ?? undefined,
  });
  if (verdict.verdict === 'reject') throw new DomainError(verdict.code, verdict.info);
  if (verdict.verdict === 'drop') return { MsgTime: Math.floor(Date.now() / 1000), MsgSeq: 0, MsgDropReason: 'MsgDropByCallback' };
  if (verdict.replace) fields = sendFields(from, { ...body, MsgBody: verdict.replace.MsgBody ?? body.MsgBody, CloudCustomData: verdict.replace.CloudCustomData ?? body.CloudCustomData }, byAdmin, sender.nick, sender.faceUrl);
  const failed = (code: number, info: string) => {
    const sent = { GroupId: body.GroupId, Type: types.get(`${app}:${body.GroupId}`) ?? '', From_Account: from, Operator_Account: caller.id, Random: body.Random, OnlineOnlyFlag: body.OnlineOnlyFlag ?? 0, MsgBody: body.MsgBody, CloudCustomData: body.CloudCustomData ?? '' };
    reportSendException(this.broker, app, sent, code, info, viaOf(caller));
  };
  const sent = () => this.group<SendResult>(app, body.GroupId, { op: 'send', by: whoOf(caller), message: fields, onlineOnly: body.OnlineOnlyFlag === 1, now: Date.now(), ...topicOf(body) }, ctx);
  // Media the message carries are held by it from before its append (services/media/references.ts).
  const result = await holdingMedia(this.broker, app, groupConversation(body.GroupId, body.TopicId), fields.body, { id: from, admin: byAdmin }, sent, (r) => (r.dropped ? 0 : r.seq)).catch((err: unknown) => {
    const refused = refusalOf(err);
    if (refused) failed(refused.code, refused.info);
    throw err;
  });
  if (result.dropped) failed(GROUP_CODES.FREQUENCY, 'dropped by frequency control');
  return { MsgTime: result.time, MsgSeq: result.seq, ...(result.dropped ? { MsgDropReason: 'MsgFreqCtrl' } : {}) };
}

async function page(svc: GroupsService, ctx: Context<CommandParams<b.HistoryBody>>, count: number) {
  const { app, caller, body } = ctx.params;
  const viewer = whoOf(caller);
  const window = await svc.group<HistoryWindow>(app, body.GroupId, { op: 'locate', viewer, seq: body.ReqMsgSeq || Number.MAX_SAFE_INTEGER, ...topicOf(body) }, ctx);
  const type = await typeOfGroup(svc, app, body.GroupId, ctx);
  const reader = caller.kind === 'user' ? caller.id : undefined;
  // A member who cleared their history of the group (recentcontact clear_msg) sees nothing up to that mark.
  if (reader !== undefined && !body.TopicId) window.floor = Math.max(window.floor, (await conversationsOf(svc.broker).groupClearedUpTo(app, reader, body.GroupId, ctx)) + 1);
  // Nothing older than the app's roaming period, whether or not the retention sweep erased it yet.
  const oldest = retentionFloor(messageSettings(appDirectory(svc.broker).get(app)?.settings ?? {}).roamingDays);
  window.since = Math.max(window.since ?? oldest, oldest);
  const history = await readGroupHistory(runtimeOf(svc.broker).store, groupStream(app, body.GroupId), window, count, body.WithRecalledMsg === 1 || caller.kind === 'user', reader);
  return { history, type };
}

/**
 * A page's items as sent (`built`, one per history item, newest first), at most
 * REPLY_BUDGET_BYTES of them: when the oldest do not fit, the page is not finished and the next
 * one starts below the oldest sent.
 */
function bounded<T>(history: HistoryPage, built: T[]): { items: T[]; complete: boolean; next: number } {
  const items = fitting(built);
  if (items.length === built.length) return { items, complete: history.complete, next: history.next };
  const oldest = history.items[items.length - 1];
  return { items, complete: false, next: (oldest.kind === 'tip' ? oldest.tip.seq : oldest.message.seq) - 1 };
}

/** Nicks and faces of the accounts the page's tips name (at most TIP_NAMES; senders' cache). */
async function tipProfiles(svc: GroupsService, app: number, items: HistoryItem[], ctx: Context): Promise<Profiles> {
  const names = new Set<string>();
  for (const i of items) {
    if (i.kind !== 'tip') continue;
    const tip = JSON.parse(i.tip.tip) as TipBody;
    for (const u of [tip.by, ...tip.users]) if (names.size < TIP_NAMES) names.add(u);
  }
  const found = await Promise.all([...names].map(async (u) => [u, await senderProfile(svc, app, u, ctx)] as const));
  return new Map(found);
}

const TIP_NAMES = 200;

/**
 * What a recalled message carries in the SDK's history instead of its content: the SDK drops an
 * item without elements ("emptyMessageBody") [bundle: `emptyMessageBody`], so a device that logs
 * in after a recall would lose the message instead of showing it recalled (IsPlaceMsg 2 → isRevoked).
 */
const RECALLED_BODY = [{ MsgType: 'TIMTextElem', MsgContent: { Text: '' } }];

function sdkItem(app: number, groupId: string, type: GroupType, i: HistoryItem, profiles: Profiles, topicId?: string) {
  if (i.kind === 'message') {
    const place = i.deleted ? 1 : i.recalled ? 2 : 0;
    const item = groupMessageItem(app, groupId, type, i.message, place, false, topicId);
    return { ...item, ...(place === 2 ? { MsgBody: RECALLED_BODY } : {}), ...(i.version ? { MsgVersion: i.version } : {}) };
  }
  return tipHistoryItem(app, groupId, type, i.tip, profiles);
}

function restItem(groupId: string, type: GroupType, i: HistoryItem, profiles: Profiles) {
  if (i.kind === 'tip') {
    const body = tipItem(groupId, type, i.tip.seq, i.tip.time, JSON.parse(i.tip.tip) as TipBody, profiles).MsgBody;
    return { From_Account: i.tip.by, IsPlaceMsg: 0, IsSystemMsg: 1, MsgBody: [{ MsgType: 'TIMGroupTipElem', MsgContent: body }], MsgPriority: 2, MsgRandom: i.tip.seq, MsgSeq: i.tip.seq, MsgTimeStamp: i.tip.time, MsgKey: '' };
  }
  const m = i.message;
  const place = i.deleted ? 1 : i.recalled ? 2 : 0;
  return {
    From_Account: m.from,
    IsPlaceMsg: place,
    IsSystemMsg: 0,
    MsgBody: place ? [] : JSON.parse(m.body),
    CloudCustomData: place ? '' : m.cloudCustomData,
    MsgPriority: m.priority,
    MsgRandom: m.random,
    MsgSeq: m.seq,
    MsgTimeStamp: m.time,
    MsgKey: `${m.seq}_${m.random}_${m.time}`,
  };
}

/**
 * Every message of a sender: the actor deletes what its window remembers and asks for the older
 * range, which is read from the log here (history.ts sentBy) and handed back. Messages keep
 * arriving meanwhile, so the window may move under the read; the actor then asks for the gap,
 * a few messages at most.
 */
async function deleteBySender(this: GroupsService, ctx: Context<CommandParams<b.BySenderBody>>) {
  const { app, caller, body } = ctx.params;
  const store = runtimeOf(this.broker).store;
  const older: number[] = [];
  let scannedBelow = 1;
  for (let round = 0; round < 20; round++) {
    const command = { op: 'deleteBySender' as const, by: whoOf(caller), sender: body.Sender_Account, now: Date.now(), older, scannedBelow, ...topicOf(body) };
    const result = await this.group<DeleteBySenderResult>(app, body.GroupId, command, ctx);
    if (!result.scan) {
      // Erased messages let go of their media, as recalled ones do.
      const conversation = groupConversation(body.GroupId, body.TopicId);
      void releaseMedia(this.broker, app, (result.seqs ?? []).map((seq) => messageRef(conversation, seq)), 'erased');
      return {};
    }
    older.push(...(await sentBy(store, groupStream(app, body.GroupId), body.Sender_Account, result.scan.fromSeq, result.scan.beforeVersion)));
    scannedBelow = result.scan.toSeq;
  }
  throw new DomainError(GROUP_TENCENT.internalCode, 'the group moved on faster than its history could be read; try again');
}

export const messageActions: Record<string, ActionSchema> = {
  sendMessage: command<b.SendBody>('group_open_http_svc/send_group_msg', 'Send a message to a group', b.sendBody, send, true),
  systemNotice: command<b.NoticeBody>('group_open_http_svc/send_group_system_notification', 'A system notice to online members', b.noticeBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    await this.group(app, body.GroupId, { op: 'systemNotice', by: whoOf(caller), to: body.ToMembers_Account ?? [], content: body.Content, now: Date.now(), ...topicOf(body) }, ctx);
    return {};
  }),
  recall: command<b.RecallBody>('group_open_http_svc/group_msg_recall', 'Recall group messages', b.recallBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const limitSeconds = groupSettings(appDirectory(this.broker).get(app)?.settings ?? {}).recallSeconds;
    const seqs = body.MsgSeqList.map((s) => s.MsgSeq);
    const results = await this.group<{ seq: number; code: number }[]>(app, body.GroupId, { op: 'recall', by: whoOf(caller), seqs, limitSeconds, now: Date.now(), ...topicOf(body) }, ctx);
    // Recalled messages let go of their media (a lost release keeps them until the roaming period ends).
    const conversation = groupConversation(body.GroupId, body.TopicId);
    void releaseMedia(this.broker, app, results.filter((r) => r.code === 0).map((r) => messageRef(conversation, r.seq)), 'recalled');
    return { RecallRetList: results.map((r) => ({ MsgSeq: r.seq, RetCode: r.code })) };
  }, true),
  historySimple: command<b.HistoryBody>('group_open_http_svc/group_msg_get_simple', 'Page the history of a group', b.historyBody(20), async function (ctx) {
    const { history, type } = await page(this, ctx, ctx.params.body.ReqMsgNumber);
    const groupId = ctx.params.body.GroupId;
    const profiles = await tipProfiles(this, ctx.params.app, history.items, ctx);
    const sent = bounded(history, history.items.map((i) => restItem(groupId, type, i, profiles)));
    return { GroupId: groupId, IsFinished: sent.complete ? 1 : 0, RspMsgList: sent.items };
  }),
  history: command<b.HistoryBody>('group_open_http_svc/group_msg_get', "The SDK's history of a group, by sequence", b.historyBody(100), async function (ctx) {
    const { app, body } = ctx.params;
    const { history, type } = await page(this, ctx, body.ReqMsgNumber);
    const profiles = await tipProfiles(this, app, history.items, ctx);
    const sent = bounded(history, history.items.map((i) => sdkItem(app, body.GroupId, type, i, profiles, body.TopicId || undefined)));
    // The SDK takes the list newest first and stops when IsFinished is 2 or NextReqMsgSeq < 1.
    return { GroupId: body.GroupId, RspMsgList: sent.items, NextReqMsgSeq: sent.next, IsFinished: sent.complete ? 2 : 0, ...(history.invisible.length > 0 ? { InvisibleMsgSeq: history.invisible } : {}) };
  }, true),
  readReport: command<b.ReadBody>('group_open_http_svc/msg_read_report', 'Mark a group read up to a sequence', b.readBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    await this.group(app, body.GroupId, { op: 'read', user: subject(caller, body.Report_Account), seq: body.MsgReadedSeq, now: Date.now(), ...topicOf(body) }, ctx);
    return {};
  }, true),
  setUnread: command<b.UnreadBody>('group_open_http_svc/set_unread_msg_num', "Set a member's unread count", b.unreadBody, async function (ctx) {
    const { app, body } = ctx.params;
    await this.group(app, body.GroupId, { op: 'setUnread', user: body.Member_Account, unread: body.UnreadMsgNum, now: Date.now() }, ctx);
    return {};
  }),
  deleteBySender: command<b.BySenderBody>('group_open_http_svc/delete_group_msg_by_sender', "Delete a sender's messages from a group's history", b.bySenderBody, deleteBySender),
  importMessages: command<b.ImportMsgBody>('group_open_http_svc/import_group_msg', 'Import messages into a group with their old times', b.importMsgBody, async function (ctx) {
    const { app, body } = ctx.params;
    await requireAccounts(this, app, body.MsgList.map((m) => m.From_Account), ctx);
    const sorted = [...body.MsgList].sort((x, y) => x.SendTime - y.SendTime);
    const messages = sorted.map((m) => ({ ...sendFields(m.From_Account, { GroupId: body.GroupId, Random: m.Random ?? Math.floor(Math.random() * 0xffffffff), MsgBody: m.MsgBody, CloudCustomData: m.CloudCustomData }, true), time: m.SendTime }));
    const imported = () => this.group<{ seq: number; time: number; code: number }[]>(app, body.GroupId, { op: 'importMessages', messages, now: Date.now(), ...topicOf(body) }, ctx);
    const results = await holdingMedia(this.broker, app, groupConversation(body.GroupId, body.TopicId), messages.map((m) => m.body).join('\n'), { id: ctx.params.caller.id, admin: true }, imported, () => undefined);
    return { ImportMsgResult: results.map((r) => ({ MsgSeq: r.seq, MsgTime: r.time, Result: r.code })) };
  }),
  onlineMembers: command<b.GroupBody>('group_open_http_svc/get_online_member_num', 'How many members are online', b.groupBody, async function (ctx) {
    const { app, body } = ctx.params;
    const v = await view(this, app, body.GroupId, ctx, { id: '', admin: true });
    // A live room's members are whoever is in it: the gateway nodes count them (groups/rooms.ts).
    if (v.profile.type === 'AVChatRoom') return { OnlineMemberNum: await onlineInRoom(this.broker, app, body.GroupId) };
    const users = v.members.map(([u]) => u);
    let online = 0;
    for (let i = 0; i < users.length; i += 500) {
      const found = await ctx.call<Record<string, { status: string }[]>, object>('presence.query', { app, users: users.slice(i, i + 500) });
      online += Object.values(found).filter((devices) => devices.some((d) => d.status === 'Online')).length;
    }
    return { OnlineMemberNum: online };
  }, true),
};
