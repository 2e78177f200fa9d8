/**
 * Makes a Moleculer service the host of one actor kind: the `dispatch` action runs a command
 * on this node's activation of a key; placement changes passivate the keys that moved away.
 * The including service calls its actors through `this.actorCall(key, command)`.
 */
import type { Context, Service, ServiceSchema } from 'moleculer';
import { ActorHost, type SideFeeds } from '../host';
import { ActorStaleError, type ActorKind } from '../kind';
import { toMoleculerError } from './errors';
import type { NewEvent } from '../eventlog';
import type { ParleyConfig } from '../../config';
import { runtimeOf } from './node-runtime';
import { expiryMargin, routerOf, type ActorRouter } from './router';

export interface DispatchParams {
  key: string;
  command: Record<string, unknown>;
}

export interface ActorHostService<S, C, E extends NewEvent, R> extends Service {
  actorHost: ActorHost<S, C, E, R>;
  actorRouter: ActorRouter;
  actorCall(key: string, command: C, ctx?: Context): Promise<R>;
  /** Runs a command on this node's host, for start-up work before the service is registered. */
  actorLocal(key: string, command: C): Promise<R>;
  /** Optional side effects after a durable append (emit bus events, push). */
  afterAppend?(key: string, events: E[], firstVersion: number, state: S, feedVersions: number[]): void;
  /** Optional streams written in the same transaction as the events (after-callbacks' outbox items). */
  sideFeeds?(key: string, events: E[], firstVersion: number, state: S, command: C): SideFeeds | undefined;
}

/** The kind, or how to make it from the node's configuration (an actor's memory window, say). */
export type KindOf<S, C, E extends NewEvent, R> = ActorKind<S, C, E, R> | ((config: ParleyConfig) => ActorKind<S, C, E, R>);

export function actorHostMixin<S, C, E extends NewEvent, R>(kindOf: KindOf<S, C, E, R>): Partial<ServiceSchema> {
  const schema = {
    actions: {
      dispatch: {
        visibility: 'public',
        params: { $$strict: true, key: { type: 'string', min: 1 }, command: { type: 'object' } },
        async handler(this: ActorHostService<S, C, E, R>, ctx: Context<DispatchParams>) {
          try {
            // The caller's remaining time (the router sets it per attempt), less the margin.
            const timeoutMs = (ctx.options.timeout || this.broker.options.requestTimeout || 10_000) as number;
            const deadline = Date.now() + timeoutMs - expiryMargin(timeoutMs);
            return (await this.actorHost.execute(ctx.params.key, ctx.params.command as C, deadline)).reply;
          } catch (err) {
            throw toMoleculerError(err);
          }
        },
      },
      /** Keys active on this node (REPL, tests of placement). */
      activations: {
        visibility: 'public',
        handler(this: ActorHostService<S, C, E, R>) {
          return { nodeID: this.broker.nodeID, keys: this.actorHost.activeKeys(), stats: this.actorHost.stats };
        },
      },
    },
    methods: {
      actorCall(this: ActorHostService<S, C, E, R>, key: string, command: C, ctx?: Context): Promise<R> {
        return this.actorRouter.call<R>(this.fullName, key, command as object, { parentCtx: ctx });
      },
      async actorLocal(this: ActorHostService<S, C, E, R>, key: string, command: C): Promise<R> {
        for (let attempt = 1; ; attempt++) {
          try {
            return (await this.actorHost.execute(key, command)).reply;
          } catch (err) {
            // Another node started at the same time and wrote first: reload and decide again.
            if (!(err instanceof ActorStaleError) || attempt >= 5) throw err;
          }
        }
      },
    },
    created(this: ActorHostService<S, C, E, R>) {
      this.actorRouter = routerOf(this.broker);
    },
    started(this: ActorHostService<S, C, E, R>) {
      const { config, store } = runtimeOf(this.broker);
      const kind = typeof kindOf === 'function' ? kindOf(config) : kindOf;
      this.actorHost = new ActorHost(kind, store, {
        snapshotEvery: config.actors.snapshotEvery,
        idleMs: config.actors.idleMs,
        afterAppend: (key, events, first, state, feedVersions) => this.afterAppend?.(key, events, first, state, feedVersions),
        sideFeeds: (key, events, first, state, command) => this.sideFeeds?.(key, events, first, state, command),
        log: (level, message) => this.logger[level](message),
      });
      this.actorRouter.onChange(() => {
        const self = this.broker.nodeID;
        const moved = this.actorHost.passivateWhere((key) => {
          const owner = this.actorRouter.ownerOf(this.fullName, key);
          return owner !== undefined && owner !== self;
        });
        if (moved > 0) this.logger.info(`passivated ${moved} ${kind.name} actors whose keys moved to other nodes`);
      });
    },
    stopped(this: ActorHostService<S, C, E, R>) {
      this.actorHost?.stop();
    },
  };
  // Lifecycle handlers are typed with this mixin's own `this`; Moleculer's types only know Service.
  return schema as unknown as Partial<ServiceSchema>;
}
