/**
 * The SQLite log's indexes written behind (store/sqlite-tail.ts): reads that span the indexed
 * events and the tail, a node stopped before indexing, a failed transaction, and when indexing runs.
 */
import { expect } from 'chai';
import path from 'node:path';
import { SqliteBackend } from '../../../store/sqlite';
import type { AppendRequest, EncodedEvent } from '../../../store/backend';
import { tempDir } from '../../support/stores';

const event = (n: number, seq?: number): EncodedEvent => ({ type: 't', fingerprint: 'f', data: Buffer.from([n]), ...(seq ? { keys: [{ index: 'seq', key: seq }] } : {}) });
const request = (stream: string, expectedVersion: number, events: EncodedEvent[], feeds: AppendRequest['feeds'] = []): AppendRequest => ({ stream, expectedVersion, time: 1000, events, feeds });
const bytes = (rows: { data: Buffer }[]) => rows.map((r) => r.data[0]);
const count = (b: SqliteBackend, table: string) => (b.database.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
/** A lag no test reaches: indexing happens only when the test asks for it. */
const MANUAL = { rows: 1_000_000, ms: 3_600_000 };

describe('SQLite log: indexes written behind the appends', () => {
  let dir: string;
  let backend: SqliteBackend;
  const open = async (lag = MANUAL) => {
    const b = new SqliteBackend(path.join(dir, 'parley.sqlite'), 'NORMAL', lag);
    await b.open();
    return b;
  };
  beforeEach(async () => {
    dir = tempDir();
    backend = await open();
  });
  afterEach(() => backend.close());

  it('reads a stream across its indexed events and its tail, both ways, and through an index', async () => {
    await backend.appendBatch([request('conv', 0, [event(1, 1), event(2), event(3, 2)], [{ stream: 'feed', events: [event(50)] }])]);
    backend.flushIndexes();
    expect(count(backend, 'stream_index')).to.equal(4);
    const [second] = await backend.appendBatch([request('conv', 3, [event(4, 3), event(5, 2), event(6, 4)], [{ stream: 'feed', events: [event(51)] }])]);
    expect(second).to.deep.include({ ok: true, version: 6, feedVersions: [2] });
    expect(count(backend, 'stream_index'), 'the second append is in the tail only').to.equal(4);

    expect(bytes(await backend.readStream('conv', 0, 100))).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(bytes(await backend.readStream('conv', 2, 3))).to.deep.equal([3, 4, 5]);
    expect(bytes(await backend.readStream('conv', 4, 100))).to.deep.equal([5, 6]);
    expect(bytes(await backend.readStreamBackward('conv', 7, 4))).to.deep.equal([6, 5, 4, 3]);
    expect(bytes(await backend.readStreamBackward('conv', 5, 10))).to.deep.equal([4, 3, 2, 1]);
    expect(bytes(await backend.readStreamBackward('conv', 3, 10))).to.deep.equal([2, 1]);
    expect(bytes(await backend.readStream('feed', 0, 10))).to.deep.equal([50, 51]);
    expect(await backend.streamVersion('conv')).to.equal(6);

    const keyed = await backend.readIndex('conv', { index: 'seq', high: Number.MAX_SAFE_INTEGER, low: 0, beforeVersion: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(keyed.map((e) => `${e.key}@${e.version}`)).to.deep.equal(['4@6', '3@4', '2@5', '2@3', '1@1']);
    const page = await backend.readIndex('conv', { index: 'seq', high: 2, low: 1, beforeVersion: 5, limit: 2 });
    expect(page.map((e) => `${e.key}@${e.version}`)).to.deep.equal(['2@3', '1@1']);

    // Once indexed, the same answers from the tables alone.
    backend.flushIndexes();
    expect(count(backend, 'stream_index')).to.equal(8);
    expect(bytes(await backend.readStream('conv', 0, 100))).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect((await backend.readIndex('conv', { index: 'seq', high: 9, low: 0, beforeVersion: Number.MAX_SAFE_INTEGER, limit: 10 })).map((e) => `${e.key}@${e.version}`)).to.deep.equal(['4@6', '3@4', '2@5', '2@3', '1@1']);
  });

  it('checks an append against the version the tail holds and redacts an event still in the tail', async () => {
    await backend.appendBatch([request('conv', 0, [event(1), event(2)])]);
    const [late, again] = await backend.appendBatch([request('conv', 0, [event(9)]), request('conv', 2, [event(3)])]);
    expect(late).to.deep.equal({ ok: false, actual: 2 });
    expect(again).to.deep.include({ ok: true, version: 3 });
    expect(await backend.rewriteEvent('conv', 2, { ...event(7), type: 't' })).to.equal(true);
    expect(await backend.rewriteEvent('conv', 2, { ...event(7), type: 'other' })).to.equal(false);
    expect(await backend.rewriteEvent('conv', 9, event(7))).to.equal(false);
    expect(bytes(await backend.readStream('conv', 0, 10))).to.deep.equal([1, 7, 3]);
  });

  it('indexes on opening what a node stopped before indexing, so another backend reads all of it', async () => {
    await backend.appendBatch([request('conv', 0, [event(1, 1), event(2, 2)], [{ stream: 'feed', events: [event(50)] }])]);
    // The first backend is never closed: a node killed before its indexing ran.
    const after = await open();
    expect(count(after, 'stream_index')).to.equal(3);
    expect(await after.streamVersion('conv')).to.equal(2);
    expect(await after.streamVersion('feed')).to.equal(1);
    expect(bytes(await after.readStream('conv', 0, 10))).to.deep.equal([1, 2]);
    expect((await after.readIndex('conv', { index: 'seq', high: 9, low: 0, beforeVersion: Number.MAX_SAFE_INTEGER, limit: 10 })).map((e) => e.key)).to.deep.equal([2, 1]);
    const [next] = await after.appendBatch([request('conv', 2, [event(3)])]);
    expect(next).to.deep.include({ ok: true, version: 3 });
    await after.close();
  });

  it('checks versions against what another connection to the file appended and has not indexed', async () => {
    const other = await open();
    await backend.appendBatch([request('app', 0, [event(1), event(2)])]);
    expect(await other.appendBatch([request('app', 0, [event(9)])])).to.deep.equal([{ ok: false, actual: 2 }]);
    const [theirs] = await other.appendBatch([request('app', 2, [event(3)])]);
    expect(theirs).to.deep.include({ ok: true, version: 3 });
    expect(await backend.appendBatch([request('app', 2, [event(8)])])).to.deep.equal([{ ok: false, actual: 3 }]);
    expect(bytes(await backend.readStream('app', 0, 10))).to.deep.equal([1, 2, 3]);
    await other.close();
    backend.flushIndexes();
    expect(count(backend, 'stream_index')).to.equal(3);
  });

  it('forgets the tail of a transaction that failed, so the stream stays where it was', async () => {
    const broken = { ...event(2), data: null as unknown as Buffer };
    const err = await backend.appendBatch([request('a', 0, [event(1)]), request('b', 0, [broken])]).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    expect(await backend.streamVersion('a')).to.equal(0);
    expect(await backend.readStream('a', 0, 10)).to.deep.equal([]);
    const [retry] = await backend.appendBatch([request('a', 0, [event(1)])]);
    expect(retry).to.deep.include({ ok: true, version: 1 });
    backend.flushIndexes();
    expect(count(backend, 'stream_index')).to.equal(1);
  });

  it('indexes once the tail holds `rows` events, at the next turn of the event loop', async () => {
    await backend.close();
    backend = await open({ rows: 3, ms: 3_600_000 });
    await backend.appendBatch([request('a', 0, [event(1), event(2)])]);
    await new Promise((r) => setImmediate(r));
    expect(count(backend, 'stream_index'), 'two events wait for the timer').to.equal(0);
    await backend.appendBatch([request('a', 2, [event(3)])]);
    await new Promise((r) => setImmediate(r));
    expect(count(backend, 'stream_index')).to.equal(3);
    expect((backend.database.prepare("SELECT value FROM log_meta WHERE name = 'indexed'").get() as { value: number }).value).to.equal(3);
  });
});
