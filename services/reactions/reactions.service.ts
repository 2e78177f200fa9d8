/**
 * reactions — message reactions (emoji answers to a message). Only the read side is served yet:
 * the SDK's getMessageReactions and getAllUserListOfMessageReaction, which Tencent's UIKit asks
 * whenever a conversation opens, answer that no message has a reaction. Adding and removing
 * reactions (reaction_add / reaction_del and their group twins) are not served: they answer
 * Tencent's "unknown command" until reactions are stored (docs/conversations.md says why).
 * Tencent commands (SDK users): openim_msg_ext_http_svc/{reaction_multi_stat,
 * group_reaction_multi_stat, reaction_iterate, group_reaction_iterate}.
 * Emits nothing; consumes nothing.
 */
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { commandParams, type CommandParams } from '../commands/commands';

/** One-to-one commands answer with the C2C codes, group ones with the group codes. */
const C2C = { invalidCode: 90001, internalCode: 90994 } as const;
const GROUP = { invalidCode: 10004, internalCode: 10002 } as const;
const SVC = 'openim_msg_ext_http_svc';

const account = { type: 'string', max: 64, optional: true };
const count = { type: 'number', integer: true, min: 0, max: 1000, optional: true };
/** The SDK asks for the messages on screen; Tencent's getMessageReactions takes at most 20. */
const MAX_MESSAGES = 100;

interface C2CStatBody {
  MsgKeyList: string[];
}
interface GroupStatBody {
  MsgSeqList: number[];
}

const c2cStatBody = { From_Account: account, To_Account: account, MsgKeyList: { type: 'array', items: { type: 'string', max: 64 }, min: 1, max: MAX_MESSAGES }, Count: count };
const groupStatBody = {
  GroupId: { type: 'string', max: 64 },
  TopicId: { type: 'string', max: 128, optional: true },
  MsgSeqList: { type: 'array', items: { type: 'number', integer: true, min: 0 }, min: 1, max: MAX_MESSAGES },
  Count: count,
};
const iterateBody = { From_Account: account, To_Account: account, GroupId: { type: 'string', max: 64, optional: true }, MsgKey: { type: 'string', max: 64, optional: true }, MsgSeq: { type: 'number', integer: true, min: 0, optional: true }, NextSeq: count, Count: count };

/** No reactions yet: one empty summary per asked message (the SDK keys them by MsgKey or MsgSeq). */
const reactions: ServiceSchema<ServiceSettingSchema, Service> = {
  name: 'reactions',
  actions: {
    c2cStat: {
      tencent: { command: `${SVC}/reaction_multi_stat`, user: true, summary: 'Reactions of one-to-one messages (SDK getMessageReactions): none are stored yet', ...C2C },
      params: commandParams(c2cStatBody),
      handler: (ctx: Context<CommandParams<C2CStatBody>>) => ({ Results: [...new Set(ctx.params.body.MsgKeyList)].map((MsgKey) => ({ MsgKey, MsgReactionSummary: [] })) }),
    },
    groupStat: {
      tencent: { command: `${SVC}/group_reaction_multi_stat`, user: true, summary: 'Reactions of group messages (SDK getMessageReactions): none are stored yet', ...GROUP },
      params: commandParams(groupStatBody),
      handler: (ctx: Context<CommandParams<GroupStatBody>>) => ({ Results: [...new Set(ctx.params.body.MsgSeqList)].map((MsgSeq) => ({ MsgSeq, MsgReactionSummary: [] })) }),
    },
    c2cIterate: {
      tencent: { command: `${SVC}/reaction_iterate`, user: true, summary: 'Users of one reaction on a one-to-one message (SDK getAllUserListOfMessageReaction)', ...C2C },
      params: commandParams(iterateBody),
      handler: () => ({ Reaction_Account: [], NextSeq: 0 }),
    },
    groupIterate: {
      tencent: { command: `${SVC}/group_reaction_iterate`, user: true, summary: 'Users of one reaction on a group message (SDK getAllUserListOfMessageReaction)', ...GROUP },
      params: commandParams(iterateBody),
      handler: () => ({ Reaction_Account: [], NextSeq: 0 }),
    },
  },
};

export default reactions;
