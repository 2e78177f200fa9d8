/**
 * The actor runtime across three real nodes (child processes) over NATS, with PostgreSQL as
 * the event log and Redis as the cacher: placement, failover after SIGKILL, recovery.
 */
import { expect } from 'chai';
import type { ServiceBroker } from 'moleculer';
import type { CounterCommand, CounterReply } from '../../bench/counter';
import { routerOf } from '../../runtime/moleculer/router';
import { PostgresBackend } from '../../store/postgres';
import { TestCluster, sleep, until } from '../support/cluster';
import { dropSchema, openStore, PG_URL } from '../support/stores';

interface Activations {
  nodeID: string;
  keys: string[];
  stats: { snapshotsLoaded: number; eventsReplayed: number };
}

describe('actor runtime on a three-node cluster', function () {
  this.timeout(90_000);
  const cluster = new TestCluster({ PARLEY_SNAPSHOT_EVERY: '20' });
  let client: ServiceBroker;
  const call = (key: string, command: CounterCommand) => routerOf(client).call<CounterReply>('counters', key, command);
  const activations = (nodeID: string) => client.call<Activations, object>('counters.activations', {}, { nodeID });
  const ringSize = () => routerOf(client).ring('counters').nodes.length;

  before(async () => {
    await Promise.all(['n1', 'n2', 'n3'].map((id) => cluster.start(id)));
    client = cluster.client();
    await client.start();
    await until('three nodes hosting counters', () => ringSize() === 3);
  });

  after(async () => {
    cluster.stopAll();
    await client?.stop();
    await dropSchema(cluster.schema);
  });

  it('keeps one activation per key, on the node the ring names', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `app:p${i}`);
    await Promise.all(keys.map((key) => call(key, { op: 'add', by: 1 })));
    const seen = new Map<string, string>();
    for (const nodeID of ['n1', 'n2', 'n3']) {
      for (const key of (await activations(nodeID)).keys) {
        expect(seen.has(key), `${key} active on ${seen.get(key)} and ${nodeID}`).to.equal(false);
        seen.set(key, nodeID);
      }
    }
    expect(seen.size).to.equal(keys.length);
    for (const key of keys) expect(seen.get(key)).to.equal(routerOf(client).ownerOf('counters', key));
  });

  it('moves the keys of a killed node to the others without losing an acknowledged event or leaving a gap', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `app:f${i}`);
    const acked = new Map<string, Set<string>>(keys.map((k) => [k, new Set()]));
    let running = true;
    let failures = 0;
    const flows = keys.map(async (key) => {
      for (let i = 0; running; i++) {
        const requestId = `${key}#${i}`;
        try {
          await call(key, { op: 'add', by: 1, requestId });
          acked.get(key)!.add(requestId);
        } catch {
          failures++;
        }
      }
    });
    await sleep(800);
    const victimKeys = keys.filter((k) => routerOf(client).ownerOf('counters', k) === 'n2');
    expect(victimKeys.length).to.be.greaterThan(0);
    cluster.kill('n2');
    await until('the ring to drop n2', () => ringSize() === 2);
    await sleep(1_500);
    running = false;
    await Promise.all(flows);

    const store = await openStore(new PostgresBackend(PG_URL, { schema: cluster.schema }));
    try {
      for (const key of keys) {
        const events = await store.read(`counter:${key}`);
        expect(events.map((e) => e.version)).to.deep.equal(events.map((_, i) => i + 1), `gap in ${key}`);
        const stored = new Set(events.map((e) => (e.data as { requestId: string }).requestId));
        for (const id of acked.get(key)!) expect(stored.has(id), `acknowledged ${id} lost`).to.equal(true);
      }
      for (const key of victimKeys) {
        const after = await store.read(`counter:${key}`);
        expect(after.length).to.be.greaterThan(acked.get(key)!.size - 1);
      }
    } finally {
      await store.close();
    }
    expect(failures, 'commands that failed even after retries').to.equal(0);
    const survivors = await Promise.all(['n1', 'n3'].map(activations));
    const movedHere = victimKeys.filter((k) => survivors.some((a) => a.keys.includes(k)));
    expect(movedHere).to.have.members(victimKeys);
  });

  it('replays a restarted node’s keys from snapshot plus tail', async () => {
    await cluster.start('n2');
    await until('n2 back in the ring', () => ringSize() === 3);
    const keys = Array.from({ length: 40 }, (_, i) => `app:f${i}`).filter((k) => routerOf(client).ownerOf('counters', k) === 'n2');
    const totals = await Promise.all(keys.map((key) => call(key, { op: 'get' })));
    const stats = (await activations('n2')).stats;
    expect(stats.snapshotsLoaded).to.equal(keys.length);
    const totalEvents = totals.reduce((sum, r) => sum + r.total, 0);
    expect(stats.eventsReplayed).to.be.lessThan(20 * keys.length);
    expect(stats.eventsReplayed).to.be.lessThan(totalEvents);
    const survivors = await Promise.all(['n1', 'n3'].map(activations));
    for (const key of keys) expect(survivors.some((a) => a.keys.includes(key)), `${key} still active elsewhere`).to.equal(false);
  });
});
