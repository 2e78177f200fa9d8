/** Opens the event log the configuration asks for: PostgreSQL when PARLEY_DB is set, else SQLite. */
import path from 'node:path';
import type { ParleyConfig } from '../config';
import { EventCodec } from '../schemas/codec';
import { EventStore } from './event-store';
import { PostgresBackend } from './postgres';
import { SqliteBackend } from './sqlite';

export type { LogBackend } from './backend';
export { EventStore } from './event-store';

export async function openEventStore(config: ParleyConfig, codec = EventCodec.fromDirectory()): Promise<EventStore> {
  const backend = config.db
    ? new PostgresBackend(config.db, { schema: config.dbSchema })
    : new SqliteBackend(path.join(config.dataDir, 'parley.sqlite'), config.store.sqliteSync);
  return EventStore.open(backend, codec, {
    groupCommit: config.store.groupCommit,
    commit: {
      windowMs: config.store.commitWindowMs,
      maxBatch: config.store.commitMaxBatch,
      maxInFlight: config.db ? 4 : 1,
    },
  });
}
