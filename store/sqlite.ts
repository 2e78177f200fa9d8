/**
 * SQLite adapter (better-sqlite3), the store of embedded mode. Calls are synchronous, so a
 * group-committed batch is one transaction with one fsync; WAL lets reads go on beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SchemaRecord } from '../schemas/codec';
import type { Snapshot } from '../runtime/eventlog';
import type { AppendOutcome, AppendRequest, EncodedEvent, IndexEntry, LogBackend, RawEvent, RawIndexedEvent } from './backend';

/** readByTime's type filter: a JSON array of types. */
const OF_TYPES = 'type IN (SELECT value FROM json_each(?))';

/** Schema changes in order; PRAGMA user_version records how many have run. */
const MIGRATIONS = [
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
];

/** A row of the events table is an adapter's RawEvent, column for column. */
type EventRow = RawEvent;

export class SqliteBackend implements LogBackend {
  readonly name = 'sqlite';
  private db!: Database.Database;
  private statements!: ReturnType<SqliteBackend['prepare']>;
  private appendTx!: (batch: AppendRequest[]) => AppendOutcome[];

  /** `file` is a path, or ':memory:' for tests of the runtime. */
  constructor(
    private readonly file: string,
    private readonly synchronous: 'FULL' | 'NORMAL' = 'FULL',
  ) {}

  async open(): Promise<void> {
    if (this.file !== ':memory:') fs.mkdirSync(path.dirname(this.file), { recursive: true });
    try {
      this.db = new Database(this.file);
    } catch (err) {
      throw new Error(`cannot open SQLite file ${this.file}: ${(err as Error).message}`);
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${this.synchronous}`);
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.statements = this.prepare();
    // Every request's own events first, then the feeds, as the PostgreSQL adapter orders them:
    // an actor that writes to a shared stream (the outbox) checks the version it last read,
    // and a feed of the same batch written ahead of it would fail that check for nothing.
    this.appendTx = this.db.transaction((batch: AppendRequest[]) => {
      const outcomes = batch.map((r) => this.appendOne(r));
      batch.forEach((r, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) outcome.feedVersions = r.feeds.map((feed) => this.appendFeed(feed, r.time));
      });
      return outcomes;
    });
  }

  private migrate(): void {
    const done = this.db.pragma('user_version', { simple: true }) as number;
    for (let i = done; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]);
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      version: db.prepare<[string], { version: number }>('SELECT version FROM streams WHERE stream = ?'),
      create: db.prepare('INSERT INTO streams (stream, version) VALUES (?, ?) ON CONFLICT (stream) DO NOTHING'),
      advance: db.prepare('UPDATE streams SET version = ? WHERE stream = ? AND version = ?'),
      grow: db.prepare<[string, number], { version: number }>(
        'INSERT INTO streams (stream, version) VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET version = version + excluded.version RETURNING version',
      ),
      insert: db.prepare('INSERT INTO events (stream, version, type, fingerprint, data, time) VALUES (?, ?, ?, ?, ?, ?)'),
      readStream: db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream = ? AND version > ? ORDER BY version LIMIT ?',
      ),
      readBackward: db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream = ? AND version < ? ORDER BY version DESC LIMIT ?',
      ),
      insertKey: db.prepare('INSERT INTO event_index (stream, name, key, version) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      // The index entries in key order from the high end, each joined to its event by the
      // (stream, version) key: CROSS JOIN keeps SQLite from starting on the events table.
      readIndex: db.prepare<[string, string, number, number, number, number], EventRow & { key: number }>(
        'SELECT e.position, e.stream, e.version, e.type, e.fingerprint, e.data, e.time, k.key FROM event_index AS k ' +
          'CROSS JOIN events AS e ON e.stream = k.stream AND e.version = k.version ' +
          'WHERE k.stream = ? AND k.name = ? AND (k.key, k.version) < (?, ?) AND k.key >= ? ORDER BY k.key DESC, k.version DESC LIMIT ?',
      ),
      scanTypes: db.prepare<[number, string, number], EventRow>(
        'SELECT * FROM events WHERE position > ? AND type IN (SELECT value FROM json_each(?)) ORDER BY position LIMIT ?',
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
      readAfter: db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      readByTime: db.prepare<[number, number, number, number], EventRow>(
        'SELECT * FROM events WHERE time >= ? AND time < ? AND position > ? ORDER BY position LIMIT ?',
      ),
      readByTimePrefix: db.prepare<[number, number, number, string, string, number], EventRow>(
        'SELECT * FROM events WHERE time >= ? AND time < ? AND position > ? AND stream >= ? AND stream < ? ORDER BY position LIMIT ?',
      ),
      readByTimeTypes: db.prepare<[number, number, number, string, number], EventRow>(
        `SELECT * FROM events WHERE time >= ? AND time < ? AND position > ? AND ${OF_TYPES} ORDER BY position LIMIT ?`,
      ),
      readByTimePrefixTypes: db.prepare<[number, number, number, string, string, string, number], EventRow>(
        `SELECT * FROM events WHERE time >= ? AND time < ? AND position > ? AND stream >= ? AND stream < ? AND ${OF_TYPES} ORDER BY position LIMIT ?`,
      ),
      rewrite: db.prepare('UPDATE events SET fingerprint = ?, data = ? WHERE stream = ? AND version = ? AND type = ?'),
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

  /** The version check is the stream row's conditional write itself: one statement, not a read and a write. */
  private appendOne(r: AppendRequest): AppendOutcome {
    let version = r.expectedVersion;
    const next = version + r.events.length;
    const claimed =
      version === 0 ? this.statements.create.run(r.stream, next) : this.statements.advance.run(next, r.stream, version);
    if (claimed.changes !== 1) return { ok: false, actual: this.statements.version.get(r.stream)?.version ?? 0 };
    let position = 0;
    for (const e of r.events) {
      position = Number(this.statements.insert.run(r.stream, ++version, e.type, e.fingerprint, e.data, r.time).lastInsertRowid);
      this.fileEvent(r.stream, version, e);
    }
    return { ok: true, version, position, feedVersions: [] };
  }

  /** A feed goes at the end of its stream, whatever the version: its stream's version after it. */
  private appendFeed(feed: AppendRequest['feeds'][number], time: number): number {
    const last = this.statements.grow.get(feed.stream, feed.events.length)!.version;
    let v = last - feed.events.length;
    for (const e of feed.events) {
      this.statements.insert.run(feed.stream, ++v, e.type, e.fingerprint, e.data, time);
      this.fileEvent(feed.stream, v, e);
    }
    return last;
  }

  private fileEvent(stream: string, version: number, e: EncodedEvent): void {
    for (const k of e.keys ?? []) this.statements.insertKey.run(stream, k.index, k.key, version);
  }

  async appendBatch(batch: AppendRequest[]): Promise<AppendOutcome[]> {
    return this.appendTx(batch);
  }

  async readStream(stream: string, fromVersion: number, limit: number): Promise<RawEvent[]> {
    return this.statements.readStream.all(stream, fromVersion, limit);
  }

  async readStreamBackward(stream: string, beforeVersion: number, limit: number): Promise<RawEvent[]> {
    return this.statements.readBackward.all(stream, beforeVersion, limit);
  }

  async readIndex(stream: string, r: { index: string; high: number; low: number; beforeVersion: number; limit: number }): Promise<RawIndexedEvent[]> {
    return this.statements.readIndex.all(stream, r.index, r.high, r.beforeVersion, r.low, r.limit);
  }

  async readByTime(r: { from: number; to: number; afterPosition: number; limit: number; streamPrefix?: string; types?: string[] }): Promise<RawEvent[]> {
    const st = this.statements;
    if (r.types === undefined) {
      if (!r.streamPrefix && r.from <= 0 && r.to >= Number.MAX_SAFE_INTEGER) return st.readAfter.all(r.afterPosition, r.limit);
      if (!r.streamPrefix) return st.readByTime.all(r.from, r.to, r.afterPosition, r.limit);
      return st.readByTimePrefix.all(r.from, r.to, r.afterPosition, r.streamPrefix, prefixEnd(r.streamPrefix), r.limit);
    }
    const types = JSON.stringify(r.types);
    if (!r.streamPrefix && r.from <= 0 && r.to >= Number.MAX_SAFE_INTEGER) return st.scanTypes.all(r.afterPosition, types, r.limit);
    if (!r.streamPrefix) return st.readByTimeTypes.all(r.from, r.to, r.afterPosition, types, r.limit);
    return st.readByTimePrefixTypes.all(r.from, r.to, r.afterPosition, r.streamPrefix, prefixEnd(r.streamPrefix), types, r.limit);
  }

  async streamVersion(stream: string): Promise<number> {
    return this.statements.version.get(stream)?.version ?? 0;
  }

  async rewriteEvent(stream: string, version: number, e: EncodedEvent): Promise<boolean> {
    return this.statements.rewrite.run(e.fingerprint, e.data, stream, version, e.type).changes === 1;
  }

  async saveSnapshot(s: Snapshot): Promise<void> {
    this.statements.saveSnapshot.run(s.stream, s.version, s.format, s.data);
  }

  async loadSnapshot(stream: string): Promise<Snapshot | undefined> {
    return this.statements.loadSnapshot.get(stream);
  }

  async indexedTypes(): Promise<Map<string, string>> {
    return new Map(this.statements.indexedTypes.all().map((r) => [r.type, r.spec]));
  }

  async scanTypes(types: string[], afterPosition: number, limit: number): Promise<RawEvent[]> {
    return this.statements.scanTypes.all(afterPosition, JSON.stringify(types), limit);
  }

  async addIndexEntries(entries: IndexEntry[]): Promise<void> {
    this.db.transaction(() => entries.forEach((e) => this.statements.insertKey.run(e.stream, e.index, e.key, e.version)))();
  }

  async removeIndexEntries(types: string[]): Promise<void> {
    this.statements.removeKeys.run(JSON.stringify(types));
  }

  async markIndexed(specs: Map<string, string>, dropped: string[]): Promise<void> {
    this.db.transaction(() => {
      for (const [type, spec] of specs) this.statements.markIndexed.run(type, spec);
      for (const type of dropped) this.statements.unmarkIndexed.run(type);
    })();
  }

  async saveSchemas(records: SchemaRecord[]): Promise<void> {
    this.db.transaction(() => records.forEach((r) => this.statements.saveSchema.run(r.fingerprint, r.name, r.schema)))();
  }

  async loadSchemas(): Promise<SchemaRecord[]> {
    return this.statements.loadSchemas.all();
  }

  /** Direct access for projections that live in the same file. */
  get database(): Database.Database {
    return this.db;
  }

  async close(): Promise<void> {
    if (this.db?.open) this.db.close();
  }
}

/** The smallest string greater than every string starting with `prefix`. */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
