/**
 * Read receipts of group messages: group_msg_receipt (a member receipts messages that asked for
 * it), get_group_msg_receipt (read and unread counts), get_group_msg_receipt_detail (who read, or
 * who did not, paged), for REST administrators and the SDK's sendMessageReadReceipt,
 * getMessageReadReceiptList and getGroupMessageReadMemberList. The rules are the group actor's
 * (actors/group/receipts.ts); the sender's new counts are pushed by the actor's host
 * (services/groups/wire.ts receiptPush).
 */
import type { ActionSchema, Context } from 'moleculer';
import { MAX_RECEIPT_SEQS, type ReceiptCount, type ReceiptDetail } from '../../actors/group';
import type { CommandParams } from '../commands/commands';
import { groupCommand, subject, whoOf } from './context';
import type { GroupsService } from './types';

interface ReceiptBody {
  GroupId: string;
  MsgSeqList?: { MsgSeq: number }[];
  /** REST: the member whose receipt an administrator reports (our reading; the SDK user reports their own). */
  Report_Account?: string;
  MsgSeq?: number;
  /** 0 who read, 1 who did not. */
  Flag?: number;
  Cursor?: string | number;
  Num?: number;
}

type Handler = (this: GroupsService, ctx: Context<CommandParams<ReceiptBody>>) => Promise<unknown>;

const groupId = { type: 'string', min: 1, max: 128 };
const seq = { type: 'number', integer: true, min: 1, max: Number.MAX_SAFE_INTEGER };
const seqList = { type: 'array', min: 1, max: MAX_RECEIPT_SEQS, items: { type: 'object', strict: 'remove', props: { MsgSeq: seq } } };
const command = (name: string, summary: string, body: Record<string, unknown>, handler: Handler) => groupCommand(`group_open_http_svc/${name}`, summary, body, handler, true);
const seqsOf = (body: ReceiptBody) => (body.MsgSeqList ?? []).map((m) => m.MsgSeq);

export const receiptActions: Record<string, ActionSchema> = {
  sendGroupReceipts: command('group_msg_receipt', 'Send read receipts for group messages', { GroupId: groupId, MsgSeqList: seqList, Report_Account: { type: 'string', min: 1, max: 64, optional: true } }, async function (ctx) {
    const { app, caller, body } = ctx.params;
    await this.group(app, body.GroupId, { op: 'receipt', by: whoOf(caller), user: subject(caller, body.Report_Account), seqs: seqsOf(body), now: Date.now() }, ctx);
    return {};
  }),
  getGroupReceipts: command('get_group_msg_receipt', 'Read and unread counts of group messages', { GroupId: groupId, MsgSeqList: seqList }, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const counts = await this.group<ReceiptCount[]>(app, body.GroupId, { op: 'viewReceipts', viewer: whoOf(caller), seqs: seqsOf(body) }, ctx);
    // The SDK keeps a count only where the item's `code` is 0, and renames no per-item error field to
    // it, so its items say `Code` (lower-cased on arrival); REST's say ErrorCode as everywhere else.
    const codeKey = caller.kind === 'user' ? 'Code' : 'ErrorCode';
    return { GroupMsgReceiptList: counts.map((c) => ({ MsgSeq: c.seq, ReadNum: c.read, UnreadNum: c.unread, [codeKey]: c.code })) };
  }),
  getGroupReceiptDetail: command('get_group_msg_receipt_detail', 'Members who read (or did not read) a group message', {
    GroupId: groupId,
    MsgSeq: seq,
    Flag: { type: 'number', integer: true, min: 0, max: 1, optional: true },
    Cursor: { type: 'multi', optional: true, rules: [{ type: 'string', max: 20 }, { type: 'number', integer: true, min: 0 }] },
    Num: { type: 'number', integer: true, min: 0, max: 100, optional: true },
  }, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const read = (body.Flag ?? 0) === 0;
    const cursor = Math.max(0, Number.parseInt(String(body.Cursor ?? '0'), 10) || 0);
    const count = !body.Num ? 100 : body.Num;
    const d = await this.group<ReceiptDetail>(app, body.GroupId, { op: 'receiptDetail', viewer: whoOf(caller), seq: body.MsgSeq ?? 0, read, cursor, count }, ctx);
    return {
      ReadList: read ? d.users.map((Read_Account) => ({ Read_Account })) : [],
      UnreadList: read ? [] : d.users.map((Unread_Account) => ({ Unread_Account })),
      Cursor: d.finished ? '' : String(d.next),
      IsFinish: d.finished ? 1 : 0,
    };
  }),
};
