/**
 * friends — the relationship chain: friends, friend groups, friend requests, blocklist.
 * Tencent commands (REST administrators and SDK users alike): sns/friend_get,
 * sns/black_list_get, sns/group_get, sns/pendency_get.
 *
 * No command creates a friend edge, a request or a block yet, so every user's chain is empty
 * and these answers say so with complete paging (CompleteFlag 1, StartIndex 0): the SDK asks
 * for the next page until they do. The relationship actor, when it comes, fills them.
 * Emits nothing; consumes nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema, Service } from 'moleculer';
import { subjectOf } from './lib/caller';
import { commandParams, type CommandParams } from './rest/commands';

/** Relationship-chain codes: 30001 bad params, 30006 internal. */
const sns = { invalidCode: 30001, internalCode: 30006, display: true, user: true } as const;

const from = { From_Account: { type: 'string', optional: true } };
const index = { type: 'number', integer: true, min: 0, optional: true };

interface FromBody {
  From_Account?: string;
  StartIndex?: number;
}

/** Every friend edge, request and block of a user; none can exist yet. */
const chainOf = (_app: number, _userId: string) => ({ friends: [] as object[], blocked: [] as object[], groups: [] as object[], pending: [] as object[] });

const friends: ServiceSchema<ServiceSettingSchema, Service> = {
  name: 'friends',
  actions: {
    friendGet: {
      tencent: { command: 'sns/friend_get', summary: 'Friends of an account, paged', ...sns },
      params: commandParams({ ...from, StartIndex: index, StandardSequence: index, CustomSequence: index }),
      handler(ctx: Context<CommandParams<FromBody>>) {
        const { friends: list } = chainOf(ctx.params.app, subjectOf(ctx.params.caller, ctx.params.body.From_Account, sns.invalidCode));
        return { UserDataItem: list, FriendNum: list.length, NextStartIndex: 0, StandardSequence: 0, CustomSequence: 0, CompleteFlag: 1 };
      },
    },
    blacklistGet: {
      tencent: { command: 'sns/black_list_get', summary: 'Blocklist of an account, paged', ...sns },
      params: commandParams({ ...from, StartIndex: index, MaxLimited: index, LastSequence: index }),
      handler(ctx: Context<CommandParams<FromBody>>) {
        const { blocked } = chainOf(ctx.params.app, subjectOf(ctx.params.caller, ctx.params.body.From_Account, sns.invalidCode));
        // StartIndex 0 is the SDK's "no further page".
        return { BlackListItem: blocked, StartIndex: 0, CurrentSequence: 0 };
      },
    },
    friendGroupGet: {
      tencent: { command: 'sns/group_get', summary: 'Friend groups of an account', ...sns },
      params: commandParams({ ...from, LastSequence: index, NeedFriend: { type: 'string', optional: true }, GroupName: { type: 'array', optional: true } }),
      handler(ctx: Context<CommandParams<FromBody>>) {
        const { groups } = chainOf(ctx.params.app, subjectOf(ctx.params.caller, ctx.params.body.From_Account, sns.invalidCode));
        return { ResultItem: groups, LastSequence: 0 };
      },
    },
    pendencyGet: {
      tencent: { command: 'sns/pendency_get', summary: 'Friend requests of an account', ...sns },
      params: commandParams({ ...from, PendencyType: { type: 'string', optional: true }, StartTime: index, MaxLimited: index, LastSequence: index }),
      handler(ctx: Context<CommandParams<FromBody>>) {
        const { pending } = chainOf(ctx.params.app, subjectOf(ctx.params.caller, ctx.params.body.From_Account, sns.invalidCode));
        return { PendencyItem: pending, UnreadPendencyCount: 0, StartTime: 0, CurrentSequence: 0 };
      },
    },
  },
};

export default friends;
