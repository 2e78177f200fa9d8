import { expect } from 'chai';
import { ActorHost, type HostOptions } from '../../../runtime/host';
import { ActorStaleError, CommandExpiredError, DomainError } from '../../../runtime/kind';
import { ADDED, counterKind, type AddedEvent, type CounterCommand, type CounterReply, type CounterState } from '../../../bench/counter';
import type { EventStore } from '../../../store/event-store';
import { CorruptEventError, VersionConflictError } from '../../../runtime/eventlog';
import type { SqliteBackend } from '../../../store/sqlite';
import { openStore, sqliteBackend } from '../../support/stores';

type Host = ActorHost<CounterState, CounterCommand, AddedEvent, CounterReply>;

describe('actor host', () => {
  let store: EventStore;
  const hosts: Host[] = [];
  const host = (options: Partial<HostOptions<CounterState, AddedEvent>> = {}): Host => {
    const h = new ActorHost(counterKind, store, { snapshotEvery: 0, idleMs: 0, ...options });
    hosts.push(h);
    return h;
  };
  const add = (by: number): CounterCommand => ({ op: 'add', by });

  beforeEach(async () => {
    store = await openStore(sqliteBackend());
  });
  afterEach(async () => {
    hosts.splice(0).forEach((h) => h.stop());
    await store.close();
  });

  it('appends the decided events before answering, then evolves the state', async () => {
    const h = host();
    const result = await h.execute('k', add(5));
    expect(result).to.deep.equal({ reply: { total: 5 }, version: 1 });
    const events = await store.read('counter:k');
    expect(events.map((e) => [e.type, (e.data as { total: number }).total])).to.deep.equal([[ADDED, 5]]);
    expect((await h.execute('k', { op: 'get' })).reply).to.deep.equal({ total: 5 });
  });

  it('runs the side effects only after the append, with the first new version', async () => {
    const seen: [string, number, number][] = [];
    const h = host({ afterAppend: (key, events, first) => void seen.push([key, events.length, first]) });
    await h.execute('k', add(1));
    await h.execute('k', add(1));
    expect(seen).to.deep.equal([
      ['k', 1, 1],
      ['k', 1, 2],
    ]);
  });

  it('writes side feeds computed from the state after the command in the same append, then runs their continuation', async () => {
    const order: string[] = [];
    const h = host({
      sideFeeds: (key, events, first, state) => {
        order.push(`feeds@${first}`);
        return { feeds: [{ stream: `side:${key}`, events: [{ type: ADDED, data: { by: 0, total: state.total } }] }], then: () => void order.push(`then@${first}`) };
      },
      afterAppend: (_key, _events, first) => void order.push(`after@${first}`),
    });
    await h.execute('k', add(2));
    await h.execute('k', add(3));
    expect((await store.read('side:k')).map((e) => (e.data as { total: number }).total)).to.deep.equal([2, 5]);
    expect(order).to.deep.equal(['feeds@1', 'then@1', 'after@1', 'feeds@2', 'then@2', 'after@2']);
  });

  it('writes neither events nor side feeds when the append fails, and forgets the evolved state', async () => {
    const h = host({ sideFeeds: (key) => ({ feeds: [{ stream: `side:${key}`, events: [{ type: ADDED, data: { by: 0, total: 0 } }] }] }) });
    await h.execute('k', add(1));
    await store.append('counter:k', 1, [{ type: ADDED, data: { by: 10, total: 11 } }]); // another writer
    expect(await h.execute('k', add(5)).catch((e: unknown) => e)).to.be.instanceOf(ActorStaleError);
    expect(await store.read('side:k')).to.have.length(1);
    expect((await h.execute('k', { op: 'get' })).reply.total).to.equal(11);
  });

  it('goes on without side feeds when computing them throws', async () => {
    const logged: string[] = [];
    const h = host({ sideFeeds: () => { throw new Error('boom'); }, log: (_level, message) => void logged.push(message) });
    expect((await h.execute('k', add(4))).reply.total).to.equal(4);
    expect(await store.version('counter:k')).to.equal(1);
    expect(logged.join()).to.contain('boom');
  });

  it('leaves state and stream unchanged when decide refuses', async () => {
    const h = host();
    await h.execute('k', add(2));
    const err = await h.execute('k', add(0)).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(DomainError).with.property('code', 10004);
    expect(await store.version('counter:k')).to.equal(1);
    expect((await h.execute('k', { op: 'get' })).reply.total).to.equal(2);
  });

  it('runs concurrent commands to one key one at a time, giving consecutive versions', async () => {
    const h = host();
    const results = await Promise.all(Array.from({ length: 100 }, () => h.execute('k', add(1))));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
    expect((await store.read('counter:k')).map((e) => e.version)).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('refuses, without running it, a command still waiting in the mailbox when its caller has given up', async () => {
    const h = host();
    const append = store.append.bind(store);
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    // The first append waits until the second command's deadline has passed.
    store.append = (async (...args: Parameters<typeof store.append>) => {
      await held;
      return append(...args);
    }) as typeof store.append;
    const first = h.execute('k', add(1));
    const late = h.execute('k', add(2), Date.now() + 20).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 40));
    release();
    expect((await first).version).to.equal(1);
    expect(await late).to.be.instanceOf(CommandExpiredError);
    store.append = append;
    expect(await store.version('counter:k')).to.equal(1);
    expect((await h.execute('k', { op: 'get' })).reply.total).to.equal(1);
  });

  describe('reads (ActorKind.reads)', () => {
    const readsHost = (reads: (c: CounterCommand) => boolean): Host => {
      const h = new ActorHost({ ...counterKind, reads }, store, { snapshotEvery: 0, idleMs: 0 });
      hosts.push(h);
      return h;
    };

    it('answers a read behind a write still in the mailbox only with the state after that write', async () => {
      const h = readsHost((c) => c.op === 'get');
      await h.execute('k', add(1));
      const write = h.execute('k', add(2));
      const read = h.execute('k', { op: 'get' });
      expect((await read).reply.total).to.equal(3);
      expect((await write).version).to.equal(2);
      expect(await h.execute('k', { op: 'get' })).to.deep.equal({ reply: { total: 3 }, version: 2 });
    });

    it('still appends what a command declared a read decides, through the mailbox', async () => {
      const h = readsHost(() => true);
      await h.execute('k', add(1));
      expect(await h.execute('k', add(4))).to.deep.equal({ reply: { total: 5 }, version: 2 });
      expect(await store.version('counter:k')).to.equal(2);
    });

    it('refuses a read whose caller has already given up, as the mailbox would', async () => {
      const h = readsHost((c) => c.op === 'get');
      await h.execute('k', add(1));
      expect(await h.execute('k', { op: 'get' }, Date.now() - 1).catch((e: unknown) => e)).to.be.instanceOf(CommandExpiredError);
    });

    it('reads a stale activation never: after a failed append the next read reloads the stream', async () => {
      const h = readsHost((c) => c.op === 'get');
      await h.execute('k', add(1));
      await store.append('counter:k', 1, [{ type: ADDED, data: { by: 10, total: 11 } }]); // another writer
      expect(await h.execute('k', add(5)).catch((e: unknown) => e)).to.be.instanceOf(ActorStaleError);
      expect((await h.execute('k', { op: 'get' })).reply.total).to.equal(11);
    });
  });

  describe('batching (ActorKind.batches)', () => {
    const batching = { ...counterKind, batches: (c: CounterCommand) => c.op === 'add' };
    const batchHost = (options: Partial<HostOptions<CounterState, AddedEvent>> = {}): Host => {
      const h = new ActorHost(batching, store, { snapshotEvery: 0, idleMs: 0, ...options });
      hosts.push(h);
      return h;
    };
    /** Counts the appends the host makes to the log. */
    const countAppends = () => {
      const calls: number[] = [];
      const append = store.append.bind(store);
      store.append = ((stream: string, expected: number, events: unknown[], feeds?: unknown) => {
        calls.push(events.length);
        return append(stream, expected, events as never, feeds as never);
      }) as typeof store.append;
      return calls;
    };

    it('appends the commands queued behind one append together, each answered with its own version and reply', async () => {
      const appends = countAppends();
      const h = batchHost();
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => h.execute('k', add(i + 1))));
      expect(results.map((r) => r.version)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(results.map((r) => r.reply.total)).to.deep.equal(Array.from({ length: 50 }, (_, i) => ((i + 1) * (i + 2)) / 2));
      // The first command runs alone; the 49 that queued behind it share the next append.
      expect(appends).to.deep.equal([1, 49]);
      expect((await store.read('counter:k')).map((e) => (e.data as { total: number }).total)).to.deep.equal(results.map((r) => r.reply.total));
    });

    it('refuses only the refused command of a batch, after the others are durable', async () => {
      const h = batchHost();
      const [a, bad, c] = await Promise.allSettled([h.execute('k', add(1)), h.execute('k', add(0)), h.execute('k', add(2)), h.execute('k', add(3))]);
      expect(a.status).to.equal('fulfilled');
      expect(bad.status === 'rejected' && bad.reason).to.be.instanceOf(DomainError);
      expect(c.status === 'fulfilled' && c.value).to.deep.equal({ reply: { total: 3 }, version: 2 });
      expect(await store.version('counter:k')).to.equal(3);
    });

    it('runs the side effects of each command of a batch with its own first version and feed', async () => {
      const seen: [number, number, number[]][] = [];
      const h = batchHost({
        sideFeeds: (key, _events, first) => ({ feeds: [{ stream: `side:${key}`, events: [{ type: ADDED, data: { by: 0, total: first, requestId: null } }] }] }),
        afterAppend: (_key, events, first, _state, feedVersions) => void seen.push([first, events.length, feedVersions]),
      });
      await Promise.all([1, 2, 3].map((n) => h.execute('k', add(n))));
      expect(seen).to.deep.equal([[1, 1, [1]], [2, 1, [2]], [3, 1, [3]]]);
      expect((await store.read('side:k')).map((e) => (e.data as { total: number }).total)).to.deep.equal([1, 2, 3]);
    });

    it('fails every command of a batch whose append failed as stale, keeping none of their state', async () => {
      const h = batchHost();
      const append = store.append.bind(store);
      let calls = 0;
      // The second append (the batch) finds another writer ahead of it.
      store.append = ((stream: string, expected: number, events: never, feeds?: never) =>
        ++calls === 2 ? Promise.reject(new VersionConflictError(stream, expected, expected + 1)) : append(stream, expected, events, feeds)) as typeof store.append;
      const results = await Promise.allSettled([1, 2, 3, 4].map((n) => h.execute('k', add(n))));
      expect(results[0]).to.deep.include({ status: 'fulfilled' });
      for (const r of results.slice(1)) expect(r.status === 'rejected' && r.reason).to.be.instanceOf(ActorStaleError);
      store.append = append;
      // The batch's evolved state went with the activation: the next command reloads from the log.
      expect((await h.execute('k', add(10))).reply.total).to.equal(11);
      expect(h.stats.activations).to.equal(2);
    });

    it('never batches a command the kind does not mark: a query waits for the sends before it', async () => {
      const appends = countAppends();
      const h = batchHost();
      const [, , , got] = await Promise.all([h.execute('k', add(1)), h.execute('k', add(1)), h.execute('k', add(1)), h.execute('k', { op: 'get' })]);
      expect(got.reply.total).to.equal(3);
      expect(appends).to.deep.equal([1, 2]);
    });
  });

  it('recovers an activation by replaying its stream', async () => {
    await host().execute('k', add(3));
    await host().execute('other', add(1));
    const fresh = host();
    expect((await fresh.execute('k', add(4))).reply.total).to.equal(7);
    expect(fresh.stats).to.include({ activations: 1, eventsReplayed: 1, snapshotsLoaded: 0 });
  });

  it('snapshots every N events and recovers from the snapshot plus the tail', async () => {
    const first = host({ snapshotEvery: 10 });
    for (let i = 0; i < 25; i++) await first.execute('k', add(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(first.stats.snapshotsSaved).to.equal(2);
    const fresh = host({ snapshotEvery: 10 });
    expect((await fresh.execute('k', { op: 'get' })).reply.total).to.equal(25);
    expect(fresh.stats).to.include({ snapshotsLoaded: 1, eventsReplayed: 5 });
  });

  it('waits as many events as the state is heavy before the next snapshot', async () => {
    const heavy = new ActorHost({ ...counterKind, snapshotWeight: () => 20 }, store, { snapshotEvery: 10, idleMs: 0 });
    hosts.push(heavy);
    for (let i = 0; i < 45; i++) await heavy.execute('k', add(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(heavy.stats.snapshotsSaved).to.equal(2);
    const fresh = host({ snapshotEvery: 10 });
    expect((await fresh.execute('k', { op: 'get' })).reply.total).to.equal(45);
    expect(fresh.stats).to.include({ snapshotsLoaded: 1, eventsReplayed: 5 });
  });

  it('drops an unreadable snapshot and replays the whole stream', async () => {
    for (let i = 0; i < 3; i++) await host().execute('k', add(1));
    await store.saveSnapshot({ stream: 'counter:k', version: 3, format: counterKind.snapshot!.format, data: Buffer.from('{not json') });
    const warnings: string[] = [];
    const fresh = host({ log: (_level, message) => void warnings.push(message) });
    expect((await fresh.execute('k', { op: 'get' })).reply.total).to.equal(3);
    expect(fresh.stats).to.include({ snapshotsLoaded: 0, eventsReplayed: 3 });
    expect(warnings[0]).to.match(/counter:k@3 is unreadable/);
  });

  it('fences a stale activation by the version check, and the retried command sees the other writer', async () => {
    const a = host();
    const b = host();
    await a.execute('k', add(1));
    await b.execute('k', add(10));
    const err = await a.execute('k', add(100)).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ActorStaleError);
    expect(await store.version('counter:k')).to.equal(2);
    expect((await a.execute('k', add(100))).reply.total).to.equal(111);
  });

  it('passivates idle activations and reloads them on the next command', async () => {
    const h = host({ idleMs: 40 });
    await h.execute('k', add(1));
    expect(h.activeKeys()).to.deep.equal(['k']);
    await new Promise((r) => setTimeout(r, 400));
    expect(h.activeKeys()).to.deep.equal([]);
    expect((await h.execute('k', add(1))).reply.total).to.equal(2);
    expect(h.stats.activations).to.equal(2);
  });

  it('passivates the keys whose ownership moved, and queued commands then report stale', async () => {
    const h = host();
    await h.execute('a', add(1));
    await h.execute('b', add(1));
    expect(h.passivateWhere((key) => key === 'a')).to.equal(1);
    expect(h.activeKeys()).to.deep.equal(['b']);
  });

  it('fails activation on a corrupt event, naming stream and version, and does not cache the failure', async () => {
    await host().execute('k', add(1));
    (store.backend as SqliteBackend).database.prepare("UPDATE events SET data = x'ffff' WHERE stream = 'counter:k'").run();
    const h = host();
    const err = await h.execute('k', add(1)).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(CorruptEventError).and.include({ stream: 'counter:k', version: 1 });
    expect(h.activeKeys()).to.deep.equal([]);
  });
});
