/** The SQLite event log's tables and statements (store/sqlite.ts). */
import type Database from 'better-sqlite3';
import type { Snapshot } from '../runtime/eventlog';
import type { SchemaRecord } from '../schemas/codec';
import type { RawEvent } from './backend';

/** The columns of a RawEvent (an events row also keeps its index keys, for rebuilding the tail). */
const COLS = 'position, stream, version, type, fingerprint, data, time';

/** readByTime's type filter: a JSON array of types. */
const OF_TYPES = 'type IN (SELECT value FROM json_each(?))';

/** A row of the events table is an adapter's RawEvent, column for column. */
type EventRow = RawEvent;

/** Schema changes in order; PRAGMA user_version records how many have run. */
export const MIGRATIONS = [
  `CREATE TABLE events (
     position INTEGER PRIMARY KEY AUTOINCREMENT,
     stream TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,
     fingerprint TEXT NOT NULL, data BLOB NOT NULL, time INTEGER NOT NULL,
     UNIQUE (stream, version));
   CREATE INDEX events_by_time ON events (time);
   CREATE TABLE streams (stream TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TABLE snapshots (stream TEXT PRIMARY KEY, version INTEGER NOT NULL, format TEXT NOT NULL, data BLOB NOT NULL) WITHOUT ROWID;
   CREATE TABLE schemas (fingerprint TEXT PRIMARY KEY, name TEXT NOT NULL, schema TEXT NOT NULL) WITHOUT ROWID;`,
  // Indexes the event schemas declare (history by sequence: runtime/eventlog.ts readIndex). The
  // events already stored are filed by EventStore.open, which records each type it filed.
  `CREATE TABLE event_index (
     stream TEXT NOT NULL, name TEXT NOT NULL, key INTEGER NOT NULL, version INTEGER NOT NULL,
     PRIMARY KEY (stream, name, key, version)) WITHOUT ROWID;
   CREATE TABLE indexed_types (type TEXT PRIMARY KEY, spec TEXT NOT NULL) WITHOUT ROWID;`,
  // The events table loses its (stream, version) constraint, the index every commit paid a page
  // per stream for; stream_index takes its place, written behind (store/sqlite-tail.ts), and
  // each row keeps its index keys (JSON) so that an unindexed tail can be rebuilt.
  `CREATE TABLE events_v3 (
     position INTEGER PRIMARY KEY AUTOINCREMENT,
     stream TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,
     fingerprint TEXT NOT NULL, data BLOB NOT NULL, time INTEGER NOT NULL, keys TEXT);
   INSERT INTO events_v3 (position, stream, version, type, fingerprint, data, time)
     SELECT position, stream, version, type, fingerprint, data, time FROM events ORDER BY position;
   DROP TABLE events;
   ALTER TABLE events_v3 RENAME TO events;
   CREATE INDEX events_by_time ON events (time);
   CREATE TABLE stream_index (stream TEXT NOT NULL, version INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (stream, version)) WITHOUT ROWID;
   INSERT INTO stream_index (stream, version, position) SELECT stream, version, position FROM events;
   CREATE TABLE log_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
   INSERT INTO log_meta (name, value) SELECT 'indexed', coalesce(max(position), 0) FROM events;`,
];

/** Every statement of the adapter, prepared once. */
export function prepareStatements(db: Database.Database) {
  return {
    version: db.prepare<[string], { version: number }>('SELECT version FROM streams WHERE stream = ?'),
    setVersion: db.prepare('INSERT INTO streams (stream, version) VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET version = max(version, excluded.version)'),
    insert: db.prepare('INSERT INTO events (stream, version, type, fingerprint, data, time, keys) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    indexEvent: db.prepare('INSERT INTO stream_index (stream, version, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    indexedUpTo: db.prepare<[], { value: number }>("SELECT value FROM log_meta WHERE name = 'indexed'"),
    setIndexed: db.prepare("INSERT INTO log_meta (name, value) VALUES ('indexed', ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)"),
    unindexed: db.prepare<[number], { position: number; stream: string; version: number; keys: string | null }>(
      'SELECT position, stream, version, keys FROM events WHERE position > ? ORDER BY position',
    ),
    byPosition: db.prepare<[number], EventRow>(`SELECT ${COLS} FROM events WHERE position = ?`),
    positionOf: db.prepare<[string, number], { position: number }>('SELECT position FROM stream_index WHERE stream = ? AND version = ?'),
    readStream: db.prepare<[string, number, number], EventRow>(
      'SELECT e.position, e.stream, e.version, e.type, e.fingerprint, e.data, e.time FROM stream_index AS s CROSS JOIN events AS e ON e.position = s.position ' +
        'WHERE s.stream = ? AND s.version > ? ORDER BY s.version LIMIT ?',
    ),
    readBackward: db.prepare<[string, number, number], EventRow>(
      'SELECT e.position, e.stream, e.version, e.type, e.fingerprint, e.data, e.time FROM stream_index AS s CROSS JOIN events AS e ON e.position = s.position ' +
        'WHERE s.stream = ? AND s.version < ? ORDER BY s.version DESC LIMIT ?',
    ),
    insertKey: db.prepare('INSERT INTO event_index (stream, name, key, version) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    // The index entries in key order from the high end, each joined to its event through
    // stream_index: CROSS JOIN keeps SQLite from starting on the events table.
    readIndex: db.prepare<[string, string, number, number, number, number], EventRow & { key: number }>(
      'SELECT e.position, e.stream, e.version, e.type, e.fingerprint, e.data, e.time, k.key FROM event_index AS k ' +
        'CROSS JOIN stream_index AS s ON s.stream = k.stream AND s.version = k.version CROSS JOIN events AS e ON e.position = s.position ' +
        'WHERE k.stream = ? AND k.name = ? AND (k.key, k.version) < (?, ?) AND k.key >= ? ORDER BY k.key DESC, k.version DESC LIMIT ?',
    ),
    scanTypes: db.prepare<[number, string, number], EventRow>(
      `SELECT ${COLS} FROM events WHERE position > ? AND type IN (SELECT value FROM json_each(?)) ORDER BY position LIMIT ?`,
    ),
    removeKeys: db.prepare<[string]>(
      'DELETE FROM event_index WHERE (stream, version) IN (SELECT stream, version FROM events WHERE type IN (SELECT value FROM json_each(?)))',
    ),
    indexedTypes: db.prepare<[], { type: string; spec: string }>('SELECT type, spec FROM indexed_types'),
    markIndexed: db.prepare('INSERT INTO indexed_types (type, spec) VALUES (?, ?) ON CONFLICT (type) DO UPDATE SET spec = excluded.spec'),
    unmarkIndexed: db.prepare('DELETE FROM indexed_types WHERE type = ?'),
    // The whole log after a position (the statistics tail): by position alone. With the time
    // range 0..MAX_SAFE_INTEGER as well, SQLite chose the time index for it and sorted the
    // whole log for every page (17 ms a page at 260,000 events, growing with the log).
    readAfter: db.prepare<[number, number], EventRow>(`SELECT ${COLS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
    readByTime: db.prepare<[number, number, number, number], EventRow>(
      `SELECT ${COLS} FROM events WHERE time >= ? AND time < ? AND position > ? ORDER BY position LIMIT ?`,
    ),
    readByTimePrefix: db.prepare<[number, number, number, string, string, number], EventRow>(
      `SELECT ${COLS} FROM events WHERE time >= ? AND time < ? AND position > ? AND stream >= ? AND stream < ? ORDER BY position LIMIT ?`,
    ),
    readByTimeTypes: db.prepare<[number, number, number, string, number], EventRow>(
      `SELECT ${COLS} FROM events WHERE time >= ? AND time < ? AND position > ? AND ${OF_TYPES} ORDER BY position LIMIT ?`,
    ),
    readByTimePrefixTypes: db.prepare<[number, number, number, string, string, string, number], EventRow>(
      `SELECT ${COLS} FROM events WHERE time >= ? AND time < ? AND position > ? AND stream >= ? AND stream < ? AND ${OF_TYPES} ORDER BY position LIMIT ?`,
    ),
    rewrite: db.prepare('UPDATE events SET fingerprint = ?, data = ? WHERE position = ? AND type = ?'),
    saveSnapshot: db.prepare(
      'INSERT INTO snapshots (stream, version, format, data) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (stream) DO UPDATE SET version = excluded.version, format = excluded.format, data = excluded.data ' +
        'WHERE excluded.version > snapshots.version',
    ),
    loadSnapshot: db.prepare<[string], Snapshot>('SELECT stream, version, format, data FROM snapshots WHERE stream = ?'),
    saveSchema: db.prepare('INSERT OR IGNORE INTO schemas (fingerprint, name, schema) VALUES (?, ?, ?)'),
    loadSchemas: db.prepare<[], SchemaRecord>('SELECT fingerprint, name, schema FROM schemas'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
