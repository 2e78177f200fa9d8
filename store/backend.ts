/**
 * What an event-log adapter implements: one per database, below the EventStore, which does
 * the encoding, group commit and the port's error types (runtime/eventlog.ts).
 */
import type { Snapshot, TimeRange } from '../runtime/eventlog';
import type { SchemaRecord } from '../schemas/codec';

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
  readByTime(range: Required<Omit<TimeRange, 'streamPrefix'>> & { streamPrefix?: string }): Promise<RawEvent[]>;
  streamVersion(stream: string): Promise<number>;
  rewriteEvent(stream: string, version: number, event: EncodedEvent): Promise<boolean>;
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  loadSnapshot(stream: string): Promise<Snapshot | undefined>;
  saveSchemas(records: SchemaRecord[]): Promise<void>;
  loadSchemas(): Promise<SchemaRecord[]>;
  close(): Promise<void>;
}
