/**
 * reactions — message reactions (emoji answers to a message) on one-to-one and group messages:
 * the SDK's addMessageReaction / removeMessageReaction, getMessageReactions and
 * getAllUserListOfMessageReaction. State: actor `reaction`, one per conversation (key
 * `<app>:c2c:<a>|<b>` or `<app>:group:<groupId>`; docs/conversations.md says why). Before a
 * change the message is checked where it lives (services/messages/client.ts for one-to-one, the
 * groups client for groups); after it, every device of the conversation's users gets
 * MsgReactionNotifyList and fires MESSAGE_REACTIONS_UPDATED (pushes.ts: in a group, through the
 * group's merging fan-out).
 * Tencent commands (SDK users and administrators): openim_msg_ext_http_svc/{reaction_add,
 * reaction_del, reaction_multi_stat, reaction_iterate} and their group_ twins.
 * Emits nothing on the bus; consumes nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { c2cReactionsKey, groupReactionsKey, reactionKind, type ReactionCommand, type ReactionEvent, type ReactionReply, type ReactionState, type ReactionSummary } from '../../actors/reaction';
import { DomainError } from '../../runtime/kind';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import { commandParams, type Caller, type CommandParams } from '../commands/commands';
import { groupsOf } from '../groups/client';
import { c2cReactionTarget } from '../messages/client';
import { pushC2C, pushGroup, type Change } from './pushes';
import * as wire from './wire';

type ReactionsService = ActorHostService<ReactionState, ReactionCommand, ReactionEvent, ReactionReply> & {
  change(ctx: Context, key: string, change: Omit<Change, 'after'>, push: (change: Change) => Promise<unknown>): Promise<object>;
};

/** A message's summaries in an answer keyed by message: own keys only, so a key such as `constructor` finds nothing inherited. */
const own = <T>(found: Record<string, T[]>, key: string): T[] => (Object.hasOwn(found, key) ? found[key] : []);

/** One-to-one commands answer with the C2C codes, group ones with the group codes. */
const C2C = { invalidCode: 90001, internalCode: 90994 } as const;
const GROUP = { invalidCode: 10004, internalCode: 10002 } as const;
const SVC = 'openim_msg_ext_http_svc';
const cmd = (name: string, summary: string, codes: typeof C2C | typeof GROUP) => ({ command: `${SVC}/${name}`, user: true, summary, ...codes });

/** Who reacts: the SDK user, or the account an administrator names in Add_Account / Del_Account. */
function actorOf(caller: Caller, named: string[] | undefined, invalid: number): string {
  if (caller.kind === 'user') {
    if (named && named[0] !== caller.id) throw new DomainError(invalid, 'a user reacts only for themself');
    return caller.id;
  }
  if (!named) throw new DomainError(invalid, 'name the reacting account in Add_Account or Del_Account');
  return named[0];
}

/** The one-to-one pair a user may read: they must be one of its two accounts. */
function pairOf(caller: Caller, from: string | undefined, to: string | undefined): [string, string] | undefined {
  if (!from || !to) return undefined;
  if (caller.kind === 'user' && caller.id !== from && caller.id !== to) return undefined;
  return [from, to];
}

/** Topics have no reactions yet (docs/conversations.md): their queries answer none, changes are refused. */
const noTopic = (topic: string | undefined) => {
  if (topic) throw new DomainError(GROUP.invalidCode, 'reactions on topic messages are not supported');
};

const reactions: ServiceSchema<ServiceSettingSchema, ReactionsService> = {
  name: 'reactions',
  mixins: [actorHostMixin(reactionKind)],
  actions: {
    c2cAdd: {
      tencent: cmd('reaction_add', 'Add a reaction to a one-to-one message (SDK addMessageReaction)', C2C),
      params: commandParams(wire.c2cOperationBody),
      handler(this: ReactionsService, ctx: Context<CommandParams<wire.C2COperationBody>>) {
        return c2cChange(this, ctx, 'add');
      },
    },
    c2cDel: {
      tencent: cmd('reaction_del', 'Remove a reaction from a one-to-one message (SDK removeMessageReaction)', C2C),
      params: commandParams(wire.c2cOperationBody),
      handler(this: ReactionsService, ctx: Context<CommandParams<wire.C2COperationBody>>) {
        return c2cChange(this, ctx, 'remove');
      },
    },
    groupAdd: {
      tencent: cmd('group_reaction_add', 'Add a reaction to a group message (SDK addMessageReaction)', GROUP),
      params: commandParams(wire.groupOperationBody),
      handler(this: ReactionsService, ctx: Context<CommandParams<wire.GroupOperationBody>>) {
        return groupChange(this, ctx, 'add');
      },
    },
    groupDel: {
      tencent: cmd('group_reaction_del', 'Remove a reaction from a group message (SDK removeMessageReaction)', GROUP),
      params: commandParams(wire.groupOperationBody),
      handler(this: ReactionsService, ctx: Context<CommandParams<wire.GroupOperationBody>>) {
        return groupChange(this, ctx, 'remove');
      },
    },
    c2cStat: {
      tencent: cmd('reaction_multi_stat', 'Reactions of one-to-one messages (SDK getMessageReactions)', C2C),
      params: commandParams(wire.c2cStatBody),
      async handler(this: ReactionsService, ctx: Context<CommandParams<wire.C2CStatBody>>) {
        const { app, caller, body } = ctx.params;
        const keys = [...new Set(body.MsgKeyList)];
        const pair = pairOf(caller, body.From_Account, body.To_Account);
        const found = pair ? await summaries(this, ctx, c2cReactionsKey(app, ...pair), keys, caller.kind === 'user' ? caller.id : '', body.Count) : {};
        return { Results: keys.map((MsgKey) => ({ MsgKey, MsgReactionSummary: own(found, MsgKey).map((s) => wire.summaryWire(s, true)) })) };
      },
    },
    groupStat: {
      tencent: cmd('group_reaction_multi_stat', 'Reactions of group messages (SDK getMessageReactions)', GROUP),
      params: commandParams(wire.groupStatBody),
      async handler(this: ReactionsService, ctx: Context<CommandParams<wire.GroupStatBody>>) {
        const { app, caller, body } = ctx.params;
        const seqs = [...new Set(body.MsgSeqList)];
        const readable = !body.TopicId && (await mayRead(this, ctx, app, caller, body.GroupId));
        const found = readable ? await summaries(this, ctx, groupReactionsKey(app, body.GroupId), seqs.map(String), caller.kind === 'user' ? caller.id : '', body.Count) : {};
        return { Results: seqs.map((MsgSeq) => ({ MsgSeq, MsgReactionSummary: own(found, String(MsgSeq)).map((s) => wire.summaryWire(s, true)) })) };
      },
    },
    c2cIterate: {
      tencent: cmd('reaction_iterate', 'Users of one reaction on a one-to-one message (SDK getAllUserListOfMessageReaction)', C2C),
      params: commandParams(wire.iterateBody),
      handler(this: ReactionsService, ctx: Context<CommandParams<wire.IterateBody>>) {
        const { app, caller, body } = ctx.params;
        const pair = pairOf(caller, body.From_Account, body.To_Account);
        return pair && body.MsgKey ? users(this, ctx, c2cReactionsKey(app, ...pair), body.MsgKey, body) : { Reaction_Account: [], NextSeq: 0 };
      },
    },
    groupIterate: {
      tencent: cmd('group_reaction_iterate', 'Users of one reaction on a group message (SDK getAllUserListOfMessageReaction)', GROUP),
      params: commandParams(wire.iterateBody),
      async handler(this: ReactionsService, ctx: Context<CommandParams<wire.IterateBody>>) {
        const { app, caller, body } = ctx.params;
        const ok = body.GroupId && body.MsgSeq && !body.TopicId && (await mayRead(this, ctx, app, caller, body.GroupId));
        return ok ? users(this, ctx, groupReactionsKey(app, body.GroupId as string), String(body.MsgSeq), body) : { Reaction_Account: [], NextSeq: 0 };
      },
    },
  },
  methods: {
    /** Store the change, then tell the conversation's devices, the acting user's too: its UI updates from the push. */
    async change(this: ReactionsService, ctx: Context, key: string, change: Omit<Change, 'after'>, push: (change: Change) => Promise<unknown>) {
      const after = (await this.actorCall(key, { ...change, now: Date.now() }, ctx)) as ReactionSummary[];
      push({ ...change, after }).catch((err: Error) => this.logger.warn(`reaction push failed: ${err.message}`));
      return {};
    },
  },
};

async function c2cChange(svc: ReactionsService, ctx: Context<CommandParams<wire.C2COperationBody>>, op: 'add' | 'remove') {
  const { app, caller, body } = ctx.params;
  const user = actorOf(caller, op === 'add' ? body.Add_Account : body.Del_Account, C2C.invalidCode);
  const pair = [body.From_Account, body.To_Account];
  // Only the two accounts of the conversation react to its messages (20022: no such message for them).
  if (!pair.includes(user)) throw new DomainError(20022, `${user} is not in the conversation of ${pair.join(' and ')}`);
  const target = await c2cReactionTarget(svc.broker, app, body.From_Account, body.To_Account, body.MsgKey);
  const pushed = { app, from: target.from, clientTime: target.clientTime, random: target.random, group: false };
  const change = { op, message: body.MsgKey, reaction: body.Reaction, user };
  return svc.change(ctx, c2cReactionsKey(app, body.From_Account, body.To_Account), change, (c) => pushC2C(svc.broker, pushed, c, pair));
}

async function groupChange(svc: ReactionsService, ctx: Context<CommandParams<wire.GroupOperationBody>>, op: 'add' | 'remove') {
  const { app, caller, body } = ctx.params;
  noTopic(body.TopicId);
  const user = actorOf(caller, op === 'add' ? body.Add_Account : body.Del_Account, GROUP.invalidCode);
  const target = await groupsOf(svc.broker).reactionTarget(app, body.GroupId, user, body.MsgSeq, ctx);
  const pushed = { app, from: target.from, clientTime: target.clientTime, random: target.random, group: true };
  const change = { op, message: String(body.MsgSeq), reaction: body.Reaction, user };
  return svc.change(ctx, groupReactionsKey(app, body.GroupId), change, (c) => pushGroup(svc.broker, pushed, body.GroupId, c, target.members));
}

/** A member reads a group's reactions; anyone else reads none (nothing leaks, nothing breaks a UI). */
async function mayRead(svc: ReactionsService, ctx: Context, app: number, caller: Caller, groupId: string): Promise<boolean> {
  if (caller.kind === 'admin') return true;
  return (await groupsOf(svc.broker).conversations(app, caller.id, ctx, [groupId])).length > 0;
}

async function summaries(svc: ReactionsService, ctx: Context, key: string, messages: string[], viewer: string, count: number | undefined) {
  const users = Math.min(count ?? 10, 10);
  return (await svc.actorCall(key, { op: 'summaries', messages, viewer, users }, ctx)) as Record<string, ReactionSummary[]>;
}

async function users(svc: ReactionsService, ctx: Context, key: string, message: string, body: wire.IterateBody) {
  if (!body.Reaction) return { Reaction_Account: [], NextSeq: 0 };
  const page = (await svc.actorCall(key, { op: 'users', message, reaction: body.Reaction, from: body.NextSeq ?? 0, count: Math.min(body.Count || 100, 100) }, ctx)) as { users: string[]; next: number };
  return { Reaction_Account: page.users, NextSeq: page.next };
}

export default reactions;
