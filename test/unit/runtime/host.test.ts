import { expect } from 'chai';
import { ActorHost, type HostOptions } from '../../../runtime/host';
import { ActorStaleError, DomainError } from '../../../runtime/kind';
import { ADDED, counterKind, type AddedEvent, type CounterCommand, type CounterReply, type CounterState } from '../../../bench/counter';
import type { EventStore } from '../../../store/event-store';
import { CorruptEventError } from '../../../runtime/eventlog';
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
