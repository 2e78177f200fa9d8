/**
 * follows — who follows whom (Tencent's follow service): the SDK's followUser, unfollowUser,
 * getMyFollowersList, getMyFollowingList, getMutualFollowersList, getUserFollowInfo and
 * checkFollowType, and the same follow_* commands over REST. State: actor `follow`, one per user
 * (actors/follow says how a follow is written in both users' streams). After a change both users'
 * devices get FollowChangeList.
 * Tencent commands (SDK users and administrators): follow/{follow_add, follow_delete, follow_check,
 * follow_get, follow_get_info}.
 * Emits nothing on the bus; consumes nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { followKey, followKind, type FollowCommand, type FollowCounts, type FollowEvent, type FollowPage, type FollowReply, type FollowState, type ItemResult } from '../../actors/follow';
import { DomainError } from '../../runtime/kind';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import { accountsOf } from '../accounts/client';
import { commandParams, type Caller, type CommandParams } from '../commands/commands';
import { deliverToUsers } from '../connector/delivery';
import { PUSH_SERVCMD } from '../connector/replies';
import * as wire from './wire';

type FollowsService = ActorHostService<FollowState, FollowCommand, FollowEvent, FollowReply>;

/** The relationship chain's codes: 30001 bad body, 30003 no such account, 30006 internal. */
const CODES = { invalidCode: 30001, internalCode: 30006 } as const;
const NO_ACCOUNT = 30003;
const cmd = (name: string, summary: string) => ({ command: `follow/${name}`, user: true, summary, ...CODES });

/** A user acts for themself; an administrator for the From_Account they name. */
function actorOf(caller: Caller, from: string): string {
  if (caller.kind === 'user' && from !== caller.id) throw new DomainError(CODES.invalidCode, 'a user follows only for themself');
  return from;
}

/** A query's item: 0, or 30003 for an account never imported (its answer is empty). */
const itemStatus = (known: boolean) => (known ? { ResultCode: 0, ResultInfo: '' } : { ResultCode: NO_ACCOUNT, ResultInfo: 'no such account' });

const resultItem = (r: ItemResult) => ({ To_Account: r.user, ResultCode: r.code, ResultInfo: r.code === 0 ? '' : r.code === NO_ACCOUNT ? 'no such account' : 'refused' });

const follows: ServiceSchema<ServiceSettingSchema, FollowsService> = {
  name: 'follows',
  mixins: [actorHostMixin(followKind)],
  actions: {
    add: {
      tencent: cmd('follow_add', 'Follow users (SDK followUser)'),
      params: commandParams(wire.addBody),
      handler(this: FollowsService, ctx: Context<CommandParams<wire.AddBody>>) {
        const { app, caller, body } = ctx.params;
        return change(this, ctx, app, actorOf(caller, body.From_Account), 'follow', body.FollowItem.map((i) => i.To_Account));
      },
    },
    remove: {
      tencent: cmd('follow_delete', 'Stop following users (SDK unfollowUser)'),
      params: commandParams(wire.deleteBody),
      handler(this: FollowsService, ctx: Context<CommandParams<wire.UsersBody>>) {
        const { app, caller, body } = ctx.params;
        return change(this, ctx, app, actorOf(caller, body.From_Account), 'unfollow', body.To_Account);
      },
    },
    check: {
      tencent: cmd('follow_check', 'How the caller and users follow each other (SDK checkFollowType)'),
      params: commandParams(wire.queryBody),
      async handler(this: FollowsService, ctx: Context<CommandParams<wire.UsersBody>>) {
        const { app, caller, body } = ctx.params;
        const me = actorOf(caller, body.From_Account);
        const known = await accountsOf(this.broker).importedAmong(app, body.To_Account, ctx);
        const types = (await this.actorCall(followKey(app, me), { op: 'check', users: body.To_Account }, ctx)) as Record<string, number>;
        return { ResultItem: body.To_Account.map((u) => ({ To_Account: u, FollowType: types[u] ?? 0, ...itemStatus(known.has(u)) })) };
      },
    },
    info: {
      tencent: cmd('follow_get_info', 'Follower, following and mutual counts of users (SDK getUserFollowInfo)'),
      params: commandParams(wire.queryBody),
      async handler(this: FollowsService, ctx: Context<CommandParams<wire.UsersBody>>) {
        const { app, caller, body } = ctx.params;
        actorOf(caller, body.From_Account);
        const users = [...new Set(body.To_Account)];
        const known = await accountsOf(this.broker).importedAmong(app, users, ctx);
        const counts = await Promise.all(users.map((u) => this.actorCall(followKey(app, u), { op: 'counts' }, ctx) as Promise<FollowCounts>));
        return { FollowInfo: users.map((u, i) => ({ To_Account: u, FollowerCount: counts[i].followers, FollowingCount: counts[i].following, MutualFollowingCount: counts[i].mutual, ...itemStatus(known.has(u)) })) };
      },
    },
    list: {
      tencent: cmd('follow_get', 'A page of the caller’s followers, following or mutual list (SDK getMyFollowersList and its twins)'),
      params: commandParams(wire.getBody),
      async handler(this: FollowsService, ctx: Context<CommandParams<wire.GetBody>>) {
        const { app, caller, body } = ctx.params;
        const me = actorOf(caller, body.From_Account);
        const page = (await this.actorCall(followKey(app, me), { op: 'list', type: body.FollowType, from: Number(body.StartCursor || 0), count: body.WantNum ?? 500 }, ctx)) as FollowPage;
        // ProfileItem stays empty: the SDK asks for profiles itself where it shows them.
        return { FollowItem: page.items.map((i) => ({ To_Account: i.user, FollowTime: Math.floor(i.at / 1000), ProfileItem: [] })), NextCursor: page.next > 0 ? String(page.next) : '' };
      },
    },
  },
};

/**
 * Follow or unfollow: unknown accounts are refused per item (30003); the caller's stream decides,
 * then each followed user's stream takes the other side (idempotent, so a retry heals a crash
 * between the two), then both users' devices are told what changed.
 */
async function change(svc: FollowsService, ctx: Context, app: number, me: string, op: 'follow' | 'unfollow', named: string[]) {
  const users = [...new Set(named)];
  const known = await accountsOf(svc.broker).importedAmong(app, [me, ...users], ctx);
  if (!known.has(me)) throw new DomainError(NO_ACCOUNT, `no account ${me}`);
  const existing = users.filter((u) => known.has(u));
  const decided = existing.length > 0 ? ((await svc.actorCall(followKey(app, me), { op, me, users: existing, now: Date.now() }, ctx)) as ItemResult[]) : [];
  const byUser = new Map(decided.map((r) => [r.user, r]));
  const results = users.map((user) => byUser.get(user) ?? { user, code: NO_ACCOUNT, changed: false });
  const done = results.filter((r) => r.code === 0);
  const other = op === 'follow' ? 'addFollower' : 'removeFollower';
  await Promise.all(done.map((r) => svc.actorCall(followKey(app, r.user), { op: other, user: me, now: Date.now() }, ctx)));
  const changed = done.filter((r) => r.changed).map((r) => r.user);
  if (changed.length > 0) await pushChanges(svc, ctx, app, me, changed, op === 'follow');
  return { ResultItem: results.map(resultItem) };
}

/** Each side learns which of its lists moved; a follow back makes (or breaks) the mutual list too. */
async function pushChanges(svc: FollowsService, ctx: Context, app: number, me: string, users: string[], added: boolean) {
  const types = (await svc.actorCall(followKey(app, me), { op: 'check', users }, ctx)) as Record<string, number>;
  const failed = (err: Error) => svc.logger.warn(`follow push failed: ${err.message}`);
  for (const user of users) {
    const mutual = (types[user] & 1) === 1;
    const mine = wire.followPush({ other: user, added, types: mutual ? [2, 3] : [2] });
    const theirs = wire.followPush({ other: me, added, types: mutual ? [1, 3] : [1] });
    deliverToUsers(svc.broker, app, [{ userId: me }], PUSH_SERVCMD, mine).catch(failed);
    deliverToUsers(svc.broker, app, [{ userId: user }], PUSH_SERVCMD, theirs).catch(failed);
  }
}

export default follows;
