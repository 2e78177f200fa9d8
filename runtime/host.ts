/**
 * The actor host of one node: one activation per key, a mailbox per activation, and the one
 * fixed order for every command: decide → append (expected version) → evolve → side effects.
 * Replay goes through load(), which never reaches the side-effect step.
 *
 * Commands a kind marks as batching (ActorKind.batches) that wait in a mailbox together share
 * one append: a hot key has only one append in flight at a time, so group commit alone gives
 * it one transaction per command, while its queue grows behind that transaction.
 */
import { VersionConflictError, type EventLog, type FeedAppend, type NewEvent } from './eventlog';
import { ActorStaleError, CommandExpiredError, type ActorKind } from './kind';

export interface HostOptions<S, E extends NewEvent, C = unknown> {
  /** Snapshot after this many events since the last snapshot; 0 = never. */
  snapshotEvery: number;
  /** Passivate activations idle this long (ms); 0 = never. */
  idleMs: number;
  /** Side effects after a durable append: publish, push. Errors are logged, not thrown. */
  afterAppend?: (key: string, events: E[], firstVersion: number, state: S, feedVersions: number[]) => void;
  /**
   * More streams to write in the same transaction as the command's events, computed from the
   * state after them and the command (the webhooks' outbox items, which name the caller's
   * platform and address: facts of the request, not of the events). `then` runs once they are
   * durable.
   */
  sideFeeds?: (key: string, events: E[], firstVersion: number, state: S, command: C) => SideFeeds | undefined;
  log?: (level: 'warn' | 'error', message: string) => void;
}

export interface SideFeeds {
  feeds: FeedAppend[];
  then?: () => void;
}

export interface ExecuteResult<R> {
  reply: R;
  /** The stream version after the command. */
  version: number;
}

/** Most commands one append takes from a mailbox. */
const MAX_BATCH = 64;

interface Queued<C, R> {
  command: C;
  /** Epoch ms after which the caller has given up: the command is then refused, not run. */
  deadline: number;
  resolve(result: ExecuteResult<R>): void;
  reject(err: unknown): void;
}

/** What one command of a batch decided, kept until the batch's append is durable. */
interface Decided<C, R, E> {
  item: Queued<C, R>;
  refusal?: unknown;
  reply?: R;
  events: E[];
  firstVersion: number;
  /** The stream version after this command. */
  version: number;
  side?: SideFeeds;
  feedFrom: number;
  feedCount: number;
}

interface Activation<S, C, R> {
  state: S;
  version: number;
  snapshotVersion: number;
  /** Commands waiting, in arrival order; one drain loop at a time runs them. */
  queue: Queued<C, R>[];
  draining: boolean;
  pending: number;
  lastUsed: number;
  /** Set once another writer was detected or ownership moved away: queued commands retry elsewhere. */
  stale: boolean;
}

export interface HostStats {
  activations: number;
  snapshotsLoaded: number;
  eventsReplayed: number;
  snapshotsSaved: number;
}

export class ActorHost<S, C, E extends NewEvent, R> {
  private readonly active = new Map<string, Promise<Activation<S, C, R>>>();
  /** The activations of `active` once loaded, for reads decided without a wait (ActorKind.reads). */
  private readonly ready = new Map<string, Activation<S, C, R>>();
  private readonly sweeper: NodeJS.Timeout | undefined;
  readonly stats: HostStats = { activations: 0, snapshotsLoaded: 0, eventsReplayed: 0, snapshotsSaved: 0 };

  constructor(
    readonly kind: ActorKind<S, C, E, R>,
    private readonly log: EventLog,
    private readonly options: HostOptions<S, E, C>,
  ) {
    if (options.idleMs > 0) {
      this.sweeper = setInterval(() => this.passivateIdle(), Math.max(250, options.idleMs / 4));
      this.sweeper.unref();
    }
  }

  streamOf(key: string): string {
    return `${this.kind.name}:${key}`;
  }

  /**
   * Runs one command on the key's activation, after those already in its mailbox. A command
   * still waiting at `deadline` (epoch ms; its caller's timeout, less a margin) is refused with
   * CommandExpiredError and never run, so a caller that timed out was told the truth.
   */
  execute(key: string, command: C, deadline = Infinity): Promise<ExecuteResult<R>> {
    const idle = this.ready.get(key);
    if (idle !== undefined && !idle.stale && !idle.draining && idle.queue.length === 0 && this.kind.reads && !this.kind.sharedStream) {
      const answer = this.read(idle, command, deadline);
      if (answer !== undefined) return answer;
    }
    return this.enqueue(key, command, deadline);
  }

  /**
   * A read on an idle activation, decided now: no mailbox item, no drain loop. Undefined when
   * the command turned out to write (or its caller has already given up): the mailbox runs it.
   */
  private read(a: Activation<S, C, R>, command: C, deadline: number): Promise<ExecuteResult<R>> | undefined {
    const now = Date.now();
    if (deadline <= now) return undefined;
    let decision: ReturnType<typeof this.kind.decide>;
    try {
      // Whatever a malformed command makes throw here is left to the mailbox to answer.
      if (!this.kind.reads?.(command)) return undefined;
    } catch {
      return undefined;
    }
    try {
      decision = this.kind.decide(a.state, command);
    } catch (refusal) {
      a.lastUsed = now;
      return Promise.reject(refusal);
    }
    if (decision.events.length > 0 || (decision.feeds?.length ?? 0) > 0) return undefined;
    a.lastUsed = now;
    return Promise.resolve({ reply: decision.reply, version: a.version });
  }

  /**
   * Into the key's mailbox. Synchronously once the activation is loaded, so that a read issued
   * right after a write (same tick) finds the write queued, never an idle activation.
   */
  private enqueue(key: string, command: C, deadline: number): Promise<ExecuteResult<R>> {
    const loaded = this.ready.get(key);
    if (loaded !== undefined) return this.queueOn(key, loaded, command, deadline);
    return this.activate(key).then((activation) => this.queueOn(key, activation, command, deadline));
  }

  private queueOn(key: string, activation: Activation<S, C, R>, command: C, deadline: number): Promise<ExecuteResult<R>> {
    activation.pending++;
    return new Promise<ExecuteResult<R>>((resolve, reject) => {
      activation.queue.push({ command, deadline, resolve, reject });
      if (!activation.draining) void this.drain(key, activation);
    }).finally(() => {
      activation.pending--;
      activation.lastUsed = Date.now();
    });
  }

  /** Runs the mailbox until it is empty: one command at a time, or one batch of batching ones. */
  private async drain(key: string, a: Activation<S, C, R>): Promise<void> {
    a.draining = true;
    try {
      while (a.queue.length > 0) {
        const batch = this.takeBatch(key, a);
        if (batch.length > 0) await this.handle(key, a, batch);
      }
    } finally {
      a.draining = false;
    }
  }

  /**
   * The first command waiting, and the batching ones right behind it if it batches too; those
   * whose caller's deadline passed are refused on the way.
   */
  private takeBatch(key: string, a: Activation<S, C, R>): Queued<C, R>[] {
    const now = Date.now();
    const batches = this.kind.batches;
    const batch: Queued<C, R>[] = [];
    while (a.queue.length > 0 && batch.length < MAX_BATCH) {
      const item = a.queue[0];
      if (item.deadline <= now) {
        a.queue.shift();
        item.reject(new CommandExpiredError(this.streamOf(key)));
        continue;
      }
      if (batch.length > 0 && !batches?.(item.command)) break;
      batch.push(a.queue.shift()!);
      if (!batches?.(item.command)) break;
    }
    return batch;
  }

  /**
   * One command, or a batch of them, and one append. Each is decided against the state the ones
   * before it left, and evolved before the append so that its side feeds see the state after it;
   * a refusal refuses that command alone. Nothing is answered, refusals included, before the
   * append is durable: every answer rests on the state the batch wrote. If the append fails, the
   * activation is dropped with the state it evolved, and every command of the batch fails as one
   * command would (stale: the router tries the owner).
   */
  private async handle(key: string, a: Activation<S, C, R>, batch: Queued<C, R>[]): Promise<void> {
    const decided: Decided<C, R, E>[] = [];
    const events: E[] = [];
    const feeds: FeedAppend[] = [];
    const startVersion = a.version;
    let feedVersions: number[] = [];
    let evolved = false;
    try {
      if (a.stale) throw new ActorStaleError(this.streamOf(key));
      if (this.kind.sharedStream) await this.catchUp(key, a);
      let version = a.version;
      for (const item of batch) {
        let decision: ReturnType<typeof this.kind.decide>;
        try {
          decision = this.kind.decide(a.state, item.command);
        } catch (refusal) {
          decided.push({ item, refusal, events: [], firstVersion: version + 1, version, feedFrom: feeds.length, feedCount: 0 });
          continue;
        }
        const firstVersion = version + 1;
        evolved ||= decision.events.length > 0;
        for (const event of decision.events) a.state = this.kind.evolve(a.state, event);
        version += decision.events.length;
        const side = decision.events.length > 0 ? this.sideFeeds(key, decision.events, firstVersion, a.state, item.command) : undefined;
        const own = [...(decision.feeds ?? []), ...(side?.feeds ?? [])];
        decided.push({ item, reply: decision.reply, events: decision.events, firstVersion, version, side, feedFrom: feeds.length, feedCount: own.length });
        events.push(...decision.events);
        feeds.push(...own);
      }
      if (events.length > 0) feedVersions = (await this.log.append(this.streamOf(key), startVersion, events, feeds.length > 0 ? feeds : undefined)).feedVersions;
    } catch (err) {
      // Whatever the append's fate, an activation that evolved no longer knows the stream's true state.
      if (evolved) this.drop(key, a);
      const failure = err instanceof VersionConflictError ? new ActorStaleError(this.streamOf(key)) : err;
      for (const item of batch) item.reject(failure);
      return;
    }
    if (events.length > 0) {
      a.version = startVersion + events.length;
      this.maybeSnapshot(key, a);
    }
    for (const d of decided) {
      if (d.events.length === 0) continue;
      try {
        d.side?.then?.();
        this.options.afterAppend?.(key, d.events, d.firstVersion, a.state, feedVersions.slice(d.feedFrom, d.feedFrom + d.feedCount));
      } catch (err) {
        this.options.log?.('error', `side effects of ${this.streamOf(key)}@${d.firstVersion} failed: ${(err as Error).message}`);
      }
    }
    for (const d of decided) {
      if (d.refusal !== undefined) d.item.reject(d.refusal);
      else d.item.resolve({ reply: d.reply as R, version: d.version });
    }
  }

  /** A failure here is logged and the command goes on without its side feeds. */
  private sideFeeds(key: string, events: E[], firstVersion: number, state: S, command: C): SideFeeds | undefined {
    try {
      return this.options.sideFeeds?.(key, events, firstVersion, state, command);
    } catch (err) {
      this.options.log?.('error', `side feeds of ${this.streamOf(key)}@${firstVersion} failed: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Applies what feed writers appended since this activation last looked. */
  private async catchUp(key: string, a: Activation<S, C, R>): Promise<void> {
    for (const event of await this.log.read(this.streamOf(key), a.version)) {
      a.state = this.kind.evolve(a.state, event as unknown as E);
      a.version = event.version;
    }
  }

  private activate(key: string): Promise<Activation<S, C, R>> {
    let activation = this.active.get(key);
    if (activation === undefined) {
      const loading = (activation = this.load(key));
      this.active.set(key, loading);
      // A failed load is not cached: the next command tries again.
      loading.then(
        (a) => {
          if (this.active.get(key) === loading && !a.stale) this.ready.set(key, a);
        },
        () => {
          if (this.active.get(key) === loading) this.active.delete(key);
        },
      );
    }
    return activation;
  }

  /** Recovery: the latest readable snapshot, then every event after it. */
  private async load(key: string): Promise<Activation<S, C, R>> {
    const stream = this.streamOf(key);
    let state = this.kind.initialState(key);
    let version = 0;
    const snapshot = this.kind.snapshot ? await this.log.loadSnapshot(stream) : undefined;
    if (snapshot && this.kind.snapshot) {
      if (snapshot.format !== this.kind.snapshot.format) {
        this.options.log?.('warn', `snapshot ${stream}@${snapshot.version} has format ${snapshot.format}; replaying the stream`);
      } else {
        try {
          state = this.kind.snapshot.decode(snapshot.data);
          version = snapshot.version;
          this.stats.snapshotsLoaded++;
        } catch (err) {
          this.options.log?.('warn', `snapshot ${stream}@${snapshot.version} is unreadable (${(err as Error).message}); replaying the stream`);
          state = this.kind.initialState(key);
        }
      }
    }
    const snapshotVersion = version;
    for (const event of await this.log.read(stream, version)) {
      state = this.kind.evolve(state, event as unknown as E);
      version = event.version;
      this.stats.eventsReplayed++;
    }
    this.stats.activations++;
    return { state, version, snapshotVersion, queue: [], draining: false, pending: 0, lastUsed: Date.now(), stale: false };
  }

  private maybeSnapshot(key: string, a: Activation<S, C, R>): void {
    const codec = this.kind.snapshot;
    if (!codec || this.options.snapshotEvery <= 0) return;
    const due = Math.max(this.options.snapshotEvery, this.kind.snapshotWeight?.(a.state) ?? 0);
    if (a.version - a.snapshotVersion < due) return;
    a.snapshotVersion = a.version;
    const snapshot = { stream: this.streamOf(key), version: a.version, format: codec.format, data: codec.encode(a.state) };
    this.log.saveSnapshot(snapshot).then(
      () => this.stats.snapshotsSaved++,
      (err: Error) => this.options.log?.('warn', `snapshot ${snapshot.stream}@${snapshot.version} not saved: ${err.message}`),
    );
  }

  private drop(key: string, a: Activation<S, C, R>): void {
    a.stale = true;
    if (this.ready.get(key) === a) this.ready.delete(key);
    const current = this.active.get(key);
    if (current !== undefined) current.then((c) => c === a && this.active.get(key) === current && this.active.delete(key), () => undefined);
  }

  /** Passivates every activation whose key `keep` rejects (ownership moved to another node). */
  passivateWhere(reject: (key: string) => boolean): number {
    let n = 0;
    for (const [key, activation] of this.active) {
      if (!reject(key)) continue;
      this.active.delete(key);
      this.ready.delete(key);
      activation.then((a) => (a.stale = true), () => undefined);
      n++;
    }
    return n;
  }

  private passivateIdle(): void {
    const cutoff = Date.now() - this.options.idleMs;
    for (const [key, activation] of this.active) {
      activation.then((a) => {
        if (a.pending === 0 && a.lastUsed < cutoff && this.active.get(key) === activation) {
          this.active.delete(key);
          this.ready.delete(key);
          a.stale = true;
        }
      }, () => undefined);
    }
  }

  activeKeys(): string[] {
    return [...this.active.keys()];
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.active.clear();
    this.ready.clear();
  }
}
