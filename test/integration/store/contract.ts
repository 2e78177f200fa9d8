/**
 * The event-log contract: every adapter passes the same suite against its real database.
 */
import { expect } from 'chai';
import { ADDED } from '../../../bench/counter';
import type { EventStore } from '../../../store/event-store';
import { CorruptEventError, VersionConflictError } from '../../../runtime/eventlog';
import type { AppendRequest, LogBackend } from '../../../store/backend';
import { openStore, storeOptions } from '../../support/stores';

export interface ContractTarget {
  /** A backend over a database no other test uses. */
  backend(): LogBackend;
  /** Overwrites the stored bytes of one event, as disk damage would. */
  corrupt(backend: LogBackend, stream: string, version: number): Promise<void>;
  cleanup?(): Promise<void>;
}

const added = (by: number, total: number) => ({ type: ADDED, data: { by, total, requestId: null } });

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

    it('refuses an event that does not match its schema and stores nothing', async () => {
      const err = await store.append('counter:x', 0, [{ type: ADDED, data: { by: 'one' } }]).catch((e: unknown) => e);
      expect((err as Error).message).to.match(/does not match its schema/);
      expect(await store.version('counter:x')).to.equal(0);
    });
  });
}
