/**
 * webhooks — Tencent-compatible third-party callbacks of every app (docs/webhooks.md).
 * Actions: before (ask the app backend, answer a verdict), after (queue durably, answer once
 * stored), wake (a shard this node owns got items from another actor's transaction). Hosts the outbox actor (actors/outbox) and, per owned shard, its deliverer.
 * Consumes nothing (presence queues State.StateChange with reportStateChange). Emits nothing.
 * Other contexts call the webhooks through ./client.ts (callBefore, afterFeeds, queueAfter…)
 * rather than these actions: same behaviour, one Moleculer hop fewer.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { outboxKey, outboxKind, ENQUEUED, OUTBOX_SHARDS, type OutboxCommand, type OutboxEvent, type OutboxReply, type OutboxState } from '../../actors/outbox';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import { appDirectory } from '../apps/registry';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { callAfter, type AfterParams } from './after';
import { callBefore, webhookLogger, type BeforeParams } from './before';
import { Deliverers } from './deliverer';


type WebhooksService = ActorHostService<OutboxState, OutboxCommand, OutboxEvent, OutboxReply> & {
  deliverers: Deliverers;
  resuming: Promise<void> | undefined;
  resume(): Promise<void>;
};

const callbackParams = {
  app: { type: 'number', integer: true, positive: true },
  command: { type: 'string', min: 1, max: 100 },
  body: { type: 'object' },
  platform: { type: 'string', max: 32, optional: true },
  clientIp: { type: 'string', max: 64, optional: true },
  forbid: { type: 'array', items: 'string', max: 4, optional: true },
};

const webhooks: ServiceSchema<ServiceSettingSchema, WebhooksService> = {
  name: 'webhooks',
  // The app directory (URLs, tokens, enabled commands) is filled by the node's apps service.
  dependencies: ['apps'],
  mixins: [actorHostMixin(outboxKind)],
  actions: {
    before: {
      params: { $$strict: true, ...callbackParams },
      handler(this: WebhooksService, ctx: Context<BeforeParams>) {
        return callBefore(this.broker, { ...ctx.params, requestId: ctx.requestID ?? undefined });
      },
    },
    after: {
      params: { $$strict: true, ...callbackParams, orderKey: { type: 'string', min: 1, max: 256 } },
      handler(this: WebhooksService, ctx: Context<AfterParams>) {
        return callAfter(this.broker, ctx.params);
      },
    },
    /** New items were written to an outbox shard this node owns by another actor's append. */
    wake: {
      visibility: 'public',
      params: { $$strict: true, key: { type: 'string', min: 1, max: 64 } },
      handler(this: WebhooksService, ctx: Context<{ key: string }>) {
        const { key } = ctx.params;
        if (this.actorRouter.ownerOf(this.fullName, key) === this.broker.nodeID) this.deliverers.kick(key);
      },
    },
  },
  methods: {
    afterAppend(this: WebhooksService, key: string, events: OutboxEvent[]) {
      if (events.some((e) => e.type === ENQUEUED)) this.deliverers.kick(key);
    },
    /**
     * Restarts delivery of the shards this node owns that have pending items. The shard space
     * is bounded (apps × OUTBOX_SHARDS) and enumerable from the app registry, so no index of
     * pending work is kept: a stream that was never written is skipped by one indexed version
     * read, and a written one is activated (snapshot + tail) and asked for its pending items.
     */
    resume(this: WebhooksService) {
      // Runs one at a time; a change during a run is looked at by the next one.
      this.resuming = (this.resuming ?? Promise.resolve()).then(async () => {
        const { store } = runtimeOf(this.broker);
        for (const app of appDirectory(this.broker).all()) {
          for (let shard = 0; shard < OUTBOX_SHARDS; shard++) {
            const key = outboxKey(app.sdkAppId, shard);
            if (this.deliverers.running(key) || this.actorRouter.ownerOf(this.fullName, key) !== this.broker.nodeID) continue;
            if ((await store.version(this.actorHost.streamOf(key))) > 0) this.deliverers.kick(key);
          }
        }
      }).catch((err: Error) => this.logger.error(`resuming webhook delivery failed: ${err.message}`));
      return this.resuming;
    },
  },
  created(this: WebhooksService) {
    this.deliverers = new Deliverers({
      broker: this.broker,
      call: (key, command) => this.actorCall(key, command),
      owns: (key) => this.actorRouter.ownerOf(this.fullName, key) === this.broker.nodeID,
      log: webhookLogger(this.broker),
    });
  },
  started(this: WebhooksService) {
    // Placement is known once this service is registered, and changes as nodes come and go.
    this.actorRouter.onChange(() => setImmediate(() => void this.resume()));
  },
  stopped(this: WebhooksService) {
    this.deliverers.stop();
  },
};

export default webhooks;
