/**
 * Parley's Prometheus metrics (prom-client), one registry per process: Node's own (event-loop
 * lag, heap, GC, CPU), the store's commits, the events they append, actor calls, and gauges
 * read when scraped from what each broker of the process registers (sockets, online users,
 * activations). Served at GET /metrics (services/rest/metrics.ts); docs/operations.md lists them.
 *
 * Per node, as Prometheus expects: a cluster's totals are sums over the nodes' series.
 */
import client from 'prom-client';
import type { AppendRequest } from '../store/backend';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

const registers = [registry];

const commitSeconds = new client.Histogram({
  name: 'parley_store_commit_seconds',
  help: 'Time of one group commit (one transaction) of the event log',
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers,
});

const commitAppends = new client.Histogram({
  name: 'parley_store_commit_appends',
  help: 'Appends (actor commands) per group commit',
  buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
  registers,
});

const eventsAppended = new client.Counter({
  name: 'parley_events_appended_total',
  help: 'Events committed to the event log by this node, by Avro type (parley.c2c.MessageSent = one-to-one messages stored)',
  labelNames: ['type'],
  registers,
});

export const callbacksSent = new client.Counter({
  name: 'parley_callbacks_total',
  help: 'Callback requests sent to app backends (before and after, retries included), by outcome',
  labelNames: ['outcome'],
  registers,
});

export const logins = new client.Counter({
  name: 'parley_logins_total',
  help: 'SDK logins handled by this node (a device turning Online)',
  registers,
});

/** Passed to the event store: observes each committed batch. */
export function observeCommit(batch: AppendRequest[], seconds: number): void {
  commitSeconds.observe(seconds);
  commitAppends.observe(batch.length);
  const counts = new Map<string, number>();
  for (const r of batch) {
    for (const e of r.events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    for (const f of r.feeds) for (const e of f.events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  }
  for (const [type, n] of counts) eventsAppended.inc({ type }, n);
}

/** What a broker of this process reports when scraped. */
export interface GaugeSource {
  connections(): number;
  sessions(): number;
  /** Distinct logged-in users per app. */
  online(): Map<number, number>;
  /** Actor activations per kind. */
  actors(): Map<string, number>;
}

const sources = new Set<GaugeSource>();

/** Registers a broker's gauges; the returned function unregisters them (broker stopped). */
export function addGaugeSource(source: GaugeSource): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

const sum = (read: (s: GaugeSource) => number) => [...sources].reduce((n, s) => n + read(s), 0);

new client.Gauge({
  name: 'parley_websocket_connections',
  help: 'Open SDK WebSocket connections on this node',
  registers,
  collect() {
    this.set(sum((s) => s.connections()));
  },
});

new client.Gauge({
  name: 'parley_sessions',
  help: 'Logged-in SDK sessions on this node',
  registers,
  collect() {
    this.set(sum((s) => s.sessions()));
  },
});

new client.Gauge({
  name: 'parley_online_users',
  help: 'Distinct users with a logged-in session on this node, by app',
  labelNames: ['app'],
  registers,
  collect() {
    this.reset();
    for (const s of sources) for (const [app, n] of s.online()) this.inc({ app: String(app) }, n);
  },
});

new client.Gauge({
  name: 'parley_actors_active',
  help: 'Actor activations in memory on this node, by kind',
  labelNames: ['kind'],
  registers,
  collect() {
    this.reset();
    for (const s of sources) for (const [kind, n] of s.actors()) this.inc({ kind }, n);
  },
});
