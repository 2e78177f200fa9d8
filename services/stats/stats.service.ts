/**
 * stats — the operations data: Tencent's statistics (openconfigsvr/getappinfo) and the live
 * figures of the console, a projection of the event log (fold.ts, docs/statistics.md); and the
 * addresses callbacks come from (ConfigSvc/GetIPList).
 * Actions: getAppInfo (openconfigsvr/getappinfo), getIpList (ConfigSvc/GetIPList), daily and
 * live (the console's charts).
 * Consumes: user.status.changed (logins), the local bus' webhooks.callback.sent (callbacks);
 * writes them, with samples of this node's online users, to its stream stats:<nodeID>. In a
 * cluster one node follows the log and answers; the others forward to it.
 * Emits nothing.
 */
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { routerOf } from '../../runtime/moleculer/router';
import { DomainError } from '../../runtime/kind';
import { commandParams, type CommandParams } from '../commands/commands';
import { localSockets } from '../connector/client';
import type { UserStatusChanged } from '../presence/client';
import { LOCAL, type CallbackSent } from '../events';
import { StatsFold } from './fold';
import { ActivityRecorder } from './recorder';
import { appInfo, daySeries, liveFigures, unknownFields, type LiveFigures } from './report';
import { fromSnapshot, SNAPSHOT_STREAM } from './snapshot';
import { StatsTail } from './tail';
import { ipList } from './ip-list';
import { reportMetrics } from './gauges';
import { tencentDay } from './figures';

type StatsService = Service & {
  tail: StatsTail;
  recorder: ActivityRecorder;
  timers: NodeJS.Timeout[];
  onCallback: (c: CallbackSent) => void;
  metrics: ReturnType<typeof reportMetrics>;
  fresh(): Promise<StatsFold>;
  projectionOwner(): string | undefined;
  fromOwner<R>(ctx: Context<unknown, { statsForwarded?: boolean }>, local: () => Promise<R>): Promise<R>;
};

/** Operations data codes (tencent-rest-api.md): 1002 invalid parameter, 1003 system error. */
const ops = { invalidCode: 1002, internalCode: 1003 };
const FLUSH_MS = 1000;

export interface AppInfoBody {
  RequestField?: string[];
}

export interface StatsQuery {
  app: number;
  days?: number;
}

const stats: ServiceSchema<ServiceSettingSchema, StatsService> = {
  name: 'stats',
  actions: {
    getAppInfo: {
      tencent: { command: 'openconfigsvr/getappinfo', summary: 'Daily operations figures of the last 30 days', ...ops },
      params: commandParams({ RequestField: { type: 'array', items: { type: 'string', max: 64 }, max: 64, optional: true } }),
      async handler(this: StatsService, ctx: Context<CommandParams<AppInfoBody>>) {
        const { app, body } = ctx.params;
        const unknown = unknownFields(body.RequestField ?? []);
        if (unknown.length > 0) throw new DomainError(1002, `unknown RequestField ${unknown.slice(0, 5).join(', ')}`);
        return this.fromOwner(ctx, async () => ({ Result: appInfo(await this.fresh(), { sdkAppId: app, name: '' }, Date.now(), body.RequestField) }));
      },
    },
    getIpList: {
      tencent: { command: 'ConfigSvc/GetIPList', summary: 'Addresses Parley sends callbacks from', ...ops },
      params: commandParams({}),
      handler(this: StatsService) {
        return { IPList: ipList(this.broker, runtimeOf(this.broker).config.ops.egressIps) };
      },
    },
    daily: {
      params: { $$strict: true, app: { type: 'number', integer: true, positive: true }, days: { type: 'number', integer: true, min: 1, max: 366, optional: true } },
      async handler(this: StatsService, ctx: Context<StatsQuery>): Promise<{ date: string; figures: Record<string, string> }[]> {
        return this.fromOwner(ctx, async () =>
          daySeries(await this.fresh(), ctx.params.app, Date.now(), ctx.params.days ?? 30).map(({ date, day }) => ({
            date,
            figures: tencentDay({ sdkAppId: ctx.params.app, name: '' }, date, day),
          })),
        );
      },
    },
    live: {
      params: { $$strict: true, app: { type: 'number', integer: true, positive: true } },
      async handler(this: StatsService, ctx: Context<StatsQuery>): Promise<LiveFigures> {
        return this.fromOwner(ctx, async () => liveFigures(await this.fresh(), ctx.params.app, Date.now()));
      },
    },
  },
  events: {
    'user.status.changed': {
      handler(this: StatsService, ctx: Context<UserStatusChanged>) {
        const s = ctx.params;
        if (s.status !== 'Online') return;
        this.recorder.login(s.app, s.userId, s.platform, s.at);
        this.metrics.login();
      },
    },
  },
  methods: {
    projectionOwner(this: StatsService): string | undefined {
      return routerOf(this.broker).ownerOf(this.fullName, 'projection');
    },
    /** Answers from the node that follows the log; locally when this is that node, or it cannot be reached. */
    async fromOwner<R>(this: StatsService, ctx: Context<unknown, { statsForwarded?: boolean }>, local: () => Promise<R>): Promise<R> {
      const owner = this.projectionOwner();
      if (owner === undefined || owner === this.broker.nodeID || ctx.meta.statsForwarded) return local();
      try {
        return await ctx.call<R, unknown>(ctx.action!.name!, ctx.params, { nodeID: owner, meta: { statsForwarded: true } });
      } catch (err) {
        this.logger.warn(`statistics from ${owner} failed, answering from this node: ${(err as Error).message}`);
        return local();
      }
    },
    /** The projection with every settled event folded (an answer is never older than the request). */
    async fresh(this: StatsService): Promise<StatsFold> {
      await this.recorder.flush();
      await this.tail.catchUp();
      return this.tail.fold;
    },
  },
  async started(this: StatsService) {
    const { store, config } = runtimeOf(this.broker);
    const fold = fromSnapshot(await store.loadSnapshot(SNAPSHOT_STREAM), config.ops.utcOffsetMin) ?? new StatsFold(config.ops.utcOffsetMin);
    this.tail = new StatsTail(store, fold, { periodMs: config.ops.statsTailMs, settleMs: config.ops.statsSettleMs, onError: (err) => this.logger.warn('statistics projection:', err) });
    this.recorder = new ActivityRecorder(store, this.broker.nodeID, this.logger);
    this.onCallback = (c) => this.recorder.callback(c.app, c.answered);
    this.broker.localBus.on(LOCAL.CALLBACK_SENT, this.onCallback);
    this.metrics = reportMetrics(this.broker);
    const sample = () => {
      const sockets = localSockets(this.broker);
      if (sockets) this.recorder.sample(sockets.usersByApp);
    };
    // The first sample once the node serves: the connector starts after this service may have.
    this.broker.localBus.once('$broker.started', sample);
    this.timers = [
      setInterval(() => void this.recorder.flush(), FLUSH_MS),
      setInterval(sample, config.ops.statsSampleSec * 1000),
    ];
    for (const t of this.timers) t.unref();
    // One node of a cluster follows the log (the owner of the key `projection` on the ring of the
    // nodes running stats) and answers the queries; the others only record their own activity
    // and forward queries to it. Every node folding every event cost each of them the decoding of
    // the whole log. An answer waits for the round in progress (fresh()). PARLEY_STATS_TAIL_MS=0:
    // no background rounds, an answer folds what came since the last one (docs/benchmarks.md
    // measures what the rounds cost the send path).
    const router = routerOf(this.broker);
    const following = config.ops.statsTailMs > 0;
    const follow = () => (following && this.projectionOwner() === this.broker.nodeID ? this.tail.start() : this.tail.pause());
    router.onChange(follow);
    follow();
  },
  async stopped(this: StatsService) {
    for (const t of this.timers ?? []) clearInterval(t);
    this.broker.localBus.off(LOCAL.CALLBACK_SENT, this.onCallback);
    this.metrics?.stop();
    await this.recorder?.flush();
    await this.tail?.stop();
  },
};

export default stats;
