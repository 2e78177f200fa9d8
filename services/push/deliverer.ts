/**
 * Delivers the push jobs of the queue shards this node owns: per shard one loop that reads the
 * oldest pending items, resolves each item's devices (targets.ts), hands one notification per
 * device to its provider, and records the outcome: Done once every device got it (or needs it no
 * longer), Sent for the devices done when others wait for a retry (so a retry never pushes a
 * device twice), exponential backoff per item, Dropped after the app's retryMaxAgeMs. Gone
 * tokens are removed from the device's registration. The loop runs beside the send path and
 * shares nothing with it but the event log: a slow or failing provider delays only pushes.
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
import type { Providers } from './providers';
import { targetsOf } from './targets';
import { DEVICES_SERVICE } from '../pushdevices/client';
import type { PushStats } from './stats';

export interface DelivererDeps {
  broker: ServiceBroker;
  call(key: string, command: PushqCommand): Promise<PushqReply>;
  owns(key: string): boolean;
  providers: Providers;
  stats: PushStats;
  log: LoggerInstance;
}

const WINDOW = 500;
const PARALLEL = 64;
const ACTOR_ERROR_PAUSE_MS = 1000;
/** Finished items are written with the next round, or after this long when none follows. */
const ACK_DELAY_MS = 50;
const ROUND_PACE_MS = 50;
const PACE_BELOW = 32;

type Result = 'done' | 'retry' | { drop: string };

export class Deliverers {
  private readonly shards = new Map<string, ShardDeliverer>();

  constructor(private readonly deps: DelivererDeps) {}

  kick(key: string): void {
    const running = this.shards.get(key);
    if (running) return running.wake();
    const shard = new ShardDeliverer(key, this.deps);
    this.shards.set(key, shard);
    void shard.run().finally(() => this.shards.get(key) === shard && this.shards.delete(key));
  }

  running(key: string): boolean {
    return this.shards.has(key);
  }

  stop(): void {
    for (const shard of this.shards.values()) shard.stop();
    this.shards.clear();
  }
}

class ShardDeliverer {
  private readonly app: number;
  private readonly retries = new Map<number, { attempts: number; nextAt: number }>();
  private readonly finished = new Set<number>();
  private ackTimer: NodeJS.Timeout | undefined;
  private dirty = true;
  private stopped = false;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly key: string,
    private readonly deps: DelivererDeps,
  ) {
    this.app = appOfPushqKey(key);
  }

  wake(): void {
    this.dirty = true;
    this.wakeUp?.();
  }

  stop(): void {
    this.stopped = true;
    this.wakeUp?.();
  }

  async run(): Promise<void> {
    while (!this.stopped && this.deps.owns(this.key)) {
      this.dirty = false;
      try {
        const acking = [...this.finished];
        const { items } = (await this.deps.call(this.key, { op: 'pending', limit: WINDOW, done: acking, now: Date.now() })) as { items: PendingPush[] };
        for (const id of acking) this.finished.delete(id);
        const open = items.filter((p) => !this.finished.has(p.item.id));
        if (open.length === 0) {
          if (this.dirty) continue;
          await this.flush();
          if (this.dirty) continue;
          return;
        }
        await this.round(open);
      } catch (err) {
        if (this.stopped) return;
        this.deps.log.warn(`push queue ${this.key}: ${(err as Error).message}; retrying in ${ACTOR_ERROR_PAUSE_MS} ms`);
        await this.sleep(ACTOR_ERROR_PAUSE_MS);
      }
    }
  }

  private async round(items: PendingPush[]): Promise<void> {
    const settings = pushSettings(appDirectory(this.deps.broker).get(this.app)?.settings ?? {});
    const now = Date.now();
    const due = items.filter((p) => (this.retries.get(p.item.id)?.nextAt ?? 0) <= now).slice(0, PARALLEL);
    if (due.length === 0) {
      const next = Math.min(...items.map((p) => this.retries.get(p.item.id)?.nextAt ?? Infinity));
      return this.sleep(Math.max(1, next - now));
    }
    const started = Date.now();
    const results = await Promise.all(due.map((p) => this.deliver(p, settings).catch((err: Error): Result => {
      this.deps.log.warn(`push ${this.key}#${p.item.id}: ${err.message}`);
      return 'retry';
    })));
    for (const [i, p] of due.entries()) {
      const result = results[i];
      if (result === 'done') {
        this.finished.add(p.item.id);
        this.retries.delete(p.item.id);
      } else if (result === 'retry') this.backoff(p, settings);
      else {
        await this.deps.call(this.key, { op: 'drop', id: p.item.id, reason: result.drop, now: Date.now() });
        this.retries.delete(p.item.id);
        this.deps.log.error(`push ${this.key}#${p.item.id} of app ${this.app} given up: ${result.drop}`);
      }
    }
    if (this.finished.size > 0) this.ackTimer ??= setTimeout(() => void this.flush().catch((err: Error) => this.deps.log.warn(`push queue ${this.key}: finished items not written yet (${err.message})`)), ACK_DELAY_MS);
    const spent = Date.now() - started;
    if (due.length < PACE_BELOW && spent < ROUND_PACE_MS && !this.stopped) await new Promise((r) => setTimeout(r, ROUND_PACE_MS - spent).unref());
  }

  /** Pushes one item to the devices that still need it. */
  private async deliver(p: PendingPush, settings: PushSettings): Promise<Result> {
    const { item } = p;
    const job = JSON.parse(item.job) as PushJob;
    const now = Date.now();
    if (job.ttlSec > 0 && now > job.sentAt + job.ttlSec * 1000) return 'done';
    const attempts = this.retries.get(item.id)?.attempts ?? 0;
    if (attempts > 0 && now - item.at >= settings.retryMaxAgeMs) return { drop: `undelivered after ${attempts} attempts` };
    const done = new Set(p.sent);
    const targets = await targetsOf(this.deps.broker, this.app, item.users, job, done, (d) => this.deps.providers.configured(settings, d.provider));
    if (targets.length === 0) return 'done';
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
    return 'retry';
  }

  private backoff(p: PendingPush, s: PushSettings): void {
    const attempts = (this.retries.get(p.item.id)?.attempts ?? 0) + 1;
    const delay = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** Math.min(attempts - 1, 30)) * (0.8 + Math.random() * 0.4);
    this.retries.set(p.item.id, { attempts, nextAt: Date.now() + delay });
  }

  private async flush(): Promise<void> {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.finished.size === 0) return;
    const ids = [...this.finished];
    await this.deps.call(this.key, { op: 'done', ids, now: Date.now() });
    for (const id of ids) this.finished.delete(id);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wakeUp = done;
    });
  }
}
