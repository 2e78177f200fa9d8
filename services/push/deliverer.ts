/**
 * Delivers the push jobs of the queue shards this node owns (the loop is runtime/queue-shard.ts):
 * per shard one loop that reads the oldest pending items, resolves each item's devices
 * (targets.ts), hands one notification per device to its provider, and records the outcome:
 * Done once every device got it (or needs it no longer), Sent for the devices done when others
 * wait for a retry (so a retry never pushes a device twice), exponential backoff per item,
 * Dropped after the app's retryMaxAgeMs. Gone tokens are removed from the device's
 * registration. The loop runs beside the send path and shares nothing with it but the event
 * log: a slow or failing provider delays only pushes.
 * A crash between a provider's acceptance and the Done append pushes that device again after
 * restart; every copy carries the message's collapse id, so the device shows it once.
 */
import type { LoggerInstance, ServiceBroker } from 'moleculer';
import { appOfPushqKey, type PendingPush, type PushqCommand, type PushqReply } from '../../actors/pushq';
import { pushSettings, type PushSettings } from '../../actors/apps/settings/push';
import { pushregKey } from '../../actors/pushreg';
import { routerOf } from '../../runtime/moleculer/router';
import { appDirectory } from '../apps/registry';
import type { PushJob } from './job';
import { notificationOf } from './notification';
import { titleOf } from './friend-request';
import type { Providers } from './providers';
import { targetsOf } from './targets';
import { DEVICES_SERVICE } from '../pushdevices/client';
import type { PushStats } from './stats';
import { QueueShards, type ShardOutcome, type ShardQueue } from '../../runtime/queue-shard';

export interface DelivererDeps {
  broker: ServiceBroker;
  call(key: string, command: PushqCommand): Promise<PushqReply>;
  owns(key: string): boolean;
  providers: Providers;
  stats: PushStats;
  log: LoggerInstance;
}

/** Items read per round. */
const WINDOW = 500;
/** Finished items are written with the next round, or after ackDelayMs when none follows. */
const TUNING = {
  parallel: 64,
  actorErrorPauseMs: 1000,
  ackDelayMs: 50,
  ackBatch: Infinity,
  roundPaceMs: 50,
  paceBelow: 32,
};

export class Deliverers extends QueueShards<PendingPush, PushSettings> {
  constructor(deps: DelivererDeps) {
    super((key) => new PushShard(key, deps).queue());
  }
}

/** One push queue shard's hooks for the shared loop; what a push is lives here. */
class PushShard {
  private readonly app: number;

  constructor(
    private readonly key: string,
    private readonly deps: DelivererDeps,
  ) {
    this.app = appOfPushqKey(key);
  }

  queue(): ShardQueue<PendingPush, PushSettings> {
    const { key, deps } = this;
    return {
      name: 'push queue',
      unackedName: 'finished items',
      tuning: TUNING,
      log: deps.log,
      owns: () => deps.owns(key),
      idOf: (p) => p.item.id,
      pending: async (done) => ((await deps.call(key, { op: 'pending', limit: WINDOW, done, now: Date.now() })) as { items: PendingPush[] }).items,
      acknowledge: async (ids) => void (await deps.call(key, { op: 'done', ids, now: Date.now() })),
      settings: () => pushSettings(appDirectory(deps.broker).get(this.app)?.settings ?? {}),
      deliver: (p, attempts, settings) =>
        this.deliver(p, attempts, settings).catch((err: Error): ShardOutcome => {
          deps.log.warn(`push ${key}#${p.item.id}: ${err.message}`);
          return { retry: err.message };
        }),
      giveUp: async (p, reason) => {
        await deps.call(key, { op: 'drop', id: p.item.id, reason, now: Date.now() });
        deps.log.error(`push ${key}#${p.item.id} of app ${this.app} given up: ${reason}`);
      },
    };
  }

  /** Pushes one item to the devices that still need it. */
  private async deliver(p: PendingPush, attempts: number, settings: PushSettings): Promise<ShardOutcome> {
    const { item } = p;
    const job = JSON.parse(item.job) as PushJob;
    const now = Date.now();
    if (job.ttlSec > 0 && now > job.sentAt + job.ttlSec * 1000) return 'done';
    if (attempts > 0 && now - item.at >= settings.retryMaxAgeMs) return { giveUp: `undelivered after ${attempts} attempts`, attempts };
    const done = new Set(p.sent);
    const targets = await targetsOf(this.deps.broker, this.app, item.users, job, done, (d) => this.deps.providers.configured(settings, d.provider));
    if (targets.length === 0) return 'done';
    if (job.kind === 'friend') job.title = await titleOf(this.deps.broker, this.app, job);
    const outcomes = await Promise.all(targets.map((t) => this.deps.providers.send(settings, t.device.provider, t.device.token, notificationOf(job, t.badge))));
    const settled: string[] = [];
    let retry = false;
    for (const [i, t] of targets.entries()) {
      const o = outcomes[i];
      const device = `${t.user}/${t.device.instId}`;
      this.deps.stats.count(t.device.provider, o);
      if (o.ok) settled.push(device);
      else if (o.gone) {
        settled.push(device);
        await routerOf(this.deps.broker).call(DEVICES_SERVICE, pushregKey(this.app, t.user), { op: 'remove', token: t.device.token, reason: 'unregistered', now: Date.now() });
        this.deps.log.info(`push to ${t.user}/${t.device.instId} (${t.device.provider}): ${o.reason}; token removed`);
      } else if (o.retry) {
        retry = true;
        this.deps.log.warn(`push ${this.key}#${item.id} to ${t.user}/${t.device.instId} (${t.device.provider}) failed: ${o.reason}; will retry`);
      } else {
        settled.push(device);
        this.deps.log.warn(`push ${this.key}#${item.id} to ${t.user}/${t.device.instId} (${t.device.provider}) refused: ${o.reason}; not retried`);
      }
    }
    if (!retry) return 'done';
    if (settled.length > 0) await this.deps.call(this.key, { op: 'sent', id: item.id, devices: settled, now: Date.now() });
    return { retry: 'a device will retry' };
  }
}
