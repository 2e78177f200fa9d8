/** Opening real stores for tests: SQLite in a temp folder, PostgreSQL in a schema of its own. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { counterSchemas } from '../../bench/counter';
import { EventCodec } from '../../schemas/codec';
import { EventStore, type EventStoreOptions } from '../../store/event-store';
import type { LogBackend } from '../../store/backend';
import { PostgresBackend } from '../../store/postgres';
import { SqliteBackend } from '../../store/sqlite';
import { dropSchema as dropSchemaAt } from '../../bench/pg';

export const PG_URL = process.env.PARLEY_TEST_DB ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.PARLEY_TEST_REDIS ?? 'redis://127.0.0.1:6379';
export const NATS_URL = process.env.PARLEY_TEST_NATS ?? 'nats://127.0.0.1:4222';

export const testCodec = () => EventCodec.fromDirectory(undefined, counterSchemas);

export const storeOptions = (overrides: Partial<EventStoreOptions> = {}): EventStoreOptions => ({
  groupCommit: true,
  commit: { windowMs: 1, maxBatch: 500, maxInFlight: 4 },
  ...overrides,
});

export function tempDir(prefix = 'parley-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function sqliteBackend(dir = tempDir()): SqliteBackend {
  return new SqliteBackend(path.join(dir, 'parley.sqlite'), 'NORMAL');
}

/** Takes a SQLite log back to its first schema: the events table with its (stream, version) constraint, no index tables. */
export function toFirstSqliteVersion(backend: SqliteBackend): void {
  backend.flushIndexes();
  backend.database.exec(`DROP TABLE event_index; DROP TABLE indexed_types; DROP TABLE stream_index; DROP TABLE log_meta;
    CREATE TABLE events_v1 (position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,
      fingerprint TEXT NOT NULL, data BLOB NOT NULL, time INTEGER NOT NULL, UNIQUE (stream, version));
    INSERT INTO events_v1 SELECT position, stream, version, type, fingerprint, data, time FROM events;
    DROP TABLE events; ALTER TABLE events_v1 RENAME TO events; CREATE INDEX events_by_time ON events (time);`);
  backend.database.pragma('user_version = 1');
}

/** A fresh PostgreSQL schema per call, so runs never see each other's streams. */
export function uniqueSchema(prefix = 't'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export function postgresBackend(schema = uniqueSchema()): PostgresBackend {
  return new PostgresBackend(PG_URL, { schema, poolSize: 6 });
}

export function dropSchema(schema: string): Promise<void> {
  return dropSchemaAt(PG_URL, schema);
}

export function openStore(backend: LogBackend, options = storeOptions(), codec = testCodec()): Promise<EventStore> {
  return EventStore.open(backend, codec, options);
}
