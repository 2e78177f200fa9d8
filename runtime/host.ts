/**
 * The actor host of one node: one activation per key, a mailbox per activation, and the one
 * fixed order for every command: decide → append (expected version) → evolve → side effects.
 * Replay goes through load(), which never reaches the side-effect step.
 */
import { VersionConflictError, type EventLog, type FeedAppend, type NewEvent } from './eventlog';
import { ActorStaleError, type ActorKind } from './kind';

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

interface Activation<S> {
  state: S;
  version: number;
  snapshotVersion: number;
  mailbox: Promise<unknown>;
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
  private readonly active = new Map<string, Promise<Activation<S>>>();
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

  /** Runs one command on the key's activation, after those already in its mailbox. */
  async execute(key: string, command: C): Promise<ExecuteResult<R>> {
    const activation = await this.activate(key);
    activation.pending++;
    const run = activation.mailbox.then(() => this.handle(key, activation, command));
    activation.mailbox = run.catch(() => undefined);
    try {
      return await run;
    } finally {
      activation.pending--;
      activation.lastUsed = Date.now();
    }
  }

  private async handle(key: string, a: Activation<S>, command: C): Promise<ExecuteResult<R>> {
    if (a.stale) throw new ActorStaleError(this.streamOf(key));
    if (this.kind.sharedStream) await this.catchUp(key, a);
    const { events, reply, feeds } = this.kind.decide(a.state, command);
    if (events.length === 0) return { reply, version: a.version };
    // Evolve before the append so that side feeds see the state after the command. A failed
    // append drops the activation, taking the state that was never durable with it.
    const firstVersion = a.version + 1;
    let side: SideFeeds | undefined;
    let feedVersions: number[];
    try {
      for (const event of events) a.state = this.kind.evolve(a.state, event);
      side = this.sideFeeds(key, events, firstVersion, a.state, command);
      const all = side && side.feeds.length > 0 ? [...(feeds ?? []), ...side.feeds] : feeds;
      feedVersions = (await this.log.append(this.streamOf(key), a.version, events, all)).feedVersions;
    } catch (err) {
      // Whatever the append's fate, this activation no longer knows the stream's true state.
      this.drop(key, a);
      if (err instanceof VersionConflictError) throw new ActorStaleError(this.streamOf(key));
      throw err;
    }
    a.version += events.length;
    this.maybeSnapshot(key, a);
    try {
      side?.then?.();
      this.options.afterAppend?.(key, events, firstVersion, a.state, feedVersions);
    } catch (err) {
      this.options.log?.('error', `side effects of ${this.streamOf(key)}@${firstVersion} failed: ${(err as Error).message}`);
    }
    return { reply, version: a.version };
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
  private async catchUp(key: string, a: Activation<S>): Promise<void> {
    for (const event of await this.log.read(this.streamOf(key), a.version)) {
      a.state = this.kind.evolve(a.state, event as unknown as E);
      a.version = event.version;
    }
  }

  private activate(key: string): Promise<Activation<S>> {
    let activation = this.active.get(key);
    if (activation === undefined) {
      activation = this.load(key);
      this.active.set(key, activation);
      // A failed load is not cached: the next command tries again.
      activation.catch(() => {
        if (this.active.get(key) === activation) this.active.delete(key);
      });
    }
    return activation;
  }

  /** Recovery: the latest readable snapshot, then every event after it. */
  private async load(key: string): Promise<Activation<S>> {
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
    return { state, version, snapshotVersion, mailbox: Promise.resolve(), pending: 0, lastUsed: Date.now(), stale: false };
  }

  private maybeSnapshot(key: string, a: Activation<S>): void {
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

  private drop(key: string, a: Activation<S>): void {
    a.stale = true;
    const current = this.active.get(key);
    if (current !== undefined) current.then((c) => c === a && this.active.get(key) === current && this.active.delete(key), () => undefined);
  }

  /** Passivates every activation whose key `keep` rejects (ownership moved to another node). */
  passivateWhere(reject: (key: string) => boolean): number {
    let n = 0;
    for (const [key, activation] of this.active) {
      if (!reject(key)) continue;
      this.active.delete(key);
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
  }
}
