/**
 * Durable events per second through the actor runtime: ActorHost.execute on counterKind
 * (decide → append → evolve), each command awaited before it counts. The store is opened as
 * production opens it (store/index.ts, config defaults), so the figures include group-commit
 * window, batch size and snapshots every 100 events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ActorHost } from '../runtime/host';
import { loadConfig, type ParleyConfig } from '../config';
import { EventCodec } from '../schemas/codec';
import { openEventStore } from '../store';
import { counterKind, counterSchemas, type AddedEvent, type CounterCommand, type CounterReply, type CounterState } from './counter';
import { dropSchema } from './pg';

type CounterHost = ActorHost<CounterState, CounterCommand, AddedEvent, CounterReply>;

export interface ThroughputCase {
  store: 'sqlite' | 'postgres';
  /** SQLite synchronous mode; PostgreSQL runs with the server's own settings. */
  sync?: 'FULL' | 'NORMAL';
  keys: number;
  groupCommit: boolean;
}

export interface ThroughputRun {
  eventsPerSec: number;
  /** Mean events per committed transaction, when group commit is on. */
  meanBatch?: number;
}

export interface RunSettings {
  seconds: number;
  concurrency: number;
  pg: string;
  /** Group-commit window in ms; undefined = the production default of config/. */
  windowMs?: number;
}

/** One run on a fresh database: a temp SQLite file, or a PostgreSQL schema dropped afterwards. */
export async function throughputRun(c: ThroughputCase, s: RunSettings): Promise<ThroughputRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  const schema = `bench_${process.pid}_${Date.now().toString(36)}`;
  const defaults = loadConfig({});
  const config: ParleyConfig = {
    ...defaults,
    dataDir: dir,
    db: c.store === 'postgres' ? s.pg : undefined,
    dbSchema: schema,
    store: {
      ...defaults.store,
      commitWindowMs: s.windowMs ?? defaults.store.commitWindowMs,
      groupCommit: c.groupCommit,
      sqliteSync: c.sync ?? 'FULL',
    },
  };
  const store = await openEventStore(config, EventCodec.fromDirectory(undefined, counterSchemas));
  const batches = countBatches(store.backend);
  const host = new ActorHost(counterKind, store, { snapshotEvery: defaults.actors.snapshotEvery, idleMs: 0 });
  try {
    const keys = Array.from({ length: c.keys }, (_, i) => `k${i}`);
    // Activation (snapshot load, replay) is a one-off per key; measure steady state only.
    await inBatches(keys, s.concurrency, (key) => host.execute(key, { op: 'get' }));
    batches.reset();
    const { events, ms } = await drive(host, keys, s);
    return { eventsPerSec: (events * 1000) / ms, meanBatch: c.groupCommit ? events / Math.max(1, batches.count()) : undefined };
  } finally {
    host.stop();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (c.store === 'postgres') await dropSchema(s.pg, schema);
  }
}

/** `concurrency` workers, each cycling over its share of the keys until the time is up. */
async function drive(host: CounterHost, keys: string[], s: RunSettings) {
  let events = 0;
  const started = performance.now();
  const deadline = started + s.seconds * 1000;
  const worker = async (w: number) => {
    for (let i = w; performance.now() < deadline; i += s.concurrency) {
      await host.execute(keys[i % keys.length], { op: 'add', by: 1 });
      events++;
    }
  };
  await Promise.all(Array.from({ length: s.concurrency }, (_, w) => worker(w)));
  return { events, ms: performance.now() - started };
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** Counts appendBatch calls (one transaction each) by wrapping the backend's method. */
function countBatches(backend: { appendBatch: (...args: never[]) => Promise<unknown> }) {
  let n = 0;
  const original = backend.appendBatch.bind(backend);
  backend.appendBatch = (...args: never[]) => {
    n++;
    return original(...args);
  };
  return { count: () => n, reset: () => (n = 0) };
}
