/**
 * SQLite adapter (better-sqlite3), the store of embedded mode. Calls are synchronous, so a
 * group-committed batch is one transaction with one fsync; WAL lets reads go on beside it.
 *
 * An append writes its events to the position-ordered events table only; the indexes by stream
 * (stream_index, the streams' versions, event_index) are written behind, for many commits at
 * once (store/sqlite-tail.ts says why), while the unindexed tail answers for the newest events.
 * Another connection writing the same file (the CLI beside an embedded node) is seen before each
 * append, so versions stay checked; its reads see this one's tail once it is indexed.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { IndexKey, SchemaRecord } from '../schemas/codec';
import type { Snapshot } from '../runtime/eventlog';
import type { AppendOutcome, AppendRequest, EncodedEvent, IndexEntry, LogBackend, RawEvent, RawIndexedEvent } from './backend';
import { MIGRATIONS, prepareStatements, type Statements } from './sqlite-schema';
import { UnindexedTail, type TailEvent } from './sqlite-tail';


/**
 * When the indexes are written: behind, once `rows` events wait or `ms` after the first of them
 * (an embedded node), or in each append's own transaction (`null`: the writer thread, whose
 * reads run on another connection that has no tail).
 */
export interface IndexLag {
  rows: number;
  ms: number;
}

export const DEFAULT_INDEX_LAG: IndexLag = { rows: 8192, ms: 200 };

const keysOf = (e: EncodedEvent) => (e.keys && e.keys.length > 0 ? JSON.stringify(e.keys.map((k) => [k.index, k.key])) : null);
const keysFrom = (json: string | null): IndexKey[] => (json ? (JSON.parse(json) as [string, number][]).map(([index, key]) => ({ index, key })) : []);

export class SqliteBackend implements LogBackend {
  readonly name = 'sqlite';
  private db!: Database.Database;
  private statements!: Statements;
  private appendTx!: (batch: AppendRequest[]) => AppendOutcome[];
  private indexTx!: () => void;
  private readonly tail = new UnindexedTail();
  /** The highest log position this backend wrote or took into its tail. */
  private seen = 0;
  private indexTimer: NodeJS.Timeout | undefined;
  private indexSoon: NodeJS.Immediate | undefined;

  /** `file` is a path, or ':memory:' for tests of the runtime. */
  constructor(
    private readonly file: string,
    private readonly synchronous: 'FULL' | 'NORMAL' = 'FULL',
    private readonly lag: IndexLag | null = DEFAULT_INDEX_LAG,
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
    this.statements = prepareStatements(this.db);
    // Every request's own events first, then the feeds, as the PostgreSQL adapter orders them:
    // an actor that writes to a shared stream (the outbox) checks the version it last read,
    // and a feed of the same batch written ahead of it would fail that check for nothing.
    const appendTx = this.db.transaction((batch: AppendRequest[]) => {
      this.ingest();
      const outcomes = batch.map((r) => this.appendOne(r));
      batch.forEach((r, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) outcome.feedVersions = r.feeds.map((feed) => this.appendFeed(feed, r.time));
      });
      if (!this.lag) this.writeIndexes();
      return outcomes;
    });
    // IMMEDIATE: the write lock before ingest() reads, so no other connection commits between.
    // A failed transaction leaves no event behind, so it leaves none in the tail either.
    this.appendTx = (batch) => {
      const mark = this.tail.mark();
      const seen = this.seen;
      try {
        return appendTx.immediate(batch);
      } catch (err) {
        this.tail.rollback(mark);
        this.seen = seen;
        throw err;
      }
    };
    this.indexTx = this.db.transaction(() => this.writeIndexes());
    this.seen = this.statements.indexedUpTo.get()?.value ?? 0;
    this.ingest();
    if (this.tail.size > 0) this.indexTx();
  }

  /**
   * Takes into the tail the events after the last one this backend saw: on opening, those a node
   * stopped before indexing (their rows keep their keys); before each append, those another
   * connection wrote meanwhile (the CLI on an embedded node's file), so that versions are checked
   * against them. Usually none: one read of the events table's end.
   */
  private ingest(): void {
    for (const row of this.statements.unindexed.iterate(this.seen)) {
      this.tail.add(row.stream, { version: row.version, position: row.position, keys: keysFrom(row.keys) });
      this.seen = row.position;
    }
  }

  /** Writes the tail into the indexes, in stream order, and forgets it. Inside a transaction. */
  private writeIndexes(): void {
    if (this.tail.size === 0) return;
    const st = this.statements;
    for (const [stream, events] of this.tail.sorted()) {
      for (const e of events) {
        st.indexEvent.run(stream, e.version, e.position);
        for (const k of e.keys) st.insertKey.run(stream, k.index, k.key, e.version);
      }
      st.setVersion.run(stream, events[events.length - 1].version);
    }
    st.setIndexed.run(this.tail.position);
    this.tail.clear();
  }

  /** Indexes the tail now; a failure leaves it for the next attempt (reads answer from it meanwhile). */
  flushIndexes(): void {
    clearTimeout(this.indexTimer);
    clearImmediate(this.indexSoon);
    this.indexTimer = this.indexSoon = undefined;
    if (this.tail.size > 0 && this.db?.open) this.indexTx();
  }

  private scheduleIndexing(): void {
    if (!this.lag || this.tail.size === 0) return;
    const run = () => {
      try {
        this.flushIndexes();
      } catch {
        // The disk refused (full, say): the tail stays and answers reads; the next append retries.
      }
    };
    if (this.tail.size >= this.lag.rows) this.indexSoon ??= setImmediate(run);
    else this.indexTimer ??= setTimeout(run, this.lag.ms);
  }

  private versionOf(stream: string): number {
    return this.tail.version(stream) ?? this.statements.version.get(stream)?.version ?? 0;
  }

  private eventAt(position: number): RawEvent {
    return this.statements.byPosition.get(position)!;
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

  /** The version check reads the stream's version (the tail's, else the streams table's); the indexes follow behind. */
  private appendOne(r: AppendRequest): AppendOutcome {
    const actual = this.versionOf(r.stream);
    if (actual !== r.expectedVersion) return { ok: false, actual };
    let version = actual;
    let position = 0;
    for (const e of r.events) position = this.insertEvent(r.stream, ++version, e, r.time);
    return { ok: true, version, position, feedVersions: [] };
  }

  /** A feed goes at the end of its stream, whatever the version: its stream's version after it. */
  private appendFeed(feed: AppendRequest['feeds'][number], time: number): number {
    let v = this.versionOf(feed.stream);
    for (const e of feed.events) this.insertEvent(feed.stream, ++v, e, time);
    return v;
  }

  private insertEvent(stream: string, version: number, e: EncodedEvent, time: number): number {
    const position = Number(this.statements.insert.run(stream, version, e.type, e.fingerprint, e.data, time, keysOf(e)).lastInsertRowid);
    const tailed: TailEvent = { version, position, keys: e.keys ?? [] };
    this.tail.add(stream, tailed);
    this.seen = position;
    return position;
  }

  async appendBatch(batch: AppendRequest[]): Promise<AppendOutcome[]> {
    const outcomes = this.appendTx(batch);
    this.scheduleIndexing();
    return outcomes;
  }

  /** The indexed events first, then the tail's (always the newest of a stream). */
  async readStream(stream: string, fromVersion: number, limit: number): Promise<RawEvent[]> {
    const rows = this.statements.readStream.all(stream, fromVersion, limit);
    if (rows.length < limit) {
      const last = rows.length > 0 ? rows[rows.length - 1].version : fromVersion;
      for (const e of this.tail.after(stream, last, limit - rows.length)) rows.push(this.eventAt(e.position));
    }
    return rows;
  }

  async readStreamBackward(stream: string, beforeVersion: number, limit: number): Promise<RawEvent[]> {
    const rows = this.tail.before(stream, beforeVersion, limit).map((e) => this.eventAt(e.position));
    if (rows.length === limit) return rows;
    const below = Math.min(beforeVersion, this.tail.oldest(stream) ?? beforeVersion);
    return rows.concat(this.statements.readBackward.all(stream, below, limit - rows.length));
  }

  async readIndex(stream: string, r: { index: string; high: number; low: number; beforeVersion: number; limit: number }): Promise<RawIndexedEvent[]> {
    const rows = this.statements.readIndex.all(stream, r.index, r.high, r.beforeVersion, r.low, r.limit);
    const tailed = this.tail.keyed(stream, r.index).filter(([key, version]) => key >= r.low && (key < r.high || (key === r.high && version < r.beforeVersion)));
    if (tailed.length === 0) return rows;
    const merged = rows.concat(tailed.map(([key, , position]) => ({ ...this.eventAt(position), key })));
    return merged.sort((a, b) => b.key - a.key || b.version - a.version).slice(0, r.limit);
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
    return this.versionOf(stream);
  }

  async rewriteEvent(stream: string, version: number, e: EncodedEvent): Promise<boolean> {
    const position = this.tail.positionOf(stream, version) ?? this.statements.positionOf.get(stream, version)?.position;
    return position !== undefined && this.statements.rewrite.run(e.fingerprint, e.data, position, e.type).changes === 1;
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
    this.flushIndexes();
    this.db.transaction(() => entries.forEach((e) => this.statements.insertKey.run(e.stream, e.index, e.key, e.version)))();
  }

  async removeIndexEntries(types: string[]): Promise<void> {
    this.flushIndexes();
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
    if (!this.db?.open) return;
    this.flushIndexes();
    this.db.close();
  }
}

/** The smallest string greater than every string starting with `prefix`. */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
