/**
 * The delivery loop both queue-backed outboxes share (webhooks' after-callbacks, push jobs): per
 * owned shard one loop that lists the pending items while acknowledging the finished ones in the
 * same call (one stream read and at most one append per round), delivers what is due in
 * parallel, retries failures with exponential backoff and jitter, and rests when nothing is left.
 * What an item is, how it is delivered and how it is given up are the queue's hooks; the shard
 * knows only item ids. No Moleculer here: the services hand in their calls and logger.
 */

/** What delivering one item came to. `attempts` counts this one. */
export type ShardOutcome = 'done' | { retry: string } | { giveUp: string; attempts: number };

/** The backoff settings an app's settings carry (retryBaseMs doubling up to retryMaxMs). */
export interface ShardBackoff {
  retryBaseMs: number;
  retryMaxMs: number;
}

export interface ShardTuning {
  /** Most items delivered at once per round. */
  parallel: number;
  /** Pause after the queue actor itself failed (store down, ownership moving). */
  actorErrorPauseMs: number;
  /**
   * Finished items are acknowledged with the next round's listing, or after ackDelayMs when no
   * round follows, or at once when ackBatch of them wait: at a low rate an append (a commit) per
   * item would cost more than the delivery. A crash before the write delivers them again, as
   * at-least-once allows.
   */
  ackDelayMs: number;
  ackBatch: number;
  /**
   * A round that found fewer than paceBelow items due is followed by a pause up to roundPaceMs:
   * every round reads the shard's stream, and at a low rate rounds of one item each would cost a
   * read per item. A busy shard never pauses.
   */
  roundPaceMs: number;
  paceBelow: number;
}

/** One shard's queue, as the loop sees it. */
export interface ShardQueue<I, S extends ShardBackoff> {
  /** Names the shard in log lines: `${name} ${key}: ...`. */
  name: string;
  /** What waits to be acknowledged, in the warning when the delayed write fails. */
  unackedName: string;
  tuning: ShardTuning;
  log: { warn(line: string): void };
  owns(): boolean;
  idOf(item: I): number;
  /** Lists the pending items, acknowledging `finished` in the same call. */
  pending(finished: number[]): Promise<I[]>;
  acknowledge(ids: number[]): Promise<void>;
  /** This round's settings, or why every candidate is given up without an attempt. */
  settings(): S | { off: string };
  /** The items that may be delivered now (e.g. the oldest of each order key); default all. */
  candidates?(items: I[]): I[];
  /** Delivers one item; never throws. `attempts` counts the earlier attempts. */
  deliver(item: I, attempts: number, settings: S): Promise<ShardOutcome>;
  /** Told of a failed attempt that will be retried after delayMs. */
  retrying?(item: I, why: string, attempts: number, delayMs: number): void;
  /** Records (and reports) that the item will not be delivered. */
  giveUp(item: I, reason: string, attempts: number): Promise<void>;
}

/** Per node: one loop per owned shard key, started by the first kick and ended when idle. */
export class QueueShards<I, S extends ShardBackoff> {
  private readonly shards = new Map<string, QueueShard<I, S>>();

  constructor(private readonly queueOf: (key: string) => ShardQueue<I, S>) {}

  /** Starts the key's loop, or wakes it: new items arrived. */
  kick(key: string): void {
    const running = this.shards.get(key);
    if (running) return running.wake();
    const shard = new QueueShard(key, this.queueOf(key));
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

class QueueShard<I, S extends ShardBackoff> {
  private readonly retries = new Map<number, { attempts: number; nextAt: number }>();
  /** Finished, not yet acknowledged. */
  private readonly unacked = new Set<number>();
  private ackTimer: NodeJS.Timeout | undefined;
  private dirty = true;
  private stopped = false;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly key: string,
    private readonly q: ShardQueue<I, S>,
  ) {}

  wake(): void {
    this.dirty = true;
    this.wakeUp?.();
  }

  stop(): void {
    this.stopped = true;
    this.wakeUp?.();
  }

  async run(): Promise<void> {
    while (!this.stopped && this.q.owns()) {
      this.dirty = false;
      try {
        const acking = [...this.unacked];
        const items = await this.q.pending(acking);
        for (const id of acking) this.unacked.delete(id);
        if (this.unacked.size === 0) {
          clearTimeout(this.ackTimer);
          this.ackTimer = undefined;
        }
        const open = items.filter((item) => !this.unacked.has(this.q.idOf(item)));
        if (open.length === 0) {
          if (this.dirty) continue;
          // Nothing left to deliver: write what finished before resting.
          await this.flush();
          if (this.dirty) continue;
          return;
        }
        await this.round(open);
      } catch (err) {
        // A node shutting down closes the store under a round still in flight: nothing to report.
        if (this.stopped) return;
        this.q.log.warn(`${this.q.name} ${this.key}: ${(err as Error).message}; retrying in ${this.q.tuning.actorErrorPauseMs} ms`);
        await this.sleep(this.q.tuning.actorErrorPauseMs);
      }
    }
  }

  private async round(items: I[]): Promise<void> {
    const { tuning } = this.q;
    const candidates = this.q.candidates?.(items) ?? items;
    const settings = this.q.settings();
    if ('off' in settings) {
      for (const item of candidates) await this.giveUp(item, settings.off, 0);
      return;
    }
    const now = Date.now();
    const due = candidates.filter((item) => this.nextAt(item, 0) <= now).slice(0, tuning.parallel);
    if (due.length === 0) {
      const next = Math.min(...items.map((item) => this.nextAt(item, Infinity)));
      return this.sleep(Math.max(1, next - now));
    }
    const started = Date.now();
    const outcomes = await Promise.all(due.map((item) => this.q.deliver(item, this.retries.get(this.q.idOf(item))?.attempts ?? 0, settings)));
    for (const [i, item] of due.entries()) {
      if (outcomes[i] !== 'done') continue;
      this.unacked.add(this.q.idOf(item));
      this.retries.delete(this.q.idOf(item));
    }
    if (this.unacked.size >= tuning.ackBatch) await this.flush();
    else if (this.unacked.size > 0) this.ackTimer ??= setTimeout(() => void this.flush().catch((err: Error) => this.q.log.warn(`${this.q.name} ${this.key}: ${this.q.unackedName} not written yet (${err.message})`)), tuning.ackDelayMs);
    for (const [i, item] of due.entries()) {
      const outcome = outcomes[i];
      if (outcome === 'done') continue;
      if ('giveUp' in outcome) await this.giveUp(item, outcome.giveUp, outcome.attempts);
      else this.backoff(item, outcome.retry, settings);
    }
    const spent = Date.now() - started;
    if (due.length < tuning.paceBelow && spent < tuning.roundPaceMs && !this.stopped) await new Promise((r) => setTimeout(r, tuning.roundPaceMs - spent).unref());
  }

  private nextAt(item: I, otherwise: number): number {
    return this.retries.get(this.q.idOf(item))?.nextAt ?? otherwise;
  }

  private backoff(item: I, why: string, s: S): void {
    const attempts = (this.retries.get(this.q.idOf(item))?.attempts ?? 0) + 1;
    const delay = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** Math.min(attempts - 1, 30)) * (0.8 + Math.random() * 0.4);
    this.retries.set(this.q.idOf(item), { attempts, nextAt: Date.now() + delay });
    this.q.retrying?.(item, why, attempts, delay);
  }

  private async giveUp(item: I, reason: string, attempts: number): Promise<void> {
    await this.q.giveUp(item, reason, attempts);
    this.retries.delete(this.q.idOf(item));
  }

  /** Acknowledges what finished since the last write. */
  private async flush(): Promise<void> {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.unacked.size === 0) return;
    const ids = [...this.unacked];
    await this.q.acknowledge(ids);
    for (const id of ids) this.unacked.delete(id);
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
