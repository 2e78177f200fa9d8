/**
 * The event log every adapter shares: Avro encoding with fingerprints, group commit, and
 * decoding that names the stream and version of anything it cannot read.
 */
import { CodecError, EventCodec } from '../schemas/codec';
import {
  CorruptEventError,
  VersionConflictError,
  type AppendResult,
  type EventLog,
  type FeedAppend,
  type IndexedEvent,
  type IndexRange,
  type NewEvent,
  type Snapshot,
  type StoredEvent,
  type TimeRange,
} from '../runtime/eventlog';
import type { LogBackend, RawEvent } from './backend';
import { GroupCommitter, type CommitObserver, type GroupCommitOptions } from './group-commit';

export interface EventStoreOptions {
  groupCommit: boolean;
  commit: GroupCommitOptions;
  /** Clock of append times; tests fix it. */
  now?: () => number;
}

const READ_PAGE = 1000;

export class EventStore implements EventLog {
  private readonly committer: GroupCommitter | undefined;
  private readonly now: () => number;

  private constructor(
    readonly backend: LogBackend,
    readonly codec: EventCodec,
    options: EventStoreOptions,
  ) {
    this.committer = options.groupCommit ? new GroupCommitter(backend, options.commit) : undefined;
    this.now = options.now ?? Date.now;
  }

  /** Observes every group commit (runtime/metrics.ts); without group commit there is none to observe. */
  set commitObserver(observer: CommitObserver | undefined) {
    if (this.committer) this.committer.observer = observer;
  }

  /** Opens the backend (running its migrations), then shares schemas both ways with it. */
  static async open(backend: LogBackend, codec: EventCodec, options: EventStoreOptions): Promise<EventStore> {
    await backend.open();
    for (const record of await backend.loadSchemas()) {
      try {
        codec.addWriter(record);
      } catch (err) {
        throw new CodecError(`schema table of ${backend.name} holds an unreadable schema: ${(err as Error).message}`);
      }
    }
    await backend.saveSchemas(codec.schemas());
    const store = new EventStore(backend, codec, options);
    await store.fileStoredEvents();
    return store;
  }

  /**
   * Files in their indexes the events stored before their schemas declared them (a database
   * of an earlier version, a declaration added or changed since): one pass over the log per
   * change, recorded per event type so that it never runs twice. Entries are idempotent, so
   * nodes of a cluster starting together may both run it. Nodes of an earlier version that
   * still append meanwhile write events no index files: upgrade a cluster by stopping them first.
   */
  private async fileStoredEvents(): Promise<void> {
    const wanted = this.codec.indexSpecs();
    const filed = await this.backend.indexedTypes();
    const changed = [...wanted.keys()].filter((type) => filed.get(type) !== wanted.get(type));
    const dropped = [...filed.keys()].filter((type) => !wanted.has(type));
    if (changed.length === 0 && dropped.length === 0) return;
    const stale = [...changed.filter((type) => filed.has(type)), ...dropped];
    if (stale.length > 0) await this.backend.removeIndexEntries(stale);
    for (let after = 0; changed.length > 0; ) {
      const page = await this.backend.scanTypes(changed, after, READ_PAGE);
      const entries = page.flatMap((raw) => this.codec.indexKeys(raw.type, this.decode(raw).data).map((k) => ({ stream: raw.stream, version: raw.version, ...k })));
      await this.backend.addIndexEntries(entries);
      if (page.length < READ_PAGE) break;
      after = page[page.length - 1].position;
    }
    await this.backend.markIndexed(new Map(changed.map((type) => [type, wanted.get(type)!])), dropped);
  }

  async append(stream: string, expectedVersion: number, events: NewEvent[], feeds: FeedAppend[] = []): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError(`append to ${stream} with no events`);
    const encode = (e: NewEvent) => ({ type: e.type, ...this.codec.encode(e.type, e.data), keys: this.codec.indexKeys(e.type, e.data) });
    const request = {
      stream,
      expectedVersion,
      time: this.now(),
      events: events.map(encode),
      feeds: feeds.filter((f) => f.events.length > 0).map((f) => ({ stream: f.stream, events: f.events.map(encode) })),
    };
    const outcome = this.committer ? await this.committer.submit(request) : (await this.backend.appendBatch([request]))[0];
    if (!outcome.ok) throw new VersionConflictError(stream, expectedVersion, outcome.actual);
    return { version: outcome.version, position: outcome.position, feedVersions: outcome.feedVersions };
  }

  async read(stream: string, fromVersion = 0, limit = Number.MAX_SAFE_INTEGER): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    let from = fromVersion;
    while (out.length < limit) {
      const page = await this.backend.readStream(stream, from, Math.min(READ_PAGE, limit - out.length));
      for (const raw of page) {
        if (raw.version !== from + 1) throw new CorruptEventError(stream, from + 1, `missing; found version ${raw.version} next`);
        out.push(this.decode(raw));
        from = raw.version;
      }
      if (page.length < READ_PAGE) break;
    }
    return out;
  }

  async readBackward(stream: string, beforeVersion: number, limit: number): Promise<StoredEvent[]> {
    return (await this.backend.readStreamBackward(stream, beforeVersion, limit)).map((raw) => this.decode(raw));
  }

  async readIndex(stream: string, range: IndexRange): Promise<IndexedEvent[]> {
    const raws = await this.backend.readIndex(stream, { ...range, beforeVersion: range.beforeVersion ?? Number.MAX_SAFE_INTEGER });
    return raws.map((raw) => ({ ...this.decode(raw), key: raw.key }));
  }

  async readByTime(range: TimeRange): Promise<StoredEvent[]> {
    const raws = await this.backend.readByTime({
      from: range.from,
      to: range.to,
      streamPrefix: range.streamPrefix,
      afterPosition: range.afterPosition ?? 0,
      limit: range.limit ?? READ_PAGE,
      types: range.types,
    });
    return raws.map((raw) => this.decode(raw));
  }

  version(stream: string): Promise<number> {
    return this.backend.streamVersion(stream);
  }

  redact(stream: string, version: number, event: NewEvent): Promise<boolean> {
    return this.backend.rewriteEvent(stream, version, { type: event.type, ...this.codec.encode(event.type, event.data) });
  }

  saveSnapshot(snapshot: Snapshot): Promise<void> {
    return this.backend.saveSnapshot(snapshot);
  }

  loadSnapshot(stream: string): Promise<Snapshot | undefined> {
    return this.backend.loadSnapshot(stream);
  }

  close(): Promise<void> {
    return this.backend.close();
  }

  private decode(raw: RawEvent): StoredEvent {
    try {
      const data = this.codec.decode(raw.type, raw.fingerprint, raw.data);
      return { stream: raw.stream, version: raw.version, type: raw.type, data, time: raw.time, position: raw.position };
    } catch (err) {
      throw new CorruptEventError(raw.stream, raw.version, (err as Error).message);
    }
  }
}
