/** Friend lists (sns/group_*): create, delete, rename and fill, read. */
import type { ServiceActionsSchema } from 'moleculer';
import { RELATION_LIMITS as L } from '../../actors/apps/settings/relations';
import type { FriendsService } from './types';
import { commandParams } from '../commands/commands';
import * as b from './bodies';
import { checkListName } from './checks';
import { nowSec, results, sns, type P } from './common';
import { listsAnswer } from './reads';

export const listActions: ServiceActionsSchema = {
    friendGroupAdd: {
      tencent: { command: 'sns/group_add', summary: 'Create friend lists, optionally with friends in them', ...sns },
      params: commandParams(b.listAddBody),
      async handler(this: FriendsService, ctx: P<b.ListAddBody>) {
        const { chain, owner } = await this.owner(ctx);
        const { GroupName, To_Account = [] } = ctx.params.body;
        GroupName.forEach(checkListName);
        const { codes } = await chain.batch(owner, { op: 'createLists', names: GroupName, members: To_Account, lists: L.lists, now: nowSec() });
        return { ...results(codes, [...new Set(To_Account)]), CurrentSequence: (await chain.read(owner)).seq.lists };
      },
    },
    friendGroupDelete: {
      tencent: { command: 'sns/group_delete', summary: 'Delete friend lists', ...sns },
      params: commandParams(b.listDeleteBody),
      async handler(this: FriendsService, ctx: P<b.ListDeleteBody>) {
        const { chain, owner } = await this.owner(ctx);
        await chain.change(owner, { op: 'deleteLists', names: [...new Set(ctx.params.body.GroupName)], now: nowSec() });
        return { CurrentSequence: (await chain.read(owner)).seq.lists };
      },
    },
    friendGroupUpdate: {
      tencent: { command: 'sns/group_update', summary: 'Rename a friend list, or add and remove its friends', ...sns },
      params: commandParams(b.listUpdateBody),
      async handler(this: FriendsService, ctx: P<b.ListUpdateBody>) {
        const { chain, owner } = await this.owner(ctx);
        const { GroupOldName, GroupNewName, UpdateGroupItem = [] } = ctx.params.body;
        const now = nowSec();
        let name = GroupOldName;
        if (GroupNewName !== undefined && GroupNewName !== GroupOldName) {
          checkListName(GroupNewName);
          await chain.change(owner, { op: 'renameList', from: GroupOldName, to: GroupNewName, now });
          name = GroupNewName;
        }
        const add = UpdateGroupItem.filter((i) => i.UpdateType === 'Update_Type_Add').map((i) => i.To_Account);
        const remove = UpdateGroupItem.filter((i) => i.UpdateType === 'Update_Type_Delete').map((i) => i.To_Account);
        const { codes } = await chain.batch(owner, { op: 'listMembers', name, add, remove, now });
        const ResultItem = UpdateGroupItem.map((i) => ({ To_Account: i.To_Account, UpdateType: i.UpdateType, ResultCode: codes[i.To_Account] ?? 0, ResultInfo: '' }));
        return { ResultItem, CurrentSequence: (await chain.read(owner)).seq.lists };
      },
    },
    friendGroupGet: {
      tencent: { command: 'sns/group_get', summary: 'Friend lists of an account', ...sns },
      params: commandParams(b.listGetBody),
      async handler(this: FriendsService, ctx: P<b.ListGetBody>) {
        const { chain, owner } = await this.owner(ctx);
        const { GroupName, NeedFriend } = ctx.params.body;
        return listsAnswer(await chain.read(owner), GroupName, NeedFriend === 'Need_Friend_Type_Yes' || (GroupName?.length ?? 0) > 0);
      },
    },
};
