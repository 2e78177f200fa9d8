/**
 * PostgreSQL adapter (pg), the store of cluster mode. A group-committed batch is three
 * statements in one transaction whatever its size: create new streams, advance existing ones
 * where they are at the expected version (row locks order racing writers), insert the events
 * (and one more for the entries of the indexes their schemas declare).
 */
import { Pool, type PoolClient } from 'pg';
import type { SchemaRecord } from '../schemas/codec';
import type { Snapshot } from '../runtime/eventlog';
import type { AppendOutcome, AppendRequest, EncodedEvent, IndexEntry, LogBackend, RawEvent, RawIndexedEvent } from './backend';

const MIGRATIONS = [
  `CREATE TABLE events (
     position BIGSERIAL PRIMARY KEY,
     stream TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,
     fingerprint TEXT NOT NULL, data BYTEA NOT NULL, time BIGINT NOT NULL,
     UNIQUE (stream, version));
   CREATE INDEX events_by_time ON events (time);
   CREATE TABLE streams (stream TEXT PRIMARY KEY, version INTEGER NOT NULL);
   CREATE TABLE snapshots (stream TEXT PRIMARY KEY, version INTEGER NOT NULL, format TEXT NOT NULL, data BYTEA NOT NULL);
   CREATE TABLE schemas (fingerprint TEXT PRIMARY KEY, name TEXT NOT NULL, schema TEXT NOT NULL);`,
  // Indexes the event schemas declare (history by sequence: runtime/eventlog.ts readIndex). The
  // events already stored are filed by EventStore.open, which records each type it filed.
  `CREATE TABLE event_index (
     stream TEXT NOT NULL, name TEXT NOT NULL, key BIGINT NOT NULL, version INTEGER NOT NULL,
     PRIMARY KEY (stream, name, key, version));
   CREATE TABLE indexed_types (type TEXT PRIMARY KEY, spec TEXT NOT NULL);`,
];

/** Errors after which a batch is retried one append at a time (another node raced us). */
const RETRY_ALONE = new Set(['40P01', '40001', '23505']);

interface EventRow {
  position: string;
  stream: string;
  version: number;
  type: string;
  fingerprint: string;
  data: Buffer;
  time: string;
}

const MAX_INT = 2 ** 31 - 1;

const toRaw = (r: EventRow): RawEvent => ({ ...r, position: Number(r.position), time: Number(r.time) });

/** Index entries as four column arrays, for one unnest insert. */
function indexColumns(entries: IndexEntry[]): [string[], string[], number[], number[]] {
  return [entries.map((e) => e.stream), entries.map((e) => e.index), entries.map((e) => e.key), entries.map((e) => e.version)];
}

const INSERT_INDEX = `INSERT INTO event_index (stream, name, key, version)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[]) ON CONFLICT DO NOTHING`;

export interface PostgresOptions {
  /** Schema (namespace) holding Parley's tables; tests use one of their own. Default public. */
  schema?: string;
  poolSize?: number;
}

export class PostgresBackend implements LogBackend {
  readonly name = 'postgres';
  readonly pool: Pool;
  private readonly schema: string;

  constructor(url: string, options: PostgresOptions = {}) {
    this.schema = options.schema ?? 'public';
    if (!/^[a-z_][a-z0-9_]*$/.test(this.schema)) throw new Error(`invalid PostgreSQL schema name ${this.schema}`);
    this.pool = new Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      options: `-c search_path=${this.schema}`,
    });
    // An idle client losing its connection must not crash the node; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async open(): Promise<void> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new Error(`cannot connect to PostgreSQL: ${(err as Error).message}`);
    }
    try {
      await client.query('BEGIN');
      // Nodes starting together take turns; the lock ends with the transaction.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('parley.migrations'))");
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query('CREATE TABLE IF NOT EXISTS parley_migrations (id INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM parley_migrations');
      for (let i = rows[0].n; i < MIGRATIONS.length; i++) {
        await client.query(MIGRATIONS[i]);
        await client.query('INSERT INTO parley_migrations (id) VALUES ($1)', [i + 1]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async appendBatch(batch: AppendRequest[]): Promise<AppendOutcome[]> {
    try {
      return await this.inTransaction((client) => this.appendInTx(client, batch));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (batch.length === 1 || code === undefined || !RETRY_ALONE.has(code)) {
        if (batch.length === 1 && code === '23505') return [{ ok: false, actual: await this.streamVersion(batch[0].stream) }];
        throw err;
      }
      return Promise.all(batch.map((r) => this.appendBatch([r]).then((o) => o[0])));
    }
  }

  private async appendInTx(client: PoolClient, batch: AppendRequest[]): Promise<AppendOutcome[]> {
    const fresh = batch.filter((r) => r.expectedVersion === 0);
    const known = batch.filter((r) => r.expectedVersion !== 0);
    const advanced = new Set<string>();
    if (fresh.length > 0) {
      const { rows } = await client.query<{ stream: string }>(
        'INSERT INTO streams (stream, version) SELECT * FROM unnest($1::text[], $2::int[]) ON CONFLICT DO NOTHING RETURNING stream',
        [fresh.map((r) => r.stream), fresh.map((r) => r.events.length)],
      );
      rows.forEach((r) => advanced.add(r.stream));
    }
    if (known.length > 0) {
      const { rows } = await client.query<{ stream: string }>(
        `UPDATE streams AS s SET version = t.next FROM unnest($1::text[], $2::int[], $3::int[]) AS t(stream, expected, next)
         WHERE s.stream = t.stream AND s.version = t.expected RETURNING s.stream`,
        [known.map((r) => r.stream), known.map((r) => r.expectedVersion), known.map((r) => r.expectedVersion + r.events.length)],
      );
      rows.forEach((r) => advanced.add(r.stream));
    }
    const ok = batch.filter((r) => advanced.has(r.stream));
    const positions = new Map<string, number>();
    const feedVersions = await this.growFeeds(client, ok);
    if (ok.length > 0) {
      const cols = { stream: [] as string[], version: [] as number[], type: [] as string[], fp: [] as string[], data: [] as Buffer[], time: [] as number[] };
      const keys: IndexEntry[] = [];
      const push = (stream: string, version: number, e: EncodedEvent, time: number) => {
        for (const k of e.keys ?? []) keys.push({ stream, version, ...k });
        cols.stream.push(stream);
        cols.version.push(version);
        cols.type.push(e.type);
        cols.fp.push(e.fingerprint);
        cols.data.push(e.data);
        cols.time.push(time);
      };
      for (const r of ok) {
        r.events.forEach((e, i) => push(r.stream, r.expectedVersion + i + 1, e, r.time));
        r.feeds.forEach((feed, f) => {
          const last = feedVersions.get(r)![f];
          feed.events.forEach((e, i) => push(feed.stream, last - feed.events.length + i + 1, e, r.time));
        });
      }
      const { rows } = await client.query<{ stream: string; position: string }>(
        `INSERT INTO events (stream, version, type, fingerprint, data, time)
         SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::bytea[], $6::bigint[]) RETURNING stream, position`,
        [cols.stream, cols.version, cols.type, cols.fp, cols.data, cols.time],
      );
      for (const row of rows) {
        if (advanced.has(row.stream)) positions.set(row.stream, Math.max(positions.get(row.stream) ?? 0, Number(row.position)));
      }
      if (keys.length > 0) await client.query(INSERT_INDEX, indexColumns(keys));
    }
    const actual = await this.versionsOf(client, batch.filter((r) => !advanced.has(r.stream)).map((r) => r.stream));
    return batch.map((r) =>
      advanced.has(r.stream)
        ? { ok: true, version: r.expectedVersion + r.events.length, position: positions.get(r.stream)!, feedVersions: feedVersions.get(r) ?? [] }
        : { ok: false, actual: actual.get(r.stream) ?? 0 },
    );
  }

  /**
   * Claims versions on every feed of the successful appends with one upsert; a feed written
   * several times in the batch is claimed once for all, then split in batch order.
   */
  private async growFeeds(client: PoolClient, ok: AppendRequest[]): Promise<Map<AppendRequest, number[]>> {
    const totals = new Map<string, number>();
    for (const r of ok) for (const f of r.feeds) totals.set(f.stream, (totals.get(f.stream) ?? 0) + f.events.length);
    const out = new Map<AppendRequest, number[]>();
    if (totals.size === 0) return out;
    // Sorted, so that concurrent batches on other nodes lock shared feeds in the same order.
    const streams = [...totals.keys()].sort();
    const { rows } = await client.query<{ stream: string; version: number }>(
      `INSERT INTO streams (stream, version) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (stream) DO UPDATE SET version = streams.version + excluded.version RETURNING stream, version`,
      [streams, streams.map((s) => totals.get(s)!)],
    );
    const next = new Map(rows.map((row) => [row.stream, row.version - totals.get(row.stream)!]));
    for (const r of ok) {
      out.set(
        r,
        r.feeds.map((f) => {
          const last = next.get(f.stream)! + f.events.length;
          next.set(f.stream, last);
          return last;
        }),
      );
    }
    return out;
  }

  private async versionsOf(client: PoolClient, streams: string[]): Promise<Map<string, number>> {
    if (streams.length === 0) return new Map();
    const { rows } = await client.query<{ stream: string; version: number }>(
      'SELECT stream, version FROM streams WHERE stream = ANY($1::text[])',
      [streams],
    );
    return new Map(rows.map((r) => [r.stream, r.version]));
  }

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async readStream(stream: string, fromVersion: number, limit: number): Promise<RawEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      'SELECT * FROM events WHERE stream = $1 AND version > $2 ORDER BY version LIMIT $3',
      [stream, fromVersion, limit],
    );
    return rows.map(toRaw);
  }

  async readStreamBackward(stream: string, beforeVersion: number, limit: number): Promise<RawEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      'SELECT * FROM events WHERE stream = $1 AND version < $2 ORDER BY version DESC LIMIT $3',
      // Versions are PostgreSQL integers: "before the newest" arrives as Number.MAX_SAFE_INTEGER.
      [stream, Math.min(beforeVersion, MAX_INT), Math.min(limit, MAX_INT)],
    );
    return rows.map(toRaw);
  }

  async readIndex(stream: string, r: { index: string; high: number; low: number; beforeVersion: number; limit: number }): Promise<RawIndexedEvent[]> {
    // The row comparison is one range of the primary key (stream, name, key, version), walked
    // backwards; each entry finds its event through the (stream, version) key.
    const { rows } = await this.pool.query<EventRow & { key: string }>(
      `SELECT e.position, e.stream, e.version, e.type, e.fingerprint, e.data, e.time, k.key FROM event_index AS k
       JOIN events AS e ON e.stream = k.stream AND e.version = k.version
       WHERE k.stream = $1 AND k.name = $2 AND (k.key, k.version) < ($3, $4) AND k.key >= $5
       ORDER BY k.key DESC, k.version DESC LIMIT $6`,
      [stream, r.index, r.high, Math.min(r.beforeVersion, MAX_INT), r.low, Math.min(r.limit, MAX_INT)],
    );
    return rows.map((row) => ({ ...toRaw(row), key: Number(row.key) }));
  }

  async readByTime(r: { from: number; to: number; afterPosition: number; limit: number; streamPrefix?: string; types?: string[] }): Promise<RawEvent[]> {
    const params: unknown[] = [r.from, r.to, r.afterPosition, r.limit];
    const prefixed = r.streamPrefix ? ` AND starts_with(stream, $${params.push(r.streamPrefix)})` : '';
    const typed = r.types ? ` AND type = ANY($${params.push(r.types)}::text[])` : '';
    const { rows } = await this.pool.query<EventRow>(
      `SELECT * FROM events WHERE time >= $1 AND time < $2 AND position > $3${prefixed}${typed} ORDER BY position LIMIT $4`,
      params,
    );
    return rows.map(toRaw);
  }

  async streamVersion(stream: string): Promise<number> {
    const { rows } = await this.pool.query<{ version: number }>('SELECT version FROM streams WHERE stream = $1', [stream]);
    return rows[0]?.version ?? 0;
  }

  async rewriteEvent(stream: string, version: number, e: EncodedEvent): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE events SET fingerprint = $1, data = $2 WHERE stream = $3 AND version = $4 AND type = $5', [
      e.fingerprint,
      e.data,
      stream,
      version,
      e.type,
    ]);
    return rowCount === 1;
  }

  async saveSnapshot(s: Snapshot): Promise<void> {
    await this.pool.query(
      `INSERT INTO snapshots (stream, version, format, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (stream) DO UPDATE SET version = excluded.version, format = excluded.format, data = excluded.data
       WHERE excluded.version > snapshots.version`,
      [s.stream, s.version, s.format, s.data],
    );
  }

  async loadSnapshot(stream: string): Promise<Snapshot | undefined> {
    const { rows } = await this.pool.query<Snapshot>('SELECT stream, version, format, data FROM snapshots WHERE stream = $1', [stream]);
    return rows[0];
  }

  async indexedTypes(): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ type: string; spec: string }>('SELECT type, spec FROM indexed_types');
    return new Map(rows.map((r) => [r.type, r.spec]));
  }

  async scanTypes(types: string[], afterPosition: number, limit: number): Promise<RawEvent[]> {
    const { rows } = await this.pool.query<EventRow>('SELECT * FROM events WHERE position > $1 AND type = ANY($2::text[]) ORDER BY position LIMIT $3', [
      afterPosition,
      types,
      limit,
    ]);
    return rows.map(toRaw);
  }

  async addIndexEntries(entries: IndexEntry[]): Promise<void> {
    if (entries.length > 0) await this.pool.query(INSERT_INDEX, indexColumns(entries));
  }

  async removeIndexEntries(types: string[]): Promise<void> {
    await this.pool.query(
      'DELETE FROM event_index AS k USING events AS e WHERE e.stream = k.stream AND e.version = k.version AND e.type = ANY($1::text[])',
      [types],
    );
  }

  async markIndexed(specs: Map<string, string>, dropped: string[]): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query(
        'INSERT INTO indexed_types (type, spec) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (type) DO UPDATE SET spec = excluded.spec',
        [[...specs.keys()], [...specs.values()]],
      );
      await client.query('DELETE FROM indexed_types WHERE type = ANY($1::text[])', [dropped]);
    });
  }

  async saveSchemas(records: SchemaRecord[]): Promise<void> {
    await this.pool.query(
      'INSERT INTO schemas (fingerprint, name, schema) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING',
      [records.map((r) => r.fingerprint), records.map((r) => r.name), records.map((r) => r.schema)],
    );
  }

  async loadSchemas(): Promise<SchemaRecord[]> {
    const { rows } = await this.pool.query<SchemaRecord>('SELECT fingerprint, name, schema FROM schemas');
    return rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
