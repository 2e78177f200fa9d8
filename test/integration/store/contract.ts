/**
 * The event-log contract: every adapter passes the same suite against its real database.
 */
import { expect } from 'chai';
import { ADDED, counterSchemas } from '../../../bench/counter';
import type { EventStore } from '../../../store/event-store';
import { CorruptEventError, VersionConflictError, type IndexedEvent } from '../../../runtime/eventlog';
import type { AppendRequest, LogBackend } from '../../../store/backend';
import { EventCodec } from '../../../schemas/codec';
import { openStore, storeOptions } from '../../support/stores';

export interface ContractTarget {
  /** A backend over a database no other test uses. */
  backend(): LogBackend;
  /** Another backend over the database of the last backend() (a node restarting, a second node). */
  reopen(): LogBackend;
  /** Takes the database back to the first migration: no index tables, none of the later migrations recorded. */
  toFirstVersion(backend: LogBackend): Promise<void>;
  /** Overwrites the stored bytes of one event, as disk damage would. */
  corrupt(backend: LogBackend, stream: string, version: number): Promise<void>;
  cleanup?(): Promise<void>;
}

const added = (by: number, total: number) => ({ type: ADDED, data: { by, total, requestId: null } });

/** Test events filed in indexes: under `seq`, under each of `tags` (index tag), and one under the whole stream. */
const FILED = 'parley.counter.Filed';
const WIDE = 'parley.counter.Wide';
const filedSchema = (index?: object) => ({
  type: 'record',
  name: FILED,
  ...(index ? { 'parley.index': index } : {}),
  fields: [
    { name: 'seq', type: 'long' },
    { name: 'tags', type: { type: 'array', items: 'long' }, default: [] },
    { name: 'note', type: 'string', default: '' },
  ],
});
const wideSchema = { type: 'record', name: WIDE, 'parley.index': { seq: '*' }, fields: [{ name: 'note', type: 'string' }] };
const FULL_INDEX = { seq: 'seq', tag: 'tags' };
const codecWith = (index?: object) => EventCodec.fromDirectory(undefined, [...counterSchemas, filedSchema(index), wideSchema]);
const filed = (seq: number, note = '', tags: number[] = []) => ({ type: FILED, data: { seq, tags, note } });
/** key@version:note of each event read through an index. */
const shown = (events: IndexedEvent[]) => events.map((e) => `${e.key}@${e.version}:${(e.data as { note: string }).note}`);

export function eventLogContract(name: string, target: ContractTarget): void {
  describe(`event log contract on ${name}`, () => {
    let store: EventStore;
    let backend: LogBackend;

    beforeEach(async () => {
      backend = target.backend();
      store = await openStore(backend);
    });
    afterEach(async () => {
      await store.close();
      await target.cleanup?.();
    });

    it('appends to a new stream at expected version 0 and reads the events back in order', async () => {
      const result = await store.append('counter:a', 0, [added(1, 1), added(2, 3)]);
      expect(result.version).to.equal(2);
      const events = await store.read('counter:a');
      expect(events.map((e) => [e.version, e.type, (e.data as { total: number }).total])).to.deep.equal([
        [1, ADDED, 1],
        [2, ADDED, 3],
      ]);
      expect(events[1].position).to.equal(result.position);
    });

    it('refuses an append at the wrong expected version, naming expected and actual, and stores nothing', async () => {
      await store.append('counter:b', 0, [added(1, 1)]);
      const err = await store.append('counter:b', 0, [added(5, 5)]).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(VersionConflictError);
      expect(err).to.include({ stream: 'counter:b', expected: 0, actual: 1 });
      expect((err as Error).message).to.match(/expected 0, actual 1/);
      expect(await store.read('counter:b')).to.have.length(1);
    });

    it('refuses an append that expects a version the stream has not reached', async () => {
      const err = await store.append('counter:c', 3, [added(1, 1)]).catch((e: unknown) => e);
      expect(err).to.include({ expected: 3, actual: 0 });
      expect(await store.version('counter:c')).to.equal(0);
    });

    it('reads a stream from a version with a limit', async () => {
      for (let v = 0; v < 5; v++) await store.append('counter:d', v, [added(1, v + 1)]);
      const events = await store.read('counter:d', 2, 2);
      expect(events.map((e) => e.version)).to.deep.equal([3, 4]);
      expect(await store.version('counter:d')).to.equal(5);
    });

    it('reads a stream backwards from a version, newest first', async () => {
      for (let v = 0; v < 5; v++) await store.append('counter:back', v, [added(1, v + 1)]);
      expect((await store.readBackward('counter:back', 5, 3)).map((e) => e.version)).to.deep.equal([4, 3, 2]);
      expect((await store.readBackward('counter:back', Number.MAX_SAFE_INTEGER, 2)).map((e) => e.version)).to.deep.equal([5, 4]);
    });

    it('redacts one event in place, keeping its version and type, and refuses another type', async () => {
      await store.append('counter:r', 0, [added(5, 5), added(1, 6)]);
      expect(await store.redact('counter:r', 1, added(0, 0))).to.equal(true);
      expect((await store.read('counter:r')).map((e) => (e.data as { total: number }).total)).to.deep.equal([0, 6]);
      expect(await store.redact('counter:r', 9, added(0, 0))).to.equal(false);
    });

    it('reads by time range, by stream prefix, and pages by position', async () => {
      let now = 1_000;
      const timed = await openStore(backend, storeOptions({ now: () => now }));
      await timed.append('counter:app1:x', 0, [added(1, 1)]);
      now = 2_000;
      await timed.append('counter:app2:y', 0, [added(1, 1)]);
      await timed.append('counter:app1:z', 0, [added(1, 1)]);
      now = 3_000;
      await timed.append('counter:app1:x', 1, [added(1, 2)]);
      const window = await timed.readByTime({ from: 2_000, to: 3_000 });
      expect(window.map((e) => e.stream)).to.deep.equal(['counter:app2:y', 'counter:app1:z']);
      const app1 = await timed.readByTime({ from: 0, to: 10_000, streamPrefix: 'counter:app1:' });
      expect(app1.map((e) => `${e.stream}@${e.version}`)).to.deep.equal(['counter:app1:x@1', 'counter:app1:z@1', 'counter:app1:x@2']);
      const page = await timed.readByTime({ from: 0, to: 10_000, afterPosition: app1[0].position, limit: 1 });
      expect(page.map((e) => e.stream)).to.deep.equal(['counter:app2:y']);
    });

    it('reads the whole log after a position in position order, whatever the events\' times (the statistics tail)', async () => {
      let now = 3_000;
      const timed = await openStore(backend, storeOptions({ now: () => now }));
      const start = (await timed.readByTime({ from: 0, to: Number.MAX_SAFE_INTEGER })).at(-1)?.position ?? 0;
      await timed.append('counter:tail:a', 0, [added(1, 1)]);
      now = 1_000; // a clock that stepped back: position order, not time order
      await timed.append('counter:tail:b', 0, [added(1, 1)]);
      await timed.append('counter:tail:a', 1, [added(1, 2)]);
      const all = await timed.readByTime({ from: 0, to: Number.MAX_SAFE_INTEGER, afterPosition: start });
      expect(all.map((e) => `${e.stream}@${e.version}`)).to.deep.equal(['counter:tail:a@1', 'counter:tail:b@1', 'counter:tail:a@2']);
      const page = await timed.readByTime({ from: 0, to: Number.MAX_SAFE_INTEGER, afterPosition: all[0].position, limit: 1 });
      expect(page.map((e) => `${e.stream}@${e.version}`)).to.deep.equal(['counter:tail:b@1']);
      // A type filter skips the other types, on the whole log, a time range and a stream prefix.
      const whole = { from: 0, to: Number.MAX_SAFE_INTEGER, afterPosition: start };
      expect(await timed.readByTime({ ...whole, types: [ADDED] })).to.have.length(3);
      for (const range of [whole, { from: 0, to: 10_000, afterPosition: start }, { ...whole, streamPrefix: 'counter:tail:' }]) {
        expect(await timed.readByTime({ ...range, types: ['parley.counter.Other'] })).to.deep.equal([]);
        expect((await timed.readByTime({ ...range, types: [ADDED, 'parley.counter.Other'] })).map((e) => e.stream)).to.deep.equal(['counter:tail:a', 'counter:tail:b', 'counter:tail:a']);
      }
    });

    it('keeps the newest snapshot of a stream and ignores an older one saved later', async () => {
      await store.saveSnapshot({ stream: 'counter:s', version: 10, format: 'f1', data: Buffer.from('ten') });
      await store.saveSnapshot({ stream: 'counter:s', version: 5, format: 'f1', data: Buffer.from('five') });
      const snap = await store.loadSnapshot('counter:s');
      expect(snap).to.include({ stream: 'counter:s', version: 10, format: 'f1' });
      expect(Buffer.from(snap!.data).toString()).to.equal('ten');
      expect(await store.loadSnapshot('counter:none')).to.equal(undefined);
    });

    it('group-commits concurrent appends to many streams into few transactions', async () => {
      const batches: number[] = [];
      const original = backend.appendBatch.bind(backend);
      backend.appendBatch = (batch: AppendRequest[]) => {
        batches.push(batch.length);
        return original(batch);
      };
      await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(`counter:g${i}`, 0, [added(1, 1)])));
      expect(batches.reduce((a, b) => a + b, 0)).to.equal(200);
      expect(batches.length).to.be.lessThan(20);
      for (let i = 0; i < 200; i += 37) expect(await store.version(`counter:g${i}`)).to.equal(1);
    });

    it('lets exactly one of two racing appends at the same version win, in one batch or across batches', async () => {
      const results = await Promise.allSettled([
        store.append('counter:race', 0, [added(1, 1)]),
        store.append('counter:race', 0, [added(2, 2)]),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).to.be.instanceOf(VersionConflictError);
      expect(await store.read('counter:race')).to.have.length(1);
    });

    it('lets one failed append in a batch fail alone', async () => {
      await store.append('counter:h1', 0, [added(1, 1)]);
      const results = await Promise.allSettled([
        store.append('counter:h1', 0, [added(1, 1)]),
        store.append('counter:h2', 0, [added(1, 1)]),
      ]);
      expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'fulfilled']);
    });

    it('reports a corrupt event with its stream and version instead of skipping it', async () => {
      await store.append('counter:bad', 0, [added(1, 1), added(1, 2), added(1, 3)]);
      await target.corrupt(backend, 'counter:bad', 2);
      const err = await store.read('counter:bad').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(CorruptEventError);
      expect(err).to.include({ stream: 'counter:bad', version: 2 });
    });

    it('keeps every writer schema in the store, so a reopened store needs no schema files', async () => {
      const schemas = await backend.loadSchemas();
      expect(schemas.map((s) => s.name)).to.include(ADDED);
      expect(schemas.every((s) => /^[0-9a-f]{32}$/.test(s.fingerprint))).to.equal(true);
    });

    it('appends feed events in the same transaction, each at its feed’s next version', async () => {
      const first = await store.append('counter:conv1', 0, [added(1, 1)], [
        { stream: 'feed:alice', events: [added(1, 1)] },
        { stream: 'feed:bob', events: [added(1, 1)] },
      ]);
      expect(first.feedVersions).to.deep.equal([1, 1]);
      const second = await store.append('counter:conv2', 0, [added(1, 1)], [{ stream: 'feed:alice', events: [added(2, 2), added(3, 3)] }]);
      expect(second.feedVersions).to.deep.equal([3]);
      const feed = await store.read('feed:alice');
      expect(feed.map((e) => [e.version, (e.data as { by: number }).by])).to.deep.equal([
        [1, 1],
        [2, 2],
        [3, 3],
      ]);
    });

    it('gives concurrent appends to one feed consecutive versions, batched or not', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.append(`counter:c${i}`, 0, [added(1, 1)], [{ stream: 'feed:hot', events: [added(i + 1, i + 1)] }])),
      );
      expect(results.map((r) => r.feedVersions[0]).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
      expect((await store.read('feed:hot')).map((e) => e.version)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('checks a shared stream’s own append before feeds of the same batch grow it', async () => {
      await store.append('feed:shared', 0, [added(1, 1)]);
      // Submitted feed first, in one turn: both go into one batch.
      const [writer, own] = await Promise.all([
        store.append('counter:writer', 0, [added(1, 1)], [{ stream: 'feed:shared', events: [added(2, 2)] }]),
        store.append('feed:shared', 1, [added(3, 3)]),
      ]);
      expect(own.version).to.equal(2);
      expect(writer.feedVersions).to.deep.equal([3]);
      expect((await store.read('feed:shared')).map((e) => (e.data as { by: number }).by)).to.deep.equal([1, 3, 2]);
    });

    it('writes no feed event when the main append fails its version check', async () => {
      await store.append('counter:conv3', 0, [added(1, 1)]);
      const err = await store.append('counter:conv3', 0, [added(1, 1)], [{ stream: 'feed:carol', events: [added(1, 1)] }]).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(VersionConflictError);
      expect(await store.version('feed:carol')).to.equal(0);
    });

    describe('indexes declared by the event schemas', () => {
      let indexed: EventStore;
      beforeEach(async () => {
        indexed = await openStore(target.reopen(), storeOptions(), codecWith(FULL_INDEX));
      });
      afterEach(() => indexed.close());

      it('reads a range of keys from its high end, newest first under one key, skipping what no index files', async () => {
        // Messages 1–4 with unfiled events between them; later, two effects on message 2.
        await indexed.append('conv:a', 0, [filed(1, 'm1'), added(1, 1), filed(2, 'm2'), added(1, 2), added(1, 3), filed(3, 'm3')]);
        await indexed.append('conv:a', 6, [filed(4, 'm4'), filed(2, 'edit'), added(1, 4), filed(2, 'recall')]);
        await indexed.append('conv:other', 0, [filed(3, 'elsewhere')]);
        expect(shown(await indexed.readIndex('conv:a', { index: 'seq', high: 3, low: 2, limit: 10 }))).to.deep.equal(['3@6:m3', '2@10:recall', '2@8:edit', '2@3:m2']);
        expect(shown(await indexed.readIndex('conv:a', { index: 'seq', high: Number.MAX_SAFE_INTEGER, low: 1, limit: 2 }))).to.deep.equal(['4@7:m4', '3@6:m3']);
        // Paging inside one key: below the version where the last page stopped.
        expect(shown(await indexed.readIndex('conv:a', { index: 'seq', high: 2, beforeVersion: 10, low: 1, limit: 2 }))).to.deep.equal(['2@8:edit', '2@3:m2']);
        expect(await indexed.readIndex('conv:a', { index: 'seq', high: 9, low: 5, limit: 10 })).to.deep.equal([]);
        expect(await indexed.readIndex('conv:none', { index: 'seq', high: 9, low: 0, limit: 10 })).to.deep.equal([]);
        const [event] = await indexed.readIndex('conv:a', { index: 'seq', high: 1, low: 1, limit: 1 });
        expect(event).to.include({ stream: 'conv:a', version: 1, type: FILED, key: 1 });
        expect(event.data).to.deep.include({ seq: 1, note: 'm1' });
        expect(event.position).to.be.a('number');
      });

      it('files an event under each key of an array, under key 0 when it names none, and feed events too', async () => {
        await indexed.append('conv:b', 0, [filed(1, 'both', [7, 9]), filed(2, 'none', []), { type: WIDE, data: { note: 'wide' } }], [
          { stream: 'feed:b', events: [filed(5, 'fed', [3])] },
        ]);
        expect(shown(await indexed.readIndex('conv:b', { index: 'tag', high: 100, low: 0, limit: 10 }))).to.deep.equal(['9@1:both', '7@1:both', '0@2:none']);
        expect(shown(await indexed.readIndex('conv:b', { index: 'seq', high: 0, low: 0, limit: 10 }))).to.deep.equal(['0@3:wide']);
        expect(shown(await indexed.readIndex('feed:b', { index: 'tag', high: 3, low: 3, limit: 10 }))).to.deep.equal(['3@1:fed']);
      });

      it('files the events stored before their schema declared an index when the store opens, once, and re-files on a change', async () => {
        const before = await openStore(target.reopen(), storeOptions(), codecWith());
        await before.append('conv:old', 0, [filed(1, 'm1', [4]), added(1, 1), filed(2, 'm2')]);
        await before.close();
        // indexed (opened before these events) filed nothing; a store opened now files them.
        const reopened = await openStore(target.reopen(), storeOptions(), codecWith(FULL_INDEX));
        expect(shown(await reopened.readIndex('conv:old', { index: 'seq', high: 5, low: 0, limit: 10 }))).to.deep.equal(['2@3:m2', '1@1:m1']);
        expect(shown(await reopened.readIndex('conv:old', { index: 'tag', high: 5, low: 0, limit: 10 }))).to.deep.equal(['4@1:m1', '0@3:m2']);
        let scans = 0;
        const again = target.reopen();
        const scan = again.scanTypes.bind(again);
        again.scanTypes = (...args) => {
          scans++;
          return scan(...args);
        };
        await (await openStore(again, storeOptions(), codecWith(FULL_INDEX))).close();
        expect(scans, 'a second opening scans nothing').to.equal(0);
        // A declaration that changed: entries of the old one go, the new one's are written.
        const changed = await openStore(target.reopen(), storeOptions(), codecWith({ tag: 'tags' }));
        expect(await changed.readIndex('conv:old', { index: 'seq', high: 5, low: 0, limit: 10 })).to.deep.equal([]);
        expect(shown(await changed.readIndex('conv:old', { index: 'tag', high: 5, low: 0, limit: 10 }))).to.deep.equal(['4@1:m1', '0@3:m2']);
        await changed.close();
        await reopened.close();
      });

      it('migrates a database of the first version, filing the events it holds', async () => {
        const old = target.reopen();
        const first = await openStore(old, storeOptions(), codecWith(FULL_INDEX));
        await first.append('conv:v1', 0, [filed(1, 'm1'), added(1, 1), filed(2, 'm2')]);
        await target.toFirstVersion(old);
        await first.close();
        const migrated = await openStore(target.reopen(), storeOptions(), codecWith(FULL_INDEX));
        expect(shown(await migrated.readIndex('conv:v1', { index: 'seq', high: 5, low: 1, limit: 10 }))).to.deep.equal(['2@3:m2', '1@1:m1']);
        await migrated.append('conv:v1', 3, [filed(3, 'm3')]);
        expect(shown(await migrated.readIndex('conv:v1', { index: 'seq', high: 5, low: 3, limit: 10 }))).to.deep.equal(['3@4:m3']);
        await migrated.close();
      });
    });

    it('refuses an event that does not match its schema and stores nothing', async () => {
      const err = await store.append('counter:x', 0, [{ type: ADDED, data: { by: 'one' } }]).catch((e: unknown) => e);
      expect((err as Error).message).to.match(/does not match its schema/);
      expect(await store.version('counter:x')).to.equal(0);
    });
  });
}
