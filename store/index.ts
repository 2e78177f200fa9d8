/** Opens the event log the configuration asks for: PostgreSQL when PARLEY_DB is set, else SQLite. */
import path from 'node:path';
import type { ParleyConfig } from '../config';
import { EventCodec } from '../schemas/codec';
import { EventStore } from './event-store';
import { PostgresBackend } from './postgres';
import { SqliteBackend } from './sqlite';
import { SqliteThreadBackend } from './sqlite-thread';

export type { LogBackend } from './backend';
export { EventStore } from './event-store';

export async function openEventStore(config: ParleyConfig, codec = EventCodec.fromDirectory()): Promise<EventStore> {
  const file = path.join(config.dataDir, 'parley.sqlite');
  const threaded = config.store.sqliteWriter === 'thread';
  const backend = config.db
    ? new PostgresBackend(config.db, { schema: config.dbSchema })
    : threaded
      ? new SqliteThreadBackend(file, config.store.sqliteSync)
      : new SqliteBackend(file, config.store.sqliteSync);
  return EventStore.open(backend, codec, {
    groupCommit: config.store.groupCommit,
    commit: {
      windowMs: config.store.commitWindowMs,
      maxBatch: config.store.commitMaxBatch,
      // PostgreSQL commits on a pool; the SQLite writer thread takes the next batch while the
      // main thread gathers the one after (it commits them one at a time, in order).
      maxInFlight: config.db ? 4 : threaded ? 2 : 1,
    },
  });
}
