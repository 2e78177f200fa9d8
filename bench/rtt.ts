/**
 * Round-trip time of one actor call, routerOf(broker).call('counters', key, { op: 'get' }):
 * in process (one broker, no transporter) and across NATS (the counters service in a child
 * process, the caller here). 'get' appends nothing, so this is the cost of the call path alone:
 * routing, Moleculer's request, validation, the actor's mailbox, and the reply.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import { actorHostMixin } from '../runtime/moleculer/host.mixin';
import { routerOf } from '../runtime/moleculer/router';
import { counterKind, counterSchemas, type CounterReply } from './counter';
import { percentile } from './stats';

export interface RttRun {
  /** Microseconds. */
  p50: number;
  p99: number;
}

const KEYS = 100;

/** Sequential calls, one in flight, over KEYS keys already activated. */
async function measure(broker: ServiceBroker, calls: number): Promise<RttRun> {
  const router = routerOf(broker);
  const call = (i: number) => router.call<CounterReply>('counters', `k${i % KEYS}`, { op: 'get' });
  for (let i = 0; i < Math.max(KEYS, calls / 4); i++) await call(i);
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = process.hrtime.bigint();
    await call(i);
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** A node whose brokers share one process: calls go through Moleculer, never the network. */
export async function inProcessRuns(runs: number, calls: number): Promise<RttRun[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  const config = { ...loadConfig({}), dataDir, logLevel: 'warn' as const, transporter: undefined };
  const broker = new ServiceBroker({ ...brokerOptions(config, { extraSchemas: counterSchemas }), logger: false });
  broker.createService({ name: 'counters', mixins: [actorHostMixin(counterKind)] });
  await broker.start();
  try {
    const out: RttRun[] = [];
    for (let r = 0; r < runs; r++) out.push(await measure(broker, calls));
    return out;
  } finally {
    await broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The counters service in a child process on NATS; this process only calls it. */
export async function natsRuns(runs: number, calls: number, nats: string): Promise<RttRun[]> {
  const namespace = `bench-${process.pid}-${Date.now().toString(36)}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  const child = startNode(namespace, nats, dataDir);
  const config = { ...loadConfig({}), namespace, nodeId: `bench-client-${process.pid}`, transporter: nats, logLevel: 'warn' as const };
  // The caller hosts nothing, so it needs no runtime: plain broker options of the same cluster.
  const { middlewares: _runtime, ...options } = brokerOptions(config);
  const broker = new ServiceBroker({ ...options, logger: false });
  try {
    await child.ready;
    await broker.start();
    await broker.waitForServices('counters', 15_000);
    const out: RttRun[] = [];
    for (let r = 0; r < runs; r++) out.push(await measure(broker, calls));
    return out;
  } finally {
    await broker.stop();
    child.process.disconnect();
    await child.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function startNode(namespace: string, nats: string, dataDir: string) {
  // Built (dist/bench/*.js) the child runs on plain node; from sources it needs tsx.
  const fromSources = path.extname(__filename) === '.ts';
  const child = fork(path.join(__dirname, `rtt-node${path.extname(__filename)}`), [], {
    execArgv: fromSources ? ['--require', 'tsx/cjs'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      PARLEY_NAMESPACE: namespace,
      PARLEY_NODE_ID: `bench-node-${process.pid}`,
      PARLEY_TRANSPORTER: nats,
      PARLEY_DATA: dataDir,
      PARLEY_DB: '',
      // One node on NATS with its own SQLite log: what this benchmark measures, allowed explicitly.
      PARLEY_ALLOW_LOCAL_LOG: '1',
      PARLEY_REDIS: '',
      PARLEY_LOG_LEVEL: 'warn',
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`bench node exited with ${code} before it was ready`)));
  });
  return { process: child, ready, exited };
}
