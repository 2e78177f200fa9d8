/**
 * extensions — key-value extensions of one-to-one and group messages sent with
 * SupportMessageExtension: the SDK's setMessageExtensions / getMessageExtensions /
 * deleteMessageExtensions and the REST commands behind them. State: actor `extension`, one per
 * conversation (key `<app>:c2c:<a>|<b>` or `<app>:group:<groupId>`, as reactions; docs/conversations.md
 * says why). Before a change or a read the message is checked where it lives (the messages client
 * for one-to-one, the groups client for groups); after a change every device of the conversation's
 * users gets MsgExtensionNotify.
 * Tencent commands (SDK users and administrators): openim_msg_ext_http_svc/{set_key_values,
 * get_key_values, group_set_key_values, group_get_key_values}.
 * Emits nothing on the bus; consumes nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { c2cExtensionsKey, extensionKind, groupExtensionsKey, type ChangeReply, type ExtensionCommand, type ExtensionEvent, type ExtensionReply, type ExtensionState, type FetchReply } from '../../actors/extension';
import { DomainError } from '../../runtime/kind';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import { commandParams, type Caller, type CommandParams } from '../commands/commands';
import { deliverToUsers } from '../connector/delivery';
import { PUSH_SERVCMD } from '../connector/replies';
import { groupsOf } from '../groups/client';
import { c2cExtensionTarget } from '../messages/client';
import * as wire from './wire';

type ExtensionsService = ActorHostService<ExtensionState, ExtensionCommand, ExtensionEvent, ExtensionReply>;

/** One-to-one commands answer with the C2C codes, group ones with the group codes. */
const C2C = { invalidCode: 90001, internalCode: 90994 } as const;
const GROUP = { invalidCode: 10004, internalCode: 10002 } as const;
const SVC = 'openim_msg_ext_http_svc';
const cmd = (name: string, summary: string, codes: typeof C2C | typeof GROUP) => ({ command: `${SVC}/${name}`, user: true, summary, ...codes });

/** Where a message's extensions live, who is told of a change, and how the SDK names the message. */
interface Target {
  key: string;
  message: string;
  pushed: wire.PushedMessage;
  to: string[];
}

const extensions: ServiceSchema<ServiceSettingSchema, ExtensionsService> = {
  name: 'extensions',
  mixins: [actorHostMixin(extensionKind)],
  actions: {
    c2cSet: {
      tencent: cmd('set_key_values', 'Set, delete or clear extensions of a one-to-one message (SDK setMessageExtensions, deleteMessageExtensions)', C2C),
      params: commandParams(wire.c2cSetBody),
      async handler(this: ExtensionsService, ctx: Context<CommandParams<wire.C2CSetBody>>) {
        const { app, caller, body } = ctx.params;
        checkList(body.OperateType, body.ExtensionList, C2C.invalidCode);
        return change(this, ctx, caller, await c2cTarget(this, app, caller, body), body.OperateType, body.ExtensionList ?? []);
      },
    },
    c2cGet: {
      tencent: cmd('get_key_values', 'Extensions of a one-to-one message (SDK getMessageExtensions)', C2C),
      params: commandParams(wire.c2cGetBody),
      async handler(this: ExtensionsService, ctx: Context<CommandParams<wire.C2CGetBody>>) {
        const { app, caller, body } = ctx.params;
        return fetch(this, ctx, await c2cTarget(this, app, caller, body), body.startSeq ?? body.StartSeq ?? 0);
      },
    },
    groupSet: {
      tencent: cmd('group_set_key_values', 'Set, delete or clear extensions of a group message (SDK setMessageExtensions, deleteMessageExtensions)', GROUP),
      params: commandParams(wire.groupSetBody),
      async handler(this: ExtensionsService, ctx: Context<CommandParams<wire.GroupSetBody>>) {
        const { app, caller, body } = ctx.params;
        checkList(body.OperateType, body.ExtensionList, GROUP.invalidCode);
        return change(this, ctx, caller, await groupTarget(this, ctx, app, caller, body), body.OperateType, body.ExtensionList ?? []);
      },
    },
    groupGet: {
      tencent: cmd('group_get_key_values', 'Extensions of a group message (SDK getMessageExtensions)', GROUP),
      params: commandParams(wire.groupGetBody),
      async handler(this: ExtensionsService, ctx: Context<CommandParams<wire.GroupGetBody>>) {
        const { app, caller, body } = ctx.params;
        return fetch(this, ctx, await groupTarget(this, ctx, app, caller, body), body.startSeq ?? body.StartSeq ?? 0);
      },
    },
  },
};

/** Set and delete name 1–20 keys within Tencent's byte bounds; a clearing names none. */
function checkList(op: number, list: wire.WireKeyValue[] | undefined, invalid: number) {
  if (op !== 3 && (!list || list.length === 0)) throw new DomainError(invalid, 'ExtensionList names no key');
  if (list && !wire.withinBytes(list)) throw new DomainError(invalid, 'an extension key is at most 100 bytes, a value at most 1 KB');
  if (op === 1 && list?.some((i) => !i.Value)) throw new DomainError(invalid, 'an extension value may not be empty');
}

/** The pair's message, for one of its two accounts or an administrator (20022 for anyone else). */
async function c2cTarget(svc: ExtensionsService, app: number, caller: Caller, body: { From_Account: string; To_Account: string; MsgKey: string }): Promise<Target> {
  const pair = [body.From_Account, body.To_Account];
  if (caller.kind === 'user' && !pair.includes(caller.id)) throw new DomainError(20022, `${caller.id} is not in the conversation of ${pair.join(' and ')}`);
  const t = await c2cExtensionTarget(svc.broker, app, body.From_Account, body.To_Account, body.MsgKey);
  if (!t.supportExtension) throw new DomainError(C2C.invalidCode, `message ${body.MsgKey} was not sent with SupportMessageExtension`);
  return { key: c2cExtensionsKey(app, body.From_Account, body.To_Account), message: body.MsgKey, pushed: { app, from: t.from, clientTime: t.clientTime, random: t.random, group: false }, to: pair };
}

/** A group message a member may see (10007, 10010, 10030 otherwise); topics take no extensions yet. */
async function groupTarget(svc: ExtensionsService, ctx: Context, app: number, caller: Caller, body: { GroupId: string; TopicId?: string; MsgSeq: number }): Promise<Target> {
  if (body.TopicId) throw new DomainError(GROUP.invalidCode, 'extensions on topic messages are not supported');
  const t = await groupsOf(svc.broker).reactionTarget(app, body.GroupId, caller.id, body.MsgSeq, ctx, caller.kind === 'admin');
  if (!t.supportExtension) throw new DomainError(GROUP.invalidCode, `message ${body.MsgSeq} was not sent with SupportMessageExtension`);
  return { key: groupExtensionsKey(app, body.GroupId), message: String(body.MsgSeq), pushed: { app, from: t.from, clientTime: t.clientTime, random: t.random, group: true }, to: t.members };
}

/** Store the change, then tell every device of the conversation's users, the acting one too (a clearing reaches the SDK's cache only by the push). */
async function change(svc: ExtensionsService, ctx: Context, caller: Caller, t: Target, op: number, list: wire.WireKeyValue[]) {
  const items = list.map((i) => ({ key: i.Key, value: i.Value ?? '', seq: i.Seq ?? 0 }));
  const by = caller.kind === 'user' ? caller.id : '';
  const command: ExtensionCommand = op === 3 ? { op: 'clear', message: t.message, by, now: Date.now() } : { op: op === 1 ? 'set' : 'delete', message: t.message, items, by, now: Date.now() };
  const reply = (await svc.actorCall(t.key, command, ctx)) as ChangeReply;
  if (op === 3 || reply.changed.length > 0) {
    const push = wire.extensionPush(t.pushed, op as 1 | 2 | 3, reply.changed, reply.seq, reply.clearSeq);
    deliverToUsers(svc.broker, t.pushed.app, t.to.map((userId) => ({ userId })), PUSH_SERVCMD, push).catch((err: Error) => svc.logger.warn(`extension push failed: ${err.message}`));
  }
  return wire.changeReply(reply);
}

async function fetch(svc: ExtensionsService, ctx: Context, t: Target, from: number) {
  return wire.fetchReply((await svc.actorCall(t.key, { op: 'fetch', message: t.message, from }, ctx)) as FetchReply);
}

export default extensions;
