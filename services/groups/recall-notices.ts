/**
 * batch_get_group_notify of group_open_http_svc: the recalls a device missed while it was away.
 * After a reconnect the web SDK asks it for each group conversation with no new message (those
 * with new messages it pulls by group_msg_get), at most 10 groups per request, from the time of its
 * last answer (0 after a login) to now, in microseconds [bundle: `getNotice`, `_genNotifyReqList`],
 * and marks the messages it holds recalled (MESSAGE_REVOKED). Answered from the recall notes each
 * group keeps (actors/group/recall-notes.ts): one actor call per group, nothing on the send path.
 */
import type { ActionSchema, Context } from 'moleculer';
import type { RecallNote, RecallNotesView } from '../../actors/group';
import type { CommandParams } from '../commands/commands';
import { tinyIdOf } from '../connector/identity';
import { groupCommand, whoOf } from './context';
import type { GroupsService } from './types';

/** One group's request, as the SDK's key map names it (notifyType 1 = recalls). */
interface NotifyReq {
  GroupId: string;
  NotifyType?: number;
  Limit?: number;
  BeginTime?: number;
  EndTime?: number;
}

/** A group's part of the reply. `NextMsgTime` must always be there: the SDK asks again for any value but 0. */
interface NotifyRsp {
  GroupId: string;
  ErrorCode: number;
  ErrorInfo: string;
  NextMsgTime: number;
  NotifyMsgList: object[];
}

export const NOTIFY_LIMIT = { groups: 50, perGroup: 100, defaultPerGroup: 20 } as const;

/**
 * The SDK's clock is the login reply's TimeStamp (whole seconds) plus its own, so its EndTime can
 * be up to a second behind the server's: a recall made in that second would be left out, and
 * never asked for again (the next BeginTime is the SDK's time of this answer). Microseconds.
 */
export const END_TIME_SLACK = 2_000_000;

const time = { type: 'number', min: 0, optional: true };
const notifyReq = {
  type: 'object',
  strict: 'remove',
  props: {
    GroupId: { type: 'string', min: 1, max: 128 },
    NotifyType: { type: 'number', integer: true, optional: true },
    Limit: { type: 'number', integer: true, min: 1, max: NOTIFY_LIMIT.perGroup, optional: true },
    BeginTime: time,
    EndTime: time,
  },
};

/** A recall as the SDK reads it: the message by sequence and random (its ID from TinyId and MsgClientTime), and who recalled it. */
export function recallNoticeItem(app: number, n: RecallNote): object {
  return { MsgSeq: n.seq, MsgRandom: n.random, MsgClientTime: n.clientTime, TinyId: tinyIdOf(app, n.from), RevokerInfo: { Revoker: n.by } };
}

/** One group's answer; a Tencent refusal (10010 no such group, 10007 not a member) stays in its item, as get_group_info does. */
async function notifyOf(svc: GroupsService, ctx: Context<CommandParams<{ NotifyReqList: NotifyReq[] }>>, req: NotifyReq): Promise<NotifyRsp> {
  const { app, caller } = ctx.params;
  const empty = { GroupId: req.GroupId, ErrorCode: 0, ErrorInfo: '', NextMsgTime: 0, NotifyMsgList: [] };
  // Recalls are the only notices Parley keeps; other kinds have none to give.
  if ((req.NotifyType ?? 1) !== 1) return empty;
  try {
    const command = { op: 'recallNotes' as const, viewer: whoOf(caller), from: Math.floor(req.BeginTime ?? 0), to: req.EndTime ? Math.floor(req.EndTime) + END_TIME_SLACK : 0, limit: req.Limit ?? NOTIFY_LIMIT.defaultPerGroup };
    const v = await svc.group<RecallNotesView>(app, req.GroupId, command, ctx);
    return { ...empty, NextMsgTime: v.next, NotifyMsgList: v.items.map((n) => recallNoticeItem(app, n)) };
  } catch (err) {
    const code = (err as { data?: { code?: number } }).data?.code;
    if (typeof code !== 'number') throw err;
    return { ...empty, ErrorCode: code, ErrorInfo: (err as Error).message };
  }
}

export const recallNoticeActions: Record<string, ActionSchema> = {
  batchGetGroupNotify: groupCommand(
    'group_open_http_svc/batch_get_group_notify',
    'Recalls of group messages since a time, for devices that were offline',
    { NotifyReqList: { type: 'array', min: 1, max: NOTIFY_LIMIT.groups, items: notifyReq } },
    async function (this: GroupsService, ctx: Context<CommandParams<{ NotifyReqList: NotifyReq[] }>>) {
      return { NotifyRspList: await Promise.all(ctx.params.body.NotifyReqList.map((r) => notifyOf(this, ctx, r))) };
    },
    true,
  ),
};
