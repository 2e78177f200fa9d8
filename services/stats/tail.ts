/**
 * Keeps the statistics projection up to date by reading the event log in position order,
 * from its snapshot (or the start) on, every `periodMs`.
 *
 * Position order with PostgreSQL: positions are taken as transactions insert, so a batch that
 * commits a moment after a later one has a lower position than events already visible. The
 * tail therefore folds only events at least `settleMs` old (PARLEY_STATS_SETTLE_MS) and stops at the first younger one,
 * leaving it (and all after it) for the next round: a batch that was in flight when a later
 * position became visible has committed by then, unless its commit took longer than that.
 */
import type { EventLog } from '../../runtime/eventlog';
import { FOLDED_TYPES, type StatsFold } from './fold';
import { toSnapshot } from './snapshot';

const PAGE = 1000;
/** Events folded between snapshots (and at most this often: SNAPSHOT_MIN_MS). */
const SNAPSHOT_EVERY = 50_000;
const SNAPSHOT_MIN_MS = 60_000;

export class StatsTail {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private sinceSnapshot = 0;
  private snapshotAt = 0;
  private stopped = false;
  private following = false;

  constructor(
    private readonly log: EventLog,
    readonly fold: StatsFold,
    private readonly options: { periodMs: number; settleMs: number; now?: () => number; onError: (err: unknown) => void },
  ) {}

  /** Folds every `periodMs` from now on (again after pause()). */
  start(): void {
    if (this.following || this.stopped) return;
    this.following = true;
    const tick = () => {
      if (this.stopped || !this.following) return;
      this.catchUp()
        .catch(this.options.onError)
        .finally(() => {
          if (!this.stopped && this.following) this.timer = setTimeout(tick, this.options.periodMs);
        });
    };
    tick();
  }

  /** Stops the periodic rounds; catchUp() still folds on demand. */
  pause(): void {
    this.following = false;
    clearTimeout(this.timer);
  }

  get isFollowing(): boolean {
    return this.following;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    if (this.sinceSnapshot > 0) await this.log.saveSnapshot(toSnapshot(this.fold)).catch(this.options.onError);
  }

  /** Folds every settled event; one round at a time (a caller that asks meanwhile waits for it). */
  catchUp(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    const settled = now - this.options.settleMs;
    for (;;) {
      const page = await this.log.readByTime({ from: 0, to: Number.MAX_SAFE_INTEGER, afterPosition: this.fold.position, limit: PAGE, types: FOLDED_TYPES });
      let young = false;
      for (const e of page) {
        if (e.time > settled) {
          young = true;
          break;
        }
        this.fold.apply(e);
        this.sinceSnapshot++;
      }
      if (young || page.length < PAGE || this.stopped) break;
    }
    if (this.sinceSnapshot >= SNAPSHOT_EVERY && now - this.snapshotAt >= SNAPSHOT_MIN_MS) {
      this.snapshotAt = now;
      this.sinceSnapshot = 0;
      await this.log.saveSnapshot(toSnapshot(this.fold));
    }
  }
}
