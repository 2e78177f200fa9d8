/**
 * The app administrator's changes to a group's stored history: modify_group_msg (Tencent serves it
 * as openim/modify_group_msg; the group service's name is taken too) and clear_group_msg. The rules
 * are the group actor's (actors/group/message-edits.ts); both are events of the group, so they
 * hold after a restart, and history pages apply them as they read (history.ts). With TopicId the
 * message is a topic's, filed in the community's stream under the topic's slot.
 */
import { Errors, type ActionSchema, type Context } from 'moleculer';
import { DOMAIN_REFUSED } from '../../runtime/moleculer/errors';
import { groupStream, MESSAGE_MODIFIED, MESSAGE_SENT, TOPIC_MESSAGE_MODIFIED, TOPIC_MESSAGE_SENT, topicKey, type HistoryWindow } from '../../actors/group';
import { EDIT_RACE } from '../../actors/group/message-edits';
import { DomainError } from '../../runtime/kind';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import type { EventLog } from '../../runtime/eventlog';
import type { CommandParams } from '../commands/commands';
import { cloudCustomDataRule, validateMsgBody } from '../messages/elements';
import { groupId, int, str } from './bodies';
import { GROUP_TENCENT, groupCommand, whoOf } from './context';
import type { GroupsService } from './types';

export interface ModifyBody {
  GroupId: string;
  MsgSeq: number;
  MsgBody?: unknown;
  CloudCustomData?: string;
  /** The SDK's modifyMessage: the topic of a topic message, and the version its copy was edited from. */
  TopicId?: string;
  MsgVersion?: number;
}
export const modifyBody = {
  GroupId: groupId,
  MsgSeq: int(1, Number.MAX_SAFE_INTEGER, false),
  MsgBody: { type: 'any', optional: true },
  CloudCustomData: cloudCustomDataRule,
  TopicId: str(96),
  MsgVersion: int(0, Number.MAX_SAFE_INTEGER),
};

/** The SDK's modify conflict: its copy is behind the stored version (docs/sdk-protocol.md §18). */
const MODIFY_CONFLICT = 20027;

export interface ClearBody {
  GroupId: string;
  MsgSeq?: number;
}
export const clearBody = { GroupId: groupId, MsgSeq: int(1, Number.MAX_SAFE_INTEGER) };

/**
 * Where a message and its modifications are filed: the group's `seq` index, or for a topic's
 * message the community's `tkey` index under the topic's slot (TopicMessageSent.key).
 */
interface Filing {
  index: 'seq' | 'tkey';
  key: number;
  sent: string;
  modified: string;
}

/** A message's content now: its newest modification, else what was sent; and how many modifications. */
async function currentContent(log: EventLog, stream: string, at: Filing): Promise<{ body: string; cloudCustomData: string; edits: number } | undefined> {
  let newest: { body: string; cloudCustomData: string } | undefined;
  let edits = 0;
  for (const e of await log.readIndex(stream, { index: at.index, high: at.key, low: at.key, limit: 1000 })) {
    const data = e.data as { body: string; cloudCustomData: string };
    if (e.type === at.modified) {
      edits++;
      newest ??= data;
    } else if (e.type === at.sent) return { ...(newest ?? data), edits };
  }
  return undefined;
}

/** The filing of the message a request names; a topic's slot comes from the community (10010 for a topic it does not hold). */
async function filingOf(svc: GroupsService, ctx: Context<CommandParams<ModifyBody>>): Promise<Filing> {
  const { app, caller, body } = ctx.params;
  if (!body.TopicId) return { index: 'seq', key: body.MsgSeq, sent: MESSAGE_SENT, modified: MESSAGE_MODIFIED };
  const w = await svc.group<HistoryWindow>(app, body.GroupId, { op: 'locate', viewer: whoOf(caller), seq: body.MsgSeq, topicId: body.TopicId }, ctx);
  return { index: 'tkey', key: topicKey(w.slot ?? 0, body.MsgSeq), sent: TOPIC_MESSAGE_SENT, modified: TOPIC_MESSAGE_MODIFIED };
}

/** Reads, merges and hands over; a modification that raced another reads again (EDIT_RACE). */
async function modify(this: GroupsService, ctx: Context<CommandParams<ModifyBody>>) {
  const { app, caller, body } = ctx.params;
  if (body.MsgBody === undefined && body.CloudCustomData === undefined) throw new DomainError(GROUP_TENCENT.invalidCode, 'nothing to modify: give MsgBody or CloudCustomData');
  const log = runtimeOf(this.broker).store;
  const filing = await filingOf(this, ctx);
  for (let attempt = 0; ; attempt++) {
    const now = await currentContent(log, groupStream(app, body.GroupId), filing);
    if (now && body.MsgVersion !== undefined && body.MsgVersion !== now.edits) throw staleCopy(now);
    const cloudCustomData = body.CloudCustomData ?? now?.cloudCustomData ?? '';
    // The same bounds as a send: elements in Tencent's shapes, body and data within 12 KB together.
    const stored = body.MsgBody !== undefined ? validateMsgBody(body.MsgBody, cloudCustomData) : (now?.body ?? '[]');
    if (body.MsgBody === undefined) validateMsgBody(JSON.parse(stored), cloudCustomData);
    try {
      // A message the log does not hold goes to the actor too: it answers 10010 or 10030 by its own rules.
      await this.group(app, body.GroupId, { op: 'modifyMessage', by: whoOf(caller), seq: body.MsgSeq, body: stored, cloudCustomData, edits: now?.edits ?? -1, now: Date.now(), ...(body.TopicId ? { topicId: body.TopicId } : {}) }, ctx);
      // The SDK takes the message's new content and version from the answer (REST ignores them).
      return { MsgBody: JSON.parse(stored) as unknown, CloudCustomData: cloudCustomData, MsgVersion: (now?.edits ?? 0) + 1 };
    } catch (err) {
      if ((err as { data?: { code?: number } }).data?.code !== EDIT_RACE || attempt >= 3 || !now) throw err;
    }
  }
}

/** 20027 with the message as it is now: the SDK answers MSG_MODIFY_CONFLICT with it and updates its copy. */
function staleCopy(now: { body: string; cloudCustomData: string; edits: number }) {
  const extra = { MsgBody: JSON.parse(now.body) as unknown, CloudCustomData: now.cloudCustomData, MsgVersion: now.edits };
  return new Errors.MoleculerClientError(`the message is at version ${now.edits}`, 422, DOMAIN_REFUSED, { code: MODIFY_CONFLICT, extra });
}

// user: the SDK's modifyMessage on a group message sends this command too (the actor lets a sender edit their own).
const modifyAction = groupCommand('openim/modify_group_msg', "Replace a stored group message's MsgBody or CloudCustomData", modifyBody, modify, true);

export const messageEditActions: Record<string, ActionSchema> = {
  modifyMessage: { ...modifyAction, tencent: { ...(modifyAction as { tencent: object }).tencent, aliases: ['group_open_http_svc/modify_group_msg'] } } as ActionSchema,
  clearHistory: groupCommand('group_open_http_svc/clear_group_msg', "Hide a group's history up to MsgSeq (all without) from its members", clearBody, async function (this: GroupsService, ctx: Context<CommandParams<ClearBody>>) {
    const { app, caller, body } = ctx.params;
    await this.group(app, body.GroupId, { op: 'clearHistory', by: whoOf(caller), upToSeq: body.MsgSeq, now: Date.now() }, ctx);
    return {};
  }),
};
