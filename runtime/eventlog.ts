/**
 * The event-log port: what actors and projections need of storage, whatever the adapter.
 * Streams are named by actor key; versions start at 1 and have no gaps.
 */

/** An event as actors produce it: the full Avro type name and a value of that type. */
export interface NewEvent<T = unknown> {
  type: string;
  data: T;
}

export interface StoredEvent<T = unknown> extends NewEvent<T> {
  stream: string;
  version: number;
  /** Milliseconds since the epoch, taken when the event was appended. */
  time: number;
  /** Position in the whole log; increases with every committed event. */
  position: number;
}

export interface AppendResult {
  /** The stream's version after the append. */
  version: number;
  /** Log position of the last appended event. */
  position: number;
  /** For each feed of the append, the feed's version after it (its last event's version). */
  feedVersions: number[];
}

/**
 * Events for a feed: a stream many writers append to, each event simply taking the next
 * version (a user's sync feed of one-to-one messages, say). Written in the same transaction
 * as the main append, or not at all.
 */
export interface FeedAppend {
  stream: string;
  events: NewEvent[];
}

export interface Snapshot {
  stream: string;
  version: number;
  /** Names the state layout; a snapshot whose format the actor no longer reads is dropped. */
  format: string;
  data: Buffer;
}

export interface TimeRange {
  from: number;
  to: number;
  /** Only streams whose name starts with this. */
  streamPrefix?: string;
  /** Resume after this log position (paging). */
  afterPosition?: number;
  limit?: number;
  /** Only events of these types: the others are skipped in the store, never read or decoded (the statistics tail). */
  types?: string[];
}

/**
 * A range of one of a stream's indexes, read from the high end down. Event schemas declare
 * which events an index files and under which keys (`"parley.index"`, schemas/codec.ts): a
 * conversation files its messages, and what applies to one message, under the message's
 * sequence, so a page of history is one range, whatever other events lie between in the stream.
 */
export interface IndexRange {
  /** The index's name, as the schemas declare it (e.g. `seq`). */
  index: string;
  /** Highest key wanted (inclusive). */
  high: number;
  /** Lowest key wanted (inclusive); key 0 files what concerns the whole stream. */
  low: number;
  /** Under key `high`, only events below this version: where the previous page stopped. */
  beforeVersion?: number;
  limit: number;
}

export interface IndexedEvent<T = unknown> extends StoredEvent<T> {
  /** The key under which the index filed this event. */
  key: number;
}

export interface EventLog {
  /**
   * Appends atomically if the stream is at `expectedVersion` (0 = new stream); otherwise
   * VersionConflictError. `feeds` are appended in the same transaction, at their next versions.
   */
  append(stream: string, expectedVersion: number, events: NewEvent[], feeds?: FeedAppend[]): Promise<AppendResult>;
  /** Events of a stream with version > fromVersion, in order. */
  read(stream: string, fromVersion?: number, limit?: number): Promise<StoredEvent[]>;
  /** Events of a stream with version < beforeVersion, newest first (history pages). */
  readBackward(stream: string, beforeVersion: number, limit: number): Promise<StoredEvent[]>;
  /**
   * Events of a stream filed in one of its indexes within a range of keys: highest key first,
   * newest first under one key. An event filed under several keys of the range comes once for
   * each. Costs what the page costs, wherever the range lies in the stream.
   */
  readIndex(stream: string, range: IndexRange): Promise<IndexedEvent[]>;
  /** Events appended within [from, to), in log order. */
  readByTime(range: TimeRange): Promise<StoredEvent[]>;
  version(stream: string): Promise<number>;
  /**
   * Rewrites one stored event in place with new data of the same type (retention: an expired
   * message keeps its place in the stream, so versions stay gapless, but loses its content).
   */
  redact(stream: string, version: number, event: NewEvent): Promise<boolean>;
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  loadSnapshot(stream: string): Promise<Snapshot | undefined>;
  close(): Promise<void>;
}

export class VersionConflictError extends Error {
  readonly code = 'VERSION_CONFLICT';
  constructor(
    readonly stream: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`version conflict on ${stream}: expected ${expected}, actual ${actual}`);
  }
}

/** A stored event that cannot be decoded: never skipped, always named by stream and version. */
export class CorruptEventError extends Error {
  readonly code = 'CORRUPT_EVENT';
  constructor(
    readonly stream: string,
    readonly version: number,
    cause: string,
  ) {
    super(`corrupt event ${stream}@${version}: ${cause}`);
  }
}
