/**
 * `npm run bench`: durable events per second through the actor runtime (SQLite and
 * PostgreSQL, one hot key and 10,000 keys, group commit on and off) and the round-trip time
 * of an actor call (in process and across NATS). Prints the median of several runs of each,
 * then the targets of issue 2 as met or missed. docs/benchmarks.md explains every figure.
 */
import os from 'node:os';
import { benchOptions } from './options';
import { inProcessRuns, natsRuns, type RttRun } from './rtt';
import { median, round, table } from './stats';
import { throughputRun, type ThroughputCase, type ThroughputRun } from './throughput';

const TARGETS = { sqliteEventsPerSec: 50_000, postgresEventsPerSec: 10_000, natsP50Us: 1000 };

function cases(only: Set<string>): ThroughputCase[] {
  const out: ThroughputCase[] = [];
  const variants = [
    ...(only.has('sqlite') ? [{ store: 'sqlite', sync: 'FULL' }, { store: 'sqlite', sync: 'NORMAL' }] : []),
    ...(only.has('postgres') ? [{ store: 'postgres' }] : []),
  ] as Pick<ThroughputCase, 'store' | 'sync'>[];
  for (const v of variants) {
    for (const keys of [10_000, 1]) for (const groupCommit of [true, false]) out.push({ ...v, keys, groupCommit });
  }
  return out;
}

const label = (c: ThroughputCase) => [c.store, c.sync ?? '-', c.keys === 1 ? '1 (hot)' : c.keys.toLocaleString('en'), c.groupCommit ? 'on' : 'off'];

async function main(): Promise<void> {
  const o = benchOptions();
  const started = new Date();
  console.log(`parley bench ${started.toISOString()} — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}`);
  console.log(`${o.runs} runs per figure (median shown); throughput runs of ${o.seconds} s with ${o.concurrency} commands in flight\n`);

  // Runs interleave across cases, so a burst of load elsewhere on the machine spreads over all.
  const list = cases(o.only);
  const results = list.map(() => [] as ThroughputRun[]);
  for (let r = 0; r < o.runs; r++) {
    for (const [i, c] of list.entries()) {
      results[i].push(await throughputRun(c, o));
      process.stderr.write(`  run ${r + 1}/${o.runs} ${label(c).join(' ')}: ${Math.round(results[i][r].eventsPerSec)} events/s\n`);
    }
  }
  const eventsMedian = results.map((runs) => median(runs.map((x) => x.eventsPerSec)));
  if (list.length > 0) {
    const rows = list.map((c, i) => {
      const rates = results[i].map((x) => x.eventsPerSec);
      const batch = results[i][0].meanBatch === undefined ? '-' : String(round(median(results[i].map((x) => x.meanBatch!))));
      return [...label(c), round(eventsMedian[i]), round(Math.min(...rates)), round(Math.max(...rates)), batch];
    });
    console.log(table(['store', 'synchronous', 'keys', 'group commit', 'events/s (median)', 'min', 'max', 'events/commit'], rows));
    console.log();
  }

  let nats: RttRun[] = [];
  if (o.only.has('rtt')) {
    const local = await inProcessRuns(o.runs, o.calls);
    nats = await natsRuns(o.runs, o.calls, o.nats);
    const row = (name: string, runs: RttRun[]) => [name, round(median(runs.map((x) => x.p50)), 1), round(median(runs.map((x) => x.p99)), 1)];
    console.log(`actor call round trip, ${o.calls} sequential calls per run`);
    console.log(table(['path', 'p50 µs (median of runs)', 'p99 µs (median of runs)'], [row('in process', local), row('NATS, loopback', nats)]));
    console.log();
  }

  const find = (store: string, sync?: string) => list.findIndex((c) => c.store === store && c.sync === sync && c.keys === 10_000 && c.groupCommit);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const sqlite = find('sqlite', 'FULL');
  const pg = find('postgres');
  console.log('targets');
  if (sqlite >= 0) console.log(`  SQLite (FULL), group commit, 10,000 keys ≥ ${TARGETS.sqliteEventsPerSec} events/s: ${round(eventsMedian[sqlite])} — ${verdict(eventsMedian[sqlite] >= TARGETS.sqliteEventsPerSec)}`);
  if (pg >= 0) console.log(`  PostgreSQL, group commit, 10,000 keys ≥ ${TARGETS.postgresEventsPerSec} events/s: ${round(eventsMedian[pg])} — ${verdict(eventsMedian[pg] >= TARGETS.postgresEventsPerSec)}`);
  if (nats.length > 0) {
    const p50 = median(nats.map((x) => x.p50));
    console.log(`  actor call across NATS, median < ${TARGETS.natsP50Us} µs: ${round(p50, 1)} µs — ${verdict(p50 < TARGETS.natsP50Us)}`);
  }
  console.log(`\nfinished in ${round((Date.now() - started.getTime()) / 1000)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
