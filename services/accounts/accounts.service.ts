/**
 * accounts — UserIDs of an app: import, delete, check, kick; online status.
 * Tencent commands: im_open_login_svc/{account_import, multiaccount_import, account_delete,
 * account_check, kick}, openim/query_online_status (legacy openim/querystate).
 * Global mute: openconfigsvr/{setnospeaking, getnospeaking} (no-speaking.ts; broadcasts
 * user.nospeaking.changed and consumes it: every node's mute cache forgets the user).
 * Hosts the user actor (actors/user). Emits: user.kicked, user.deleted (broadcast, after the
 * append), user.profile.changed (after a profile change's append). Consumes user.deleted (its
 * own broadcast: every node's accounts client forgets the account). Writes Profile.CallbackPortraitSet with each profile change.
 * Files nicks in the app's nick directory (nick-directory.ts); runs each app's nick back-fill on
 * the node owning `nickfill:<app>` (nick-backfill.ts; action fileOldNicks).
 */
import { splitAppKey } from '../../runtime/kind';
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { userKind, userKey, NOT_IMPORTED, PROFILE_SET, type UserCommand, type UserEvent, type UserReply, type UserState } from '../../actors/user';
import { isValidUserId, LIMITS } from '../../actors/apps/settings/limits';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import type { SideFeeds } from '../../runtime/host';
import * as bodies from './bodies';
import { accountsOf } from './client';
import { onlineStatus } from './online-status';
import type { DeviceRecord } from '../presence/directory';
import { commandParams, viaParams, type CommandParams, type Via } from '../commands/commands';
import { afterFeeds, wantsCallback, type AfterParams } from '../webhooks/client';
import { BUS, type ProfileChanged, type UserEnded } from '../events';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { nickFeed, searchNicks } from './nick-directory';
import { NICK_SEARCH_PARAMS, type NickSearchParams } from './client';
import { noSpeakingActions } from './no-speaking';
import { backfillNicks, type BackfillResult } from './nick-backfill';
import { appDirectory } from '../apps/registry';

type AccountsService = ActorHostService<UserState, UserCommand, UserEvent, UserReply> & {
  user(app: number, id: string, command: UserCommand, ctx: Context): Promise<UserReply>;
  imported(app: number, ids: string[], ctx: Context): Promise<boolean[]>;
  portraitCallbacks(app: number, owner: string, events: UserEvent[], command: { via?: Via }): SideFeeds | undefined;
  backfill(app: number): Promise<BackfillResult>;
  /** Nick back-fills running on this node, by app; apps whose back-fill is known finished. */
  backfills: Map<number, Promise<BackfillResult>>;
  backfilled: Set<number>;
  backfillTimer: NodeJS.Timeout | undefined;
};

/**
 * How often a node looks for apps whose nick back-fill (nick-backfill.ts) it owns and has not
 * seen finished, ms. Once every app's is, a look costs a walk over the app list.
 */
const BACKFILL_CHECK_MS = 2000;

/** Tencent's account-service codes. */
const INVALID = 70402;
const INTERNAL = 70500;
const account = { invalidCode: INVALID, internalCode: INTERNAL };

/**
 * A refused item as FailAccounts lists it: the string given, else its JSON. `String()` threw on
 * an object whose toString is not a function (`{"toString": 1}`), failing the whole batch with
 * an internal error (found by npm run fuzz).
 */
const failedId = (id: unknown): string => (typeof id === 'string' ? id : (JSON.stringify(id) ?? ''));

const accounts: ServiceSchema<ServiceSettingSchema, AccountsService> = {
  name: 'accounts',
  mixins: [actorHostMixin(userKind)],
  actions: {
    import: {
      tencent: { command: 'im_open_login_svc/account_import', renames: { Identifier: 'UserID' }, summary: 'Import one account', ...account },
      params: commandParams(bodies.importBody),
      async handler(this: AccountsService, ctx: Context<CommandParams<bodies.ImportBody>>) {
        const { app, body } = ctx.params;
        // The validator's `max` counts characters; Tencent's limits count UTF-8 bytes.
        if (!optionalText(body.Nick, LIMITS.nickBytes) || !optionalText(body.FaceUrl, LIMITS.faceUrlBytes)) {
          throw invalid(`Nick and FaceUrl are limited to ${LIMITS.nickBytes} bytes`);
        }
        await this.user(app, body.UserID, { op: 'import', nick: body.Nick, faceUrl: body.FaceUrl, now: Date.now() }, ctx);
        return {};
      },
    },
    multiImport: {
      tencent: { command: 'im_open_login_svc/multiaccount_import', rate: 'account', summary: 'Import up to 100 accounts', ...account },
      params: commandParams(bodies.multiImportBody),
      async handler(this: AccountsService, ctx: Context<CommandParams<bodies.MultiImportBody>>) {
        const { app, body } = ctx.params;
        const items: bodies.AccountItem[] = body.AccountList ?? (body.Accounts ?? []).map((UserID) => ({ UserID }));
        if (items.length === 0) throw invalid('Accounts or AccountList must list at least one account');
        const now = Date.now();
        const results = await Promise.all(
          items.map(async (item) => {
            const { UserID, Nick, FaceUrl } = item;
            if (!isValidUserId(UserID) || !optionalText(Nick, LIMITS.nickBytes) || !optionalText(FaceUrl, LIMITS.faceUrlBytes)) return false;
            await this.user(app, UserID, { op: 'import', nick: Nick as string | undefined, faceUrl: FaceUrl as string | undefined, now }, ctx);
            return true;
          }),
        );
        return { FailAccounts: items.filter((_, i) => !results[i]).map((item) => failedId(item.UserID)) };
      },
    },
    delete: {
      tencent: { command: 'im_open_login_svc/account_delete', rate: 'account', summary: 'Delete up to 100 accounts', ...account },
      params: commandParams(bodies.deleteBody),
      async handler(this: AccountsService, ctx: Context<CommandParams<bodies.DeleteBody>>) {
        const { app, body } = ctx.params;
        const now = Date.now();
        const ResultItem = await Promise.all(
          body.DeleteItem.map(async ({ UserID }) => {
            if (!isValidUserId(UserID)) return { ResultCode: INVALID, ResultInfo: 'invalid UserID', UserID };
            try {
              await this.user(app, UserID, { op: 'delete', now }, ctx);
              accountsOf(this.broker).forget(app, UserID);
              this.broker.broadcast(BUS.USER_DELETED, { app, userId: UserID, at: now } satisfies UserEnded);
              return { ResultCode: 0, ResultInfo: '', UserID };
            } catch (err) {
              const code = (err as { data?: { code?: number } }).data?.code;
              if (code === NOT_IMPORTED) return { ResultCode: NOT_IMPORTED, ResultInfo: 'account not imported', UserID };
              throw err;
            }
          }),
        );
        return { ResultItem };
      },
    },
    check: {
      tencent: { command: 'im_open_login_svc/account_check', rate: 'account', summary: 'Check whether up to 100 accounts exist', ...account },
      params: commandParams(bodies.checkBody),
      async handler(this: AccountsService, ctx: Context<CommandParams<bodies.CheckBody>>) {
        const { app, body } = ctx.params;
        const ids = body.CheckItem.map((item) => item.UserID);
        const imported = await this.imported(app, ids, ctx);
        return {
          ResultItem: ids.map((UserID, i) =>
            isValidUserId(UserID)
              ? { UserID, ResultCode: 0, ResultInfo: '', AccountStatus: imported[i] ? 'Imported' : 'NotImported' }
              : { UserID, ResultCode: INVALID, ResultInfo: 'invalid UserID', AccountStatus: 'NotImported' },
          ),
        };
      },
    },
    kick: {
      tencent: { command: 'im_open_login_svc/kick', renames: { Identifier: 'UserID' }, summary: 'End every session of an account', ...account },
      params: commandParams(bodies.kickBody),
      async handler(this: AccountsService, ctx: Context<CommandParams<bodies.KickBody>>) {
        const { app, body } = ctx.params;
        const { kickedAt } = await this.user(app, body.UserID, { op: 'kick', now: Date.now() }, ctx);
        this.broker.broadcast(BUS.USER_KICKED, { app, userId: body.UserID, at: kickedAt } satisfies UserEnded);
        return {};
      },
    },
    onlineStatus: {
      tencent: {
        command: 'openim/query_online_status',
        aliases: ['openim/querystate'],
        summary: 'Online status of up to 500 accounts, per platform on request',
        invalidCode: 90001,
        internalCode: 90994,
      },
      params: commandParams(bodies.onlineStatusBody),
      async handler(this: AccountsService, ctx: Context<CommandParams<bodies.OnlineStatusBody>>) {
        const { app, body } = ctx.params;
        const imported = await this.imported(app, body.To_Account, ctx);
        const known = body.To_Account.filter((_, i) => imported[i]);
        const devices = await ctx.call<Record<string, DeviceRecord[]>, object>('presence.query', { app, users: known });
        return onlineStatus(body.To_Account, imported, devices, body.IsNeedDetail === 1);
      },
    },
    ...noSpeakingActions,
    /** The console's search by nick prefix (nick-directory.ts): one index range, paged; not a Tencent command. */
    searchNick: {
      params: NICK_SEARCH_PARAMS,
      handler(this: AccountsService, ctx: Context<NickSearchParams>) {
        const { app, query, limit, before } = ctx.params;
        return searchNicks(runtimeOf(this.broker).store, accountsOf(this.broker), app, query, limit, before);
      },
    },
    /** The app's nick back-fill (nick-backfill.ts), run here, or the run already going here; not a Tencent command. */
    fileOldNicks: {
      params: { $$strict: true, app: { type: 'number', integer: true, positive: true } },
      handler(this: AccountsService, ctx: Context<{ app: number }>) {
        return this.backfill(ctx.params.app);
      },
    },
  },
  events: {
    /** Every node's send checks forget the user's global mutes (no-speaking.ts). */
    [BUS.NO_SPEAKING_CHANGED]: {
      params: { app: { type: 'number', integer: true, positive: true }, userId: 'string', at: 'number' },
      handler(this: AccountsService, ctx: Context<{ app: number; userId: string }>) {
        accountsOf(this.broker).forgetMutes(ctx.params.app, ctx.params.userId);
      },
    },
    /** Every node's client forgets the account (this node's already did, before answering). */
    [BUS.USER_DELETED]: {
      params: { app: { type: 'number', integer: true, positive: true }, userId: 'string', at: 'number' },
      handler(this: AccountsService, ctx: Context<{ app: number; userId: string }>) {
        accountsOf(this.broker).forget(ctx.params.app, ctx.params.userId);
      },
    },
  },
  methods: {
    /** After the durable append: a profile change is published for the devices to hear of it. */
    afterAppend(this: AccountsService, key: string, events: UserEvent[]) {
      for (const e of events) {
        if (e.type !== PROFILE_SET) continue;
        const [app, userId] = splitAppKey(key);
        const items = [...Object.entries(e.data.strings), ...Object.entries(e.data.numbers)].map(([Tag, Value]) => ({ Tag, Value }));
        this.broker.emit(BUS.PROFILE_CHANGED, { app, userId, items, at: e.data.at } satisfies ProfileChanged);
      }
    },
    /** Profile.CallbackPortraitSet, written to the outbox in the user's own transaction. */
    sideFeeds(this: AccountsService, key: string, events: UserEvent[], _first: number, _state: unknown, command: { via?: Via }) {
      const [app, owner] = splitAppKey(key);
      // A new nick is filed in the app's nick directory in the same transaction (nick-directory.ts).
      const nicks = nickFeed(app, owner, events);
      const callbacks = this.portraitCallbacks(app, owner, events, command);
      if (!nicks) return callbacks;
      return { feeds: [nicks, ...(callbacks?.feeds ?? [])], then: callbacks?.then };
    },
    portraitCallbacks(this: AccountsService, app: number, owner: string, events: UserEvent[], command: { via?: Via }) {
      if (!wantsCallback(this.broker, app, 'Profile.CallbackPortraitSet')) return undefined;
      const reports: AfterParams[] = [];
      for (const e of events) {
        if (e.type !== PROFILE_SET) continue;
        const ProfileItem = [...Object.entries(e.data.strings), ...Object.entries(e.data.numbers)].map(([Tag, Value]) => ({ Tag, Value }));
        reports.push({ app, command: 'Profile.CallbackPortraitSet', orderKey: owner, body: { Operator_Account: e.data.operator || owner, From_Account: owner, ProfileItem }, ...viaParams(command.via) });
      }
      return reports.length > 0 ? afterFeeds(this.broker, reports) : undefined;
    },
    backfill(this: AccountsService, app: number) {
      let run = this.backfills.get(app);
      if (!run) {
        run = backfillNicks(runtimeOf(this.broker).store, app).then((result) => {
          if (result.finished) this.backfilled.add(app);
          if (result.filed > 0) this.logger.info(`nick back-fill of app ${app}: ${result.filed} accounts filed`);
          return result;
        });
        this.backfills.set(app, run);
        void run.finally(() => this.backfills.delete(app)).catch(() => undefined);
      }
      return run;
    },
    user(this: AccountsService, app: number, id: string, command: UserCommand, ctx: Context) {
      return this.actorCall(userKey(app, id), command, ctx);
    },
    async imported(this: AccountsService, app: number, ids: string[], ctx: Context) {
      return Promise.all(ids.map(async (id) => isValidUserId(id) && (await this.user(app, id, { op: 'get' }, ctx)).imported));
    },
  },
  started(this: AccountsService) {
    this.backfills = new Map();
    this.backfilled = new Set();
    // Each app's nick back-fill runs on the node owning the key `nickfill:<app>`; two owners
    // while the ring settles are harmless (nick-backfill.ts: the second one's append conflicts).
    this.backfillTimer = setInterval(() => {
      for (const { sdkAppId } of appDirectory(this.broker).all()) {
        if (this.backfilled.has(sdkAppId) || this.backfills.has(sdkAppId)) continue;
        if (this.actorRouter.ownerOf(this.fullName, `nickfill:${sdkAppId}`) !== this.broker.nodeID) continue;
        this.backfill(sdkAppId).catch((err: Error) => this.logger.warn(`nick back-fill of app ${sdkAppId} failed (tried again shortly):`, err.message));
      }
    }, BACKFILL_CHECK_MS);
    this.backfillTimer.unref();
  },
  stopped(this: AccountsService) {
    clearInterval(this.backfillTimer);
  },
};

function optionalText(value: unknown, maxBytes: number): boolean {
  return value === undefined || (typeof value === 'string' && Buffer.byteLength(value) <= maxBytes);
}

function invalid(message: string): Error {
  return Object.assign(new Error(message), { data: { code: INVALID } });
}

export default accounts;
