/**
 * Group commit: appends that arrive within a short window share one transaction. One fsync
 * then covers many actors' events, which is what makes durable messaging fast.
 */
import type { AppendOutcome, AppendRequest, LogBackend } from './backend';

interface Pending {
  request: AppendRequest;
  resolve: (outcome: AppendOutcome) => void;
  reject: (err: Error) => void;
}

export interface GroupCommitOptions {
  /** Milliseconds to wait for more appends once one arrives; 0 = next turn of the event loop. */
  windowMs: number;
  maxBatch: number;
  /** Batches committed at the same time (PostgreSQL pool); SQLite commits synchronously anyway. */
  maxInFlight: number;
}

/** Told of every committed batch: its appends and how long the commit took (metrics). */
export type CommitObserver = (batch: AppendRequest[], seconds: number) => void;

export class GroupCommitter {
  observer: CommitObserver | undefined;
  private queue: Pending[] = [];
  private timer: { cancel(): void } | undefined;
  private inFlight = 0;

  constructor(
    private readonly backend: LogBackend,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(request: AppendRequest): Promise<AppendOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.options.windowMs);
    });
  }

  /**
   * Delay 0 uses setImmediate: setTimeout clamps 0 to 1 ms, and a hot key (one append in flight
   * at a time) then waited that millisecond on every command.
   */
  private flushSoon(delay: number): void {
    if (this.timer !== undefined) {
      if (delay > 0) return;
      this.timer.cancel();
    }
    const run = () => {
      this.timer = undefined;
      this.flush();
    };
    if (delay > 0) {
      const t = setTimeout(run, delay);
      this.timer = { cancel: () => clearTimeout(t) };
    } else {
      const i = setImmediate(run);
      this.timer = { cancel: () => clearImmediate(i) };
    }
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.takeBatch();
      this.inFlight++;
      this.commit(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.flushSoon(0);
      });
    }
  }

  /** A stream appears at most once per batch, so each request sees the one before it committed. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const deferred: Pending[] = [];
    const streams = new Set<string>();
    for (const item of this.queue) {
      if (batch.length < this.options.maxBatch && !streams.has(item.request.stream)) {
        streams.add(item.request.stream);
        batch.push(item);
      } else deferred.push(item);
    }
    this.queue = deferred;
    return batch;
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const requests = batch.map((p) => p.request);
      const started = this.observer && process.hrtime.bigint();
      const outcomes = await this.backend.appendBatch(requests);
      if (started) observeSafely(this.observer!, requests, Number(process.hrtime.bigint() - started) / 1e9);
      batch.forEach((p, i) => p.resolve(outcomes[i]));
    } catch (err) {
      for (const p of batch) p.reject(err as Error);
    }
  }
}

/** A failing observer (metrics) never fails a commit that succeeded. */
function observeSafely(observer: CommitObserver, requests: AppendRequest[], seconds: number): void {
  try {
    observer(requests, seconds);
  } catch {
    // metrics only
  }
}
