/**
 * Delivers the after-callbacks of the outbox shards this node owns: per shard one loop that
 * sends the oldest pending item of every orderKey (so one key never overtakes itself, while
 * a slow key does not hold the others), acknowledges successes in one Delivered event, and
 * retries failures with exponential backoff until the app's retryMaxAgeMs, then GaveUp.
 * At least once: a crash between the backend's 200 and the Delivered append resends.
 */
import type { LoggerInstance, ServiceBroker } from 'moleculer';
import { appOfOutboxKey, type OutboxCommand, type OutboxItem, type OutboxReply } from '../../actors/outbox';
import type { CallbackSettings } from '../../actors/apps/settings/callbacks';
import { postJson } from './http';
import { callbackTarget } from './request';
import { appCallbackSettings } from './settings';
import { LOCAL, type CallbackSent } from '../events';

export interface DelivererDeps {
  broker: ServiceBroker;
  call(key: string, command: OutboxCommand): Promise<OutboxReply>;
  owns(key: string): boolean;
  log: LoggerInstance;
}

/** Items read per round, and most requests in flight per shard. */
const WINDOW = 1000;
const PARALLEL = 64;
/** Pause after the outbox actor itself failed (store down, ownership moving). */
const ACTOR_ERROR_PAUSE_MS = 1000;
/**
 * Deliveries are written with the next round's `pending` command, or after this many ms when
 * no round follows, or once ACK_BATCH ids wait: at a low rate a round sends one item, and an
 * append (a commit) per item would cost more than the request. The next item of a key does not
 * wait for it; a crash before it is written sends those items again, as at-least-once allows.
 */
const ACK_DELAY_MS = 50;
const ACK_BATCH = 256;
/**
 * A round that found few items due is followed by this pause: every round reads the shard's
 * stream for new items, and at a low rate rounds of one item each would cost a read per item.
 * It delays an after-callback by at most this much; a busy shard never pauses.
 */
const ROUND_PACE_MS = 50;
const PACE_BELOW = 16;

export class Deliverers {
  private readonly shards = new Map<string, ShardDeliverer>();

  constructor(private readonly deps: DelivererDeps) {}

  /** Starts the key's loop, or wakes it: new items arrived. */
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

interface Retry {
  attempts: number;
  nextAt: number;
}

class ShardDeliverer {
  private readonly app: number;
  private readonly retries = new Map<number, Retry>();
  /** Delivered, not yet written as Delivered. */
  private readonly unacked = new Set<number>();
  private ackTimer: NodeJS.Timeout | undefined;
  private dirty = true;
  private stopped = false;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly key: string,
    private readonly deps: DelivererDeps,
  ) {
    this.app = appOfOutboxKey(key);
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
        // What was delivered since the last write is written by the same command that lists
        // what is left: one stream read and at most one append per round.
        const acking = [...this.unacked];
        const { items } = (await this.deps.call(this.key, { op: 'pending', limit: WINDOW, delivered: acking, now: Date.now() })) as { items: OutboxItem[] };
        for (const id of acking) this.unacked.delete(id);
        if (this.unacked.size === 0) {
          clearTimeout(this.ackTimer);
          this.ackTimer = undefined;
        }
        const open = items.filter((item) => !this.unacked.has(item.id));
        if (open.length === 0) {
          if (this.dirty) continue;
          // Nothing left to send: write what was delivered before resting.
          await this.flush();
          if (this.dirty) continue;
          return;
        }
        await this.round(open);
      } catch (err) {
        // A node shutting down closes the store under a round still in flight: nothing to report.
        if (this.stopped) return;
        this.deps.log.warn(`outbox ${this.key}: ${(err as Error).message}; retrying in ${ACTOR_ERROR_PAUSE_MS} ms`);
        await this.sleep(ACTOR_ERROR_PAUSE_MS);
      }
    }
  }

  private async round(items: OutboxItem[]): Promise<void> {
    const settings = appCallbackSettings(this.deps.broker, this.app);
    if (!settings || settings.url === '') {
      for (const item of headsOf(items)) await this.giveUp(item, 'webhooks are off for the app');
      return;
    }
    const now = Date.now();
    const due = headsOf(items)
      .filter((item) => (this.retries.get(item.id)?.nextAt ?? 0) <= now)
      .slice(0, PARALLEL);
    if (due.length === 0) {
      const next = Math.min(...items.map((i) => this.retries.get(i.id)?.nextAt ?? Infinity));
      return this.sleep(Math.max(1, next - now));
    }
    const started = Date.now();
    const sent = await Promise.all(due.map((item) => this.send(item, settings)));
    const delivered = due.filter((_, i) => sent[i] === true).map((item) => item.id);
    for (const id of delivered) {
      this.unacked.add(id);
      this.retries.delete(id);
    }
    if (this.unacked.size >= ACK_BATCH) await this.flush();
    else if (this.unacked.size > 0) this.ackTimer ??= setTimeout(() => void this.flush().catch((err: Error) => this.deps.log.warn(`outbox ${this.key}: deliveries not written yet (${err.message})`)), ACK_DELAY_MS);
    for (const [i, item] of due.entries()) {
      if (sent[i] !== true) await this.failed(item, sent[i] as string, settings);
    }
    const spent = Date.now() - started;
    if (due.length < PACE_BELOW && spent < ROUND_PACE_MS && !this.stopped) await new Promise((r) => setTimeout(r, ROUND_PACE_MS - spent).unref());
  }

  /** Writes one Delivered event for what was delivered since the last one. */
  private async flush(): Promise<void> {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.unacked.size === 0) return;
    const ids = [...this.unacked];
    await this.deps.call(this.key, { op: 'delivered', ids, now: Date.now() });
    for (const id of ids) this.unacked.delete(id);
  }

  /** true, or why it failed. Tencent: anything but HTTP 200 with JSON is a failure; the code inside is ignored. */
  private async send(item: OutboxItem, s: CallbackSettings): Promise<true | string> {
    try {
      const url = callbackTarget(s, { app: this.app, command: item.command, platform: item.platform, clientIp: item.clientIp });
      const answer = await postJson(url, item.body, s.timeoutMs, 'after');
      if (answer.status !== 200) return this.counted(item, `HTTP ${answer.status}`);
      JSON.parse(answer.text);
      return this.counted(item, true);
    } catch (err) {
      return this.counted(item, err instanceof SyntaxError ? 'answer is not JSON' : (err as Error).message);
    }
  }

  /** For the statistics and metrics of this node (services/events.ts LOCAL). */
  private counted(item: OutboxItem, outcome: true | string): true | string {
    this.deps.broker.localBus.emit(LOCAL.CALLBACK_SENT, { app: this.app, command: item.command, answered: outcome === true } satisfies CallbackSent);
    return outcome;
  }

  private async failed(item: OutboxItem, why: string, s: CallbackSettings): Promise<void> {
    const attempts = (this.retries.get(item.id)?.attempts ?? 0) + 1;
    const now = Date.now();
    if (now - item.at >= s.retryMaxAgeMs) return this.giveUp(item, `${why} after ${attempts} attempts`, attempts);
    const delay = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** Math.min(attempts - 1, 30)) * (0.8 + Math.random() * 0.4);
    this.retries.set(item.id, { attempts, nextAt: now + delay });
    const line = `webhook ${item.command} of app ${this.app} (request ${this.key}#${item.id}) failed: ${why}; attempt ${attempts}, next in ${Math.round(delay)} ms`;
    if (attempts === 1) this.deps.log.warn(line);
    else this.deps.log.debug(line);
  }

  private async giveUp(item: OutboxItem, reason: string, attempts = 0): Promise<void> {
    await this.deps.call(this.key, { op: 'giveUp', id: item.id, attempts, reason, now: Date.now() });
    this.retries.delete(item.id);
    this.deps.log.error(`webhook ${item.command} of app ${this.app} (request ${this.key}#${item.id}) given up: ${reason}`);
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

/** The oldest pending item of each orderKey, oldest first. */
function headsOf(items: OutboxItem[]): OutboxItem[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.orderKey) && (seen.add(item.orderKey), true));
}
