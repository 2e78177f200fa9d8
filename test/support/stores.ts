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
