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
  type NewEvent,
  type Snapshot,
  type StoredEvent,
  type TimeRange,
} from '../runtime/eventlog';
import type { LogBackend, RawEvent } from './backend';
import { GroupCommitter, type GroupCommitOptions } from './group-commit';

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
    return new EventStore(backend, codec, options);
  }

  async append(stream: string, expectedVersion: number, events: NewEvent[], feeds: FeedAppend[] = []): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError(`append to ${stream} with no events`);
    const encode = (e: NewEvent) => ({ type: e.type, ...this.codec.encode(e.type, e.data) });
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

  async readByTime(range: TimeRange): Promise<StoredEvent[]> {
    const raws = await this.backend.readByTime({
      from: range.from,
      to: range.to,
      streamPrefix: range.streamPrefix,
      afterPosition: range.afterPosition ?? 0,
      limit: range.limit ?? READ_PAGE,
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
