/**
 * push — offline push (docs/push.md). Hosts the push queue actor (actors/pushq, key
 * `<app>:<shard>`) and, per owned shard, its deliverer (./deliverer.ts), which hands jobs to
 * the providers (./providers: APNs, FCM, Web Push).
 * Jobs are written by the messages and groups contexts in their own transactions (./client.ts:
 * c2cPushFeeds, groupPushFeeds), never by a bus event, so a crash between commit and push
 * loses nothing.
 * Actions: wake (a shard this node owns got jobs), vapidPublicKey (GET /push/vapid-public-key,
 * what a web page needs to subscribe), stats. Emits nothing; consumes nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { PUSH_SHARDS, pushqKey, pushqKind, QUEUED, type PushqCommand, type PushqEvent, type PushqReply, type PushqState } from '../../actors/pushq';
import { pushSettings, webPushOn } from '../../actors/apps/settings/push';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { appDirectory } from '../apps/registry';
import { Deliverers } from './deliverer';
import { Providers } from './providers';
import { PushStats } from './stats';

type PushService = ActorHostService<PushqState, PushqCommand, PushqEvent, PushqReply> & {
  deliverers: Deliverers;
  providers: Providers;
  pushStats: PushStats;
  resuming: Promise<void> | undefined;
  resume(): Promise<void>;
};

const push: ServiceSchema<ServiceSettingSchema, PushService> = {
  name: 'push',
  dependencies: ['apps'],
  mixins: [actorHostMixin(pushqKind)],
  actions: {
    wake: {
      visibility: 'public',
      params: { $$strict: true, key: { type: 'string', min: 1, max: 64 } },
      handler(this: PushService, ctx: Context<{ key: string }>) {
        if (this.actorRouter.ownerOf(this.fullName, ctx.params.key) === this.broker.nodeID) this.deliverers.kick(ctx.params.key);
      },
    },
    /** The app's public VAPID key (public by nature: the page passes it to pushManager.subscribe). */
    vapidPublicKey: {
      params: { sdkappid: { type: 'string', pattern: /^[0-9]{1,12}$/ } },
      handler(this: PushService, ctx: Context<{ sdkappid: string }>) {
        const settings = pushSettings(appDirectory(this.broker).get(Number(ctx.params.sdkappid))?.settings ?? {});
        return webPushOn(settings) ? { publicKey: settings.webpush.publicKey } : { publicKey: null };
      },
    },
    stats: {
      handler(this: PushService) {
        return { nodeID: this.broker.nodeID, shards: PUSH_SHARDS, providers: this.pushStats.byProvider };
      },
    },
  },
  methods: {
    afterAppend(this: PushService, key: string, events: PushqEvent[]) {
      if (events.some((e) => e.type === QUEUED)) this.deliverers.kick(key);
    },
    /** Restarts delivery of the owned shards that were ever written (as webhooks.resume: no index of pending work to drift). */
    resume(this: PushService) {
      this.resuming = (this.resuming ?? Promise.resolve()).then(async () => {
        const { store } = runtimeOf(this.broker);
        for (const app of appDirectory(this.broker).all()) {
          for (let shard = 0; shard < PUSH_SHARDS; shard++) {
            const key = pushqKey(app.sdkAppId, shard);
            if (this.deliverers.running(key) || this.actorRouter.ownerOf(this.fullName, key) !== this.broker.nodeID) continue;
            if ((await store.version(this.actorHost.streamOf(key))) > 0) this.deliverers.kick(key);
          }
        }
      }).catch((err: Error) => this.logger.error(`resuming push delivery failed: ${err.message}`));
      return this.resuming;
    },
  },
  created(this: PushService) {
    this.providers = new Providers();
    this.pushStats = new PushStats(this.broker);
    this.deliverers = new Deliverers({
      broker: this.broker,
      call: (key, command) => this.actorCall(key, command),
      owns: (key) => this.actorRouter.ownerOf(this.fullName, key) === this.broker.nodeID,
      providers: this.providers,
      stats: this.pushStats,
      log: this.logger,
    });
  },
  started(this: PushService) {
    this.actorRouter.onChange(() => setImmediate(() => void this.resume()));
  },
  async stopped(this: PushService) {
    this.deliverers.stop();
    await this.providers.close();
  },
};

export default push;
