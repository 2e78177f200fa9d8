/**
 * friends — the relationship chain: friends, friend lists, requests, blocklist (docs/relations.md).
 * Hosts the relations actor (actors/relations), one per user; two-sided changes are sagas of
 * idempotent steps over both users' actors (services/friends/saga.ts).
 * Tencent commands (REST administrators and SDK users): sns/{friend_add, friend_import,
 * friend_update, friend_delete, friend_delete_all, friend_check, friend_get, friend_get_list
 * (SDK friend_get_specified), black_list_add, black_list_delete, black_list_get,
 * black_list_check, group_add, group_delete, group_get, group_update, pendency_get,
 * friend_response, pendency_delete, pendency_report}.
 * Friend-list and request commands live in services/friends/list-actions.ts and
 * pendency-actions.ts. Pushes every change to the owner's online devices (services/friends/notify.ts); calls the
 * Sns.* webhooks. Emits nothing on the bus. Consumes user.profile.changed: pushes the change
 * to everyone who has the user as a friend (the relations actor's reverse index).
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { DomainError, splitAppKey } from '../../runtime/kind';
import { CHANGE_REPORTED, relationsKind, SNS, type ChangeReported, type RelationsEvent } from '../../actors/relations';
import { relationSettings } from '../../actors/apps/settings/app-settings';
import { RELATION_LIMITS as L } from '../../actors/apps/settings/relations';
import { actorHostMixin } from '../../runtime/moleculer/host.mixin';
import { appDirectory } from '../apps/registry';
import * as b from './bodies';
import { nowSec, results, sns, vetoes, type P } from './common';
import { listActions } from './list-actions';
import { pendencyActions } from './pendency-actions';
import { checkAccount, checkListName, checkRemark, checkSource, checkWording, customFields, friendPatch } from './checks';
import { Chain } from './client';
import { pushChanges } from './notify';
import { blockPage, friendOf, friendPage } from './reads';
import { FRIEND_ADD, FRIEND_DELETE, reportHeader, snsAfter } from './callbacks';
import { addFriends, deleteFriends, step } from './saga';
import { snsItems, STANDARD_SNS_TAGS } from './tags';
import { subjectOf } from '../commands/subject';
import { fieldsOf, profileItems, readableTags, visibleToUsers } from '../profiles/fields';
import { commandParams, platformOf, type CommandParams } from '../commands/commands';
import { afterFeeds, callBefore } from '../webhooks/client';
import { friendRequestPushFeeds, joinFeeds } from '../push/client';
import type { FriendsService } from './types';
import { BUS, type ProfileChanged, type RelationsChanged } from '../events';
import { flagCacheOf } from './permissions';
import { block, check } from './relation-checks';
import { profilePush } from '../profiles/pushes';
import { deliverToUser } from '../connector/delivery';
import { PUSH_SERVCMD } from '../connector/replies';




const friends: ServiceSchema<ServiceSettingSchema, FriendsService> = {
  name: 'friends',
  mixins: [actorHostMixin(relationsKind)],
  actions: {
    friendAdd: {
      tencent: { command: 'sns/friend_add', summary: 'Add friends, honouring each target’s AllowType', ...sns },
      params: commandParams(b.addBody),
      async handler(this: FriendsService, ctx: P<b.AddBody>) {
        const { chain, owner } = await this.owner(ctx);
        const { app, caller, body } = ctx.params;
        for (const item of body.AddFriendItem) {
          checkAccount(item.To_Account);
          checkRemark(item.Remark);
          checkWording(item.AddWording);
          checkSource(item.AddSource);
          if (item.GroupName !== undefined) checkListName(item.GroupName);
        }
        const force = caller.kind === 'admin' && body.ForceAddFlags === 1;
        const both = body.AddType !== 'Add_Type_Single';
        const verdict = await callBefore(this.broker, {
          app,
          command: 'Sns.CallbackPrevFriendAdd',
          requestId: ctx.requestID ?? undefined,
          platform: platformOf(caller),
          clientIp: caller.ip,
          body: { Requester_Account: caller.id, From_Account: owner, FriendItem: body.AddFriendItem.map(friendItem), AddType: body.AddType ?? 'Add_Type_Both', ForceAddFlags: force ? 1 : 0 },
        });
        const vetoed = vetoes(verdict, body.AddFriendItem.map((i) => i.To_Account));
        const header = reportHeader(this.broker, app, FRIEND_ADD, caller, { clientCmd: 'friend_add', force });
        const codes = await addFriends(chain, owner, body.AddFriendItem.filter((i) => !vetoed.has(i.To_Account)), { both, force, now: nowSec() }, header);
        return results(codes, body.AddFriendItem.map((i) => i.To_Account), vetoed);
      },
    },
    friendImport: {
      tencent: { command: 'sns/friend_import', summary: 'Import up to 1,000 one-way friends with their fields', ...sns, user: false },
      params: commandParams(b.importBody),
      async handler(this: FriendsService, ctx: P<b.ImportBody>) {
        const { chain, owner } = await this.owner(ctx);
        const keywords = relationSettings(appDirectory(this.broker).get(ctx.params.app)?.settings ?? {}).snsFields;
        const now = nowSec();
        const friendsToAdd = ctx.params.body.AddFriendItem.map((item) => {
          checkAccount(item.To_Account);
          checkRemark(item.Remark);
          checkWording(item.AddWording);
          checkSource(item.AddSource);
          (item.GroupName ?? []).forEach(checkListName);
          const custom = customFields(item.CustomItem ?? [], keywords);
          const friend = { remark: item.Remark ?? '', remarkTime: item.RemarkTime ?? 0, groups: item.GroupName ?? [], source: item.AddSource ?? '', wording: item.AddWording ?? '', addTime: item.AddTime ?? now, custom };
          return { peer: item.To_Account, friend };
        });
        const codes: Record<string, number> = {};
        for (const { peer, friend } of friendsToAdd) {
          if (peer === owner) codes[peer] = SNS.INVALID;
          else if (!(await chain.user(peer)).imported) codes[peer] = SNS.NO_SUCH_USER;
          else {
            codes[peer] = await step(() => chain.change(owner, { op: 'link', peer, friend, limit: L.friends, limitCode: SNS.FRIEND_LIMIT, lists: L.lists, now }));
            if (codes[peer] === 0) await chain.change(peer, { op: 'link', peer: owner, friendOf: true, limit: L.friends, limitCode: SNS.PEER_FRIEND_LIMIT, lists: L.lists, now });
          }
        }
        return results(codes, friendsToAdd.map((f) => f.peer));
      },
    },
    friendUpdate: {
      tencent: { command: 'sns/friend_update', summary: 'Update remark, friend lists and custom fields of friends', ...sns },
      params: commandParams(b.updateBody),
      async handler(this: FriendsService, ctx: P<b.UpdateBody>) {
        const { chain, owner } = await this.owner(ctx);
        const keywords = relationSettings(appDirectory(this.broker).get(ctx.params.app)?.settings ?? {}).snsFields;
        const patches = ctx.params.body.UpdateItem.map((u) => friendPatch(u.To_Account, u.SnsItem, keywords));
        const { codes } = await chain.batch(owner, { op: 'update', patches, lists: L.lists, now: nowSec() });
        return results(codes, patches.map((p) => p.peer));
      },
    },
    friendDelete: {
      tencent: { command: 'sns/friend_delete', summary: 'Delete friends one way or both ways', ...sns },
      params: commandParams(b.deleteBody),
      async handler(this: FriendsService, ctx: P<b.DeleteBody>) {
        const { chain, owner } = await this.owner(ctx);
        const both = ctx.params.body.DeleteType === 'Delete_Type_Both';
        const ids = [...new Set(ctx.params.body.To_Account)];
        const header = reportHeader(this.broker, ctx.params.app, FRIEND_DELETE, ctx.params.caller);
        return results(await deleteFriends(chain, owner, ids, both, nowSec(), header), ids);
      },
    },
    friendDeleteAll: {
      tencent: { command: 'sns/friend_delete_all', summary: 'Delete every friend of an account', ...sns, user: false },
      params: commandParams(b.deleteAllBody),
      async handler(this: FriendsService, ctx: P<b.DeleteAllBody>) {
        const { chain, owner } = await this.owner(ctx);
        const both = ctx.params.body.DeleteType === 'Delete_Type_Both';
        const peers = (await chain.read(owner)).friends.map(([id]) => id);
        await deleteFriends(chain, owner, peers, both, nowSec(), reportHeader(this.broker, ctx.params.app, FRIEND_DELETE, ctx.params.caller));
        return {};
      },
    },
    friendCheck: {
      tencent: { command: 'sns/friend_check', summary: 'Relation of up to 1,000 accounts, one way or both ways', ...sns },
      params: commandParams(b.checkBody),
      async handler(this: FriendsService, ctx: P<b.CheckBody>) {
        return check(this, ctx, 'friend');
      },
    },
    friendGet: {
      tencent: { command: 'sns/friend_get', summary: 'Friends of an account, 100 per page', ...sns },
      params: commandParams(b.friendGetBody),
      async handler(this: FriendsService, ctx: P<b.FriendGetBody>) {
        const { chain, owner } = await this.owner(ctx);
        return friendPage(await chain.read(owner), ctx.params.body.StartIndex ?? 0);
      },
    },
    friendGetList: {
      tencent: { command: 'sns/friend_get_list', aliases: ['sns/friend_get_specified'], summary: 'Friend and profile fields of given friends', ...sns },
      params: commandParams(b.getListBody),
      async handler(this: FriendsService, ctx: P<b.GetListBody>) {
        const { chain, owner } = await this.owner(ctx);
        const { app, caller, body } = ctx.params;
        const defs = fieldsOf(relationSettings(appDirectory(this.broker).get(app)?.settings ?? {}).profileFields);
        const wanted = body.TagList && body.TagList.length > 0 ? body.TagList : undefined;
        // No TagList (the SDK's friend_get_specified): every friend field and every readable profile field.
        const askedProfile = wanted?.filter((t) => t.startsWith('Tag_Profile_'));
        const profileTags = askedProfile === undefined ? readableTags(undefined, defs, caller.kind) : askedProfile.length > 0 ? readableTags(askedProfile, defs, caller.kind) : [];
        const snsTags = wanted?.filter((t) => !t.startsWith('Tag_Profile_'));
        const view = await chain.read(owner);
        const InfoItem = await Promise.all(
          body.To_Account.map(async (To_Account) => {
            const f = friendOf(view, To_Account);
            if (!f) return { To_Account, SnsProfileItem: [], ResultCode: SNS.NOT_FRIENDS, ResultInfo: 'not a friend' };
            const profile = profileTags.length > 0 ? profileItems(await chain.user(To_Account), profileTags) : [];
            const snsPart = snsItems(f, snsTags ?? [...STANDARD_SNS_TAGS, ...Object.keys(f.custom)]);
            return { To_Account, SnsProfileItem: [...snsPart, ...profile], ResultCode: 0, ResultInfo: '' };
          }),
        );
        return { InfoItem, Fail_Account: InfoItem.filter((i) => i.ResultCode !== 0).map((i) => i.To_Account) };
      },
    },
    blacklistAdd: {
      tencent: { command: 'sns/black_list_add', summary: 'Block accounts (which also unfriends them)', ...sns },
      params: commandParams(b.accountsBody),
      async handler(this: FriendsService, ctx: P<b.AccountsBody>) {
        return block(this, ctx, true);
      },
    },
    blacklistDelete: {
      tencent: { command: 'sns/black_list_delete', summary: 'Unblock accounts', ...sns },
      params: commandParams(b.accountsBody),
      async handler(this: FriendsService, ctx: P<b.AccountsBody>) {
        return block(this, ctx, false);
      },
    },
    blacklistGet: {
      tencent: { command: 'sns/black_list_get', summary: 'Blocklist of an account, paged', ...sns },
      params: commandParams(b.blockGetBody),
      async handler(this: FriendsService, ctx: P<b.BlockGetBody>) {
        const { chain, owner } = await this.owner(ctx);
        const max = Math.min(ctx.params.body.MaxLimited || L.blocked, L.blocked);
        return blockPage(await chain.read(owner), ctx.params.body.StartIndex ?? 0, max);
      },
    },
    blacklistCheck: {
      tencent: { command: 'sns/black_list_check', summary: 'Blocklist relation of up to 1,000 accounts', ...sns },
      params: commandParams(b.checkBody),
      async handler(this: FriendsService, ctx: P<b.CheckBody>) {
        return check(this, ctx, 'block');
      },
    },
    ...listActions,
    ...pendencyActions,
  },
  events: {
    [BUS.RELATIONS_CHANGED]: {
      handler(this: FriendsService, ctx: Context<RelationsChanged>) {
        flagCacheOf(this.broker).forget(ctx.params.app, ctx.params.userId);
      },
    },
    [BUS.PROFILE_CHANGED]: {
      async handler(this: FriendsService, ctx: Context<ProfileChanged>) {
        const { app, userId } = ctx.params;
        // Fields only administrators may read are never pushed to friends.
        const items = visibleToUsers(ctx.params.items, fieldsOf(relationSettings(appDirectory(this.broker).get(app)?.settings ?? {}).profileFields));
        if (items.length === 0) return;
        try {
          const fans = (await new Chain(this.broker, app).read(userId)).friendOf;
          const push = profilePush(userId, items);
          await Promise.all(fans.map((fan) => deliverToUser(this.broker, app, fan, PUSH_SERVCMD, push)));
        } catch (err) {
          this.logger.warn(`profile push of ${userId} to friends failed: ${(err as Error).message}`);
        }
      },
    },
  },
  methods: {
    /** The account a command acts for, which must exist. */
    async owner(this: FriendsService, ctx: Context<CommandParams<b.FromBody>>) {
      const { app, caller, body } = ctx.params;
      const owner = subjectOf(caller, body.From_Account, SNS.INVALID);
      const chain = new Chain(this.broker, app);
      if (caller.kind === 'admin' && !(await chain.user(owner)).imported) throw new DomainError(SNS.NO_SUCH_USER, `account ${owner} does not exist`);
      return { chain, owner };
    },
    /**
     * A request's after-callback, recorded with the owner's half of it (services/friends/callbacks.ts);
     * a friend request's offline push, with the recipient's half (services/push).
     */
    sideFeeds(this: FriendsService, key: string, events: RelationsEvent[]) {
      const [app, owner] = splitAppKey(key);
      const push = friendRequestPushFeeds(this.broker, app, owner, events);
      const reports = events.filter((e): e is ChangeReported => e.type === CHANGE_REPORTED);
      if (reports.length === 0) return push;
      return joinFeeds(afterFeeds(this.broker, reports.map((r) => snsAfter(app, owner, r.data))), push);
    },
    afterAppend(this: FriendsService, key: string, events: RelationsEvent[]) {
      const [app, owner] = splitAppKey(key);
      // Every node's cache of send checks forgets this chain (flag-cache.ts); this node's at once.
      flagCacheOf(this.broker).forget(app, owner);
      void this.broker.broadcast(BUS.RELATIONS_CHANGED, { app, userId: owner } satisfies RelationsChanged);
      pushChanges(this.broker, app, owner, events).catch((err: Error) => this.logger.warn(`relationship push to ${key} failed: ${err.message}`));
    },
  },
};

/** A FriendItem of Sns.CallbackPrevFriendAdd: Tencent sends every field, '' when not given. */
const friendItem = (i: b.AddBody['AddFriendItem'][number]) => ({ To_Account: i.To_Account, Remark: i.Remark ?? '', GroupName: i.GroupName ?? '', AddSource: i.AddSource ?? '', AddWording: i.AddWording ?? '' });

export default friends;
