/**
 * What an event-log adapter implements: one per database, below the EventStore, which does
 * the encoding, group commit and the port's error types (runtime/eventlog.ts).
 */
import type { IndexRange, Snapshot, TimeRange } from '../runtime/eventlog';
import type { IndexKey, SchemaRecord } from '../schemas/codec';

/** What an adapter stores: events already encoded. */
export interface RawEvent {
  stream: string;
  version: number;
  type: string;
  fingerprint: string;
  data: Buffer;
  time: number;
  position: number;
}

export interface EncodedEvent {
  type: string;
  fingerprint: string;
  data: Buffer;
  /** Where its schema files it besides its version (written in the same transaction). */
  keys?: IndexKey[];
}

export interface RawIndexedEvent extends RawEvent {
  key: number;
}

/** One entry of a stream's index: the event at `version` filed under `key` of `index`. */
export interface IndexEntry extends IndexKey {
  stream: string;
  version: number;
}

export interface AppendRequest {
  stream: string;
  expectedVersion: number;
  time: number;
  events: EncodedEvent[];
  feeds: { stream: string; events: EncodedEvent[] }[];
}

export type AppendOutcome = { ok: true; version: number; position: number; feedVersions: number[] } | { ok: false; actual: number };

/** One adapter per database. appendBatch commits the whole batch in one transaction. */
export interface LogBackend {
  readonly name: string;
  open(): Promise<void>;
  appendBatch(batch: AppendRequest[]): Promise<AppendOutcome[]>;
  readStream(stream: string, fromVersion: number, limit: number): Promise<RawEvent[]>;
  readStreamBackward(stream: string, beforeVersion: number, limit: number): Promise<RawEvent[]>;
  /** See EventLog.readIndex; `beforeVersion` is always given (no bound: Number.MAX_SAFE_INTEGER). */
  readIndex(stream: string, range: Required<IndexRange>): Promise<RawIndexedEvent[]>;
  readByTime(range: Required<Omit<TimeRange, 'streamPrefix' | 'types'>> & { streamPrefix?: string; types?: string[] }): Promise<RawEvent[]>;
  streamVersion(stream: string): Promise<number>;
  rewriteEvent(stream: string, version: number, event: EncodedEvent): Promise<boolean>;
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  loadSnapshot(stream: string): Promise<Snapshot | undefined>;
  /**
   * Filing events that were stored before their schemas declared an index (EventStore.open):
   * the event types already filed, with the declaration they were filed by.
   */
  indexedTypes(): Promise<Map<string, string>>;
  /** Events of these types after a log position, in log order. */
  scanTypes(types: string[], afterPosition: number, limit: number): Promise<RawEvent[]>;
  /** Adds index entries; entries already there are left as they are. */
  addIndexEntries(entries: IndexEntry[]): Promise<void>;
  /** Removes every index entry of events of these types (their declaration changed or went). */
  removeIndexEntries(types: string[]): Promise<void>;
  /** Records the types now filed by `specs`, and forgets `dropped`. */
  markIndexed(specs: Map<string, string>, dropped: string[]): Promise<void>;
  saveSchemas(records: SchemaRecord[]): Promise<void>;
  loadSchemas(): Promise<SchemaRecord[]>;
  close(): Promise<void>;
}
